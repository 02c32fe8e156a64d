"""OSM opening hours and HSDS schedules (RFC 5545 rules) both ways, pure Python."""
from ervaringswijzer.places.dutch_hours import osm_to_dutch
from ervaringswijzer.places.hours import normalize_hours
from ervaringswijzer.places.schedules import Rule, osm_to_rules, schedules_to_osm


def _schedule(rule: Rule) -> dict:
    return {"freq": rule.freq, "byday": rule.byday, "opens_at": rule.opens_at, "closes_at": rule.closes_at,
            "interval": 1}


def test_weekly_and_monthly_rules_map_both_ways():
    """Weekdays, split days and the first Saturday become rules, and the rules read back as the same hours."""
    rules = osm_to_rules("Mo-Fr 09:00-12:00,13:00-17:00; Sa[1] 10:00-13:00; PH off")
    assert rules == [Rule("WEEKLY", "MO,TU,WE,TH,FR", "09:00:00", "12:00:00"),
                     Rule("WEEKLY", "MO,TU,WE,TH,FR", "13:00:00", "17:00:00"),
                     Rule("MONTHLY", "1SA", "10:00:00", "13:00:00")]
    expr, note = schedules_to_osm([_schedule(r) for r in rules])
    assert note == ""
    assert expr == "Mo-Fr 09:00-12:00,13:00-17:00; Sa[1] 10:00-13:00"
    assert normalize_hours(expr) == expr
    assert schedules_to_osm([_schedule(r) for r in osm_to_rules("Mo-Fr 10:00-16:00; Mo[1] 18:00-20:00")])[0] == \
        "Mo-Fr 10:00-16:00, Mo[1] 18:00-20:00"  # overlapping days add up


def test_what_rules_cannot_say_keeps_the_text():
    """Dates and comments have no rule; schedules with week numbers or counts become text, not hours."""
    assert osm_to_rules('Mo-Fr 10:00-16:00; Dec 25 off') is None
    assert osm_to_rules('Tu 10:00-12:00 "alleen op afspraak"') is None
    odd = {"freq": "WEEKLY", "byday": "TH,FR", "byweekno": "41,42", "opens_at": "10:00:00",
           "closes_at": "18:00:00", "description": "Open in week 41 en 42."}
    assert schedules_to_osm([odd]) == (None, "Open in week 41 en 42.")
    ours = {"notes": "OpenStreetMap opening_hours: Mo 10:00-12:00; Dec 25 off", "description": "ma 10:00-12:00"}
    assert schedules_to_osm([ours]) == ("Mo 10:00-12:00; Dec 25 off", "")


def test_dutch_reading():
    """The CSV's and HSDS's plain reading of an OSM expression."""
    assert osm_to_dutch("Mo-Fr 09:00-17:00; Sa[1] 10:00-13:00; PH off") == \
        "ma-vr 09:00-17:00; 1e za van de maand 10:00-13:00; feestdagen gesloten"
    assert osm_to_dutch("24/7") == "dag en nacht open"
    assert osm_to_dutch(None) == "onbekend (bel even)"

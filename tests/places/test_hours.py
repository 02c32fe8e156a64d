"""Tests for ervaringswijzer.places.hours (no Flask app needed)."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone

import pytest
from opening_hours import OpeningHours

from ervaringswijzer.places.hours import (
    MAX_LENGTH, TZ, DaySchedule, HoursError, OpeningStatus, holiday_name, monday_of,
    normalize_hours, open_periods, opening_status, week_schedule,
)


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, fold: int = 0) -> datetime:
    """Wall-clock time in Amsterdam."""
    return datetime(y, m, d, hh, mm, fold=fold, tzinfo=TZ)


def iso(dt: datetime | None) -> str | None:
    """ISO form incl. UTC offset (same-zone datetimes compare by wall clock only)."""
    return None if dt is None else dt.isoformat()


def spans(day: DaySchedule) -> list[tuple[str, str]]:
    return [(iso(a), iso(b)) for a, b in day.intervals]


# --- normalize_hours: storage form ----------------------------------------------------

ROUND_TRIPS = [
    ("Mo-Fr 10:00-16:00", "Mo-Fr 10:00-16:00"),
    ("Mo,We,Fr 09:30-12:00,13:00-16:30; Sa 10:00-13:00",
     "Mo,We,Fr 09:30-12:00,13:00-16:30; Sa 10:00-13:00"),
    ("Fr,Sa 20:00-02:00", "Fr,Sa 20:00-02:00"),
    ("Sa,Su 11:00-17:00", "Sa,Su 11:00-17:00"),
    ("Mo-Fr 09:00-17:00; PH 10:00-14:00", "Mo-Fr 09:00-17:00; PH 10:00-14:00"),
    ("Tu-Th 13:00-17:00; 2026 Dec 24-2027 Jan 01 off",
     "Tu-Th 13:00-17:00; 2026 Dec 24-2027 Jan 1 closed"),
    ("Mo-Fr 09:00-17:00; 2026 Dec 24 09:00-13:00", "Mo-Fr 09:00-17:00; 2026 Dec 24 09:00-13:00"),
    ("24/7", "24/7"),
    ("Mo-Fr 09:00-12:00,13:00-17:00; PH off", "Mo-Fr 09:00-12:00,13:00-17:00; PH closed"),
    ('Mo 10:00-12:00 "bel even"', 'Mo 10:00-12:00 "bel even"'),
]


@pytest.mark.parametrize(("osm", "stored"), ROUND_TRIPS)
def test_round_trip_osm_to_stored_to_osm(osm, stored):
    """The stored form is exact, idempotent and still valid OSM syntax for any parser."""
    assert normalize_hours(osm) == stored
    assert normalize_hours(stored) == stored
    assert str(OpeningHours(stored)) == stored


@pytest.mark.parametrize(("osm", "stored"), ROUND_TRIPS)
def test_stored_form_keeps_meaning(osm, stored):
    """Original and stored expression give identical intervals over all of 2026."""
    start, end = at(2026, 1, 1), at(2027, 1, 1)
    before = OpeningHours(osm, timezone=TZ, country="NL").intervals(start, end)
    after = OpeningHours(stored, timezone=TZ, country="NL").intervals(start, end)
    assert list(before) == list(after)


@pytest.mark.parametrize("blank", [None, "", "   ", "\n\t "])
def test_blank_means_unknown(blank):
    """None or blank input is stored as None (hours unknown)."""
    assert normalize_hours(blank) is None


def test_whitespace_and_case_are_tidied():
    """Extra spaces, line breaks, lower case and short hours are fixed; comments kept as is."""
    messy = '  mo-fr  9:00-17:00 ;\n sa 10:00-12:00  "bel  even" '
    assert normalize_hours(messy) == 'Mo-Fr 09:00-17:00; Sa 10:00-12:00 "bel  even"'


def test_implied_holiday_rule_is_not_stored():
    """The implied `PH off` is used for evaluation only, never written to storage."""
    assert normalize_hours("Mo-Fr 09:00-17:00") == "Mo-Fr 09:00-17:00"


def test_off_only_is_stored_as_closed():
    """`off` alone is valid and stored in the library's spelling."""
    assert normalize_hours("off") == "24/7 closed"
    assert normalize_hours("24/7 closed") == "24/7 closed"


def test_comment_only_rules_are_stored_as_unknown():
    """A rule that is only a comment becomes an explicit `unknown` rule."""
    assert normalize_hours('"op afspraak"') == '24/7 unknown "op afspraak"'
    assert normalize_hours('Mo-Fr 10:00-16:00 || "op afspraak"') == \
        'Mo-Fr 10:00-16:00 || 24/7 unknown "op afspraak"'
    assert normalize_hours('24/7 unknown "op afspraak"') == '24/7 unknown "op afspraak"'
    assert normalize_hours('Mo-Fr 10:00-16:00, "op afspraak"') == \
        'Mo-Fr 10:00-16:00, 24/7 unknown "op afspraak"'
    assert normalize_hours('Mo 10:00-12:00 "a; b"') == 'Mo 10:00-12:00 "a; b"'


def test_non_string_raises_type_error():
    """Anything but a string or None is a programming error, not a user error."""
    with pytest.raises(TypeError):
        normalize_hours(42)


# --- normalize_hours: errors ----------------------------------------------------------

@pytest.mark.parametrize(("expr", "position", "message"), [
    ("Mo-Fx 10:00-12:00", 3, 'De openingstijden kloppen niet vanaf teken 4: "Fx 10:00-12:00". '
                             "Hier moet een dag staan: Mo, Tu, We, Th, Fr, Sa of Su."),
    ("Mo 25:00-26:00", 3, 'De openingstijden kloppen niet vanaf teken 4: "25:00-26:00". '
                          "Hier moet een tijd staan, zoals 09:00-17:00."),
    ("rubbish", 0, 'De openingstijden kloppen niet vanaf teken 1: "rubbish". '
                   "Schrijf het bijvoorbeeld zo: Mo-Fr 09:00-17:00; Sa 10:00-12:00."),
    ("Mo 10:00-", 9, 'De openingstijden zijn niet af: er mist iets na "Mo 10:00-". '
                     "Hier moet een tijd staan, zoals 09:00-17:00."),
    ("ma-vr 10:00-16:00", 0, 'De openingstijden kloppen niet vanaf teken 1: "ma-vr 10:00-16:00". '
                             "Gebruik Engelse afkortingen voor de dagen: Mo, Tu, We, Th, Fr, Sa, Su."),
    ("Mo-Fr 10.00-16.00", 6, 'De openingstijden kloppen niet vanaf teken 7: "10.00-16.00". '
                             "Schrijf tijden met een dubbele punt, zoals 10:00."),
    ("Mo 10:00-12:00;;", 15, 'De openingstijden kloppen niet vanaf teken 16: ";". '
                             "Schrijf het bijvoorbeeld zo: Mo-Fr 09:00-17:00; Sa 10:00-12:00."),
    ("Mo-Fr 10:00-16:00; Sa 10:00-13:00 op afspraak", 34,
     'De openingstijden kloppen niet vanaf teken 35: "op afspraak". '
     "Schrijf het bijvoorbeeld zo: Mo-Fr 09:00-17:00; Sa 10:00-12:00."),
])
def test_malformed_expressions_give_position_and_dutch_message(expr, position, message):
    """Bad syntax raises HoursError with the parser's position and a plain Dutch message."""
    with pytest.raises(HoursError) as caught:
        normalize_hours(expr)
    assert caught.value.position == position
    assert caught.value.message == message
    assert caught.value.expr == expr


def test_error_behaves_as_value_error_with_pointer():
    """HoursError is a ValueError; str() is the message; pointer marks the spot."""
    with pytest.raises(ValueError) as caught:
        normalize_hours("Mo-Fx 10:00-12:00")
    err = caught.value
    assert isinstance(err, HoursError)
    assert str(err) == err.message
    assert err.pointer == "Mo-Fx 10:00-12:00\n   ^"


def test_error_position_refers_to_tidied_text():
    """After collapsing white space, position and pointer still line up."""
    with pytest.raises(HoursError) as caught:
        normalize_hours("  Mo-Fr   10:00-16:00;  Mo-Fx ")
    assert caught.value.expr == "Mo-Fr 10:00-16:00; Mo-Fx"
    assert caught.value.position == 22
    assert caught.value.pointer == "Mo-Fr 10:00-16:00; Mo-Fx\n" + " " * 22 + "^"


def test_too_long_input_is_rejected_without_position():
    """More than MAX_LENGTH characters is refused with a Dutch message; the limit itself is fine."""
    fits = 'Mo 10:00-12:00 "' + "x" * (MAX_LENGTH - 17) + '"'
    assert len(fits) == MAX_LENGTH
    assert normalize_hours(fits) == fits
    with pytest.raises(HoursError) as caught:
        normalize_hours("Mo 10:00-12:00; " * 70)
    assert caught.value.message == "De openingstijden zijn te lang. Gebruik hoogstens 1000 tekens."
    assert caught.value.position is None
    assert caught.value.pointer is None


def test_school_holidays_are_unsupported():
    """`SH` is refused (the library ignores it for NL) and points at the SH."""
    with pytest.raises(HoursError) as caught:
        normalize_hours("Mo-Fr 10:00-16:00; SH off")
    assert caught.value.position == 19
    assert caught.value.message.startswith("Schoolvakanties (SH) kunnen we niet gebruiken.")


def test_sun_times_are_unsupported_but_words_in_comments_are_fine():
    """`sunrise`/`sunset` are refused; the same word inside a comment is allowed."""
    with pytest.raises(HoursError) as caught:
        normalize_hours("Mo-Fr sunrise-sunset")
    assert caught.value.position == 6
    assert normalize_hours('Mo 10:00-12:00 "tot sunset"') == 'Mo 10:00-12:00 "tot sunset"'


# --- opening_status -------------------------------------------------------------------

def test_unknown_hours_status_is_all_none():
    """No hours: state unknown, open_now None and nothing else filled in."""
    expected = OpeningStatus("unknown", None, None, None, None, None)
    assert opening_status(None, at(2026, 12, 25, 12)) == expected
    assert opening_status("  ", at(2026, 6, 1, 12)) == expected


def test_naive_datetime_is_refused():
    """A naive `at` raises ValueError, also when the hours are unknown."""
    with pytest.raises(ValueError):
        opening_status("24/7", datetime(2026, 6, 1, 12))
    with pytest.raises(ValueError):
        opening_status(None, datetime(2026, 6, 1, 12))


def test_invalid_stored_hours_evaluate_as_unknown(caplog):
    """A bad stored string never crashes a page: it is unknown, and logged."""
    with caplog.at_level(logging.WARNING, logger="ervaringswijzer.places.hours"):
        status = opening_status("Mo-Fx 10:00-12:00", at(2026, 6, 1, 11))
    assert status.state == "unknown" and status.open_now is None
    assert "Mo-Fx 10:00-12:00" in caplog.text


def test_other_timezones_are_converted_to_amsterdam():
    """UTC and fixed-offset inputs are evaluated in Amsterdam; results carry Amsterdam offsets."""
    status = opening_status("Mo-Fr 10:00-16:00", datetime(2026, 6, 1, 8, 30, tzinfo=timezone.utc))
    assert status.state == "open" and status.open_now is True
    assert iso(status.closes_at) == "2026-06-01T16:00:00+02:00"
    early = datetime(2026, 6, 1, 8, 30, tzinfo=timezone(timedelta(hours=2)))
    assert iso(opening_status("Mo-Fr 10:00-16:00", early).opens_at) == "2026-06-01T10:00:00+02:00"


def test_two_intervals_a_day():
    """Open in the morning block, closed over lunch, opening again at 13:00."""
    expr = "Mo-Fr 09:00-12:00,13:00-17:00"
    morning = opening_status(expr, at(2026, 6, 2, 10))
    assert morning == OpeningStatus("open", True, at(2026, 6, 2, 12), None, at(2026, 6, 2, 12), None)
    lunch = opening_status(expr, at(2026, 6, 2, 12, 30))
    assert lunch == OpeningStatus("closed", False, None, at(2026, 6, 2, 13), at(2026, 6, 2, 13), None)


def test_interval_past_midnight_is_open_on_saturday_night():
    """`Fr 20:00-02:00` is open Saturday 01:00 and closes Saturday 02:00."""
    status = opening_status("Fr 20:00-02:00", at(2026, 6, 6, 1))
    assert status.open_now is True
    assert iso(status.closes_at) == "2026-06-06T02:00:00+02:00"
    later = opening_status("Fr 20:00-02:00", at(2026, 6, 6, 2, 30))
    assert iso(later.opens_at) == "2026-06-12T20:00:00+02:00"


def test_next_change_across_week_boundary():
    """Sunday evening the next change is Monday's opening."""
    status = opening_status("Mo-Fr 09:00-17:00", at(2026, 6, 7, 20))
    assert status.state == "closed"
    assert iso(status.opens_at) == iso(status.next_change) == "2026-06-08T09:00:00+02:00"


def test_next_change_skips_closed_range():
    """During a closure the next opening is the first one after it (Nieuwjaarsdag too)."""
    expr = "Mo-Fr 09:00-17:00; 2026 Dec 24-2026 Dec 31 off"
    before = opening_status(expr, at(2026, 12, 23, 12))
    assert iso(before.closes_at) == "2026-12-23T17:00:00+01:00"
    during = opening_status(expr, at(2026, 12, 28, 10))
    assert during.open_now is False
    assert iso(during.opens_at) == "2027-01-04T09:00:00+01:00"


def test_special_hours_on_a_date():
    """`2026 Dec 24 09:00-13:00` shortens Christmas Eve only."""
    expr = "Mo-Fr 09:00-17:00; 2026 Dec 24 09:00-13:00"
    assert opening_status(expr, at(2026, 12, 24, 12)).closes_at == at(2026, 12, 24, 13)
    assert opening_status(expr, at(2026, 12, 17, 12)).closes_at == at(2026, 12, 17, 17)
    after = opening_status(expr, at(2026, 12, 24, 14))
    assert after.opens_at == at(2026, 12, 28, 9)


def test_christmas_closed_by_default():
    """Without a PH rule a place is closed on both Christmas days."""
    status = opening_status("Mo-Su 10:00-16:00", at(2026, 12, 25, 12))
    assert status == OpeningStatus("closed", False, None, at(2026, 12, 27, 10),
                                   at(2026, 12, 27, 10), "Eerste kerstdag")


def test_own_ph_rule_wins():
    """`PH 10:00-14:00` gives holiday hours instead of the implied closure."""
    status = opening_status("Mo-Fr 09:00-17:00; PH 10:00-14:00", at(2026, 12, 25, 11))
    assert status == OpeningStatus("open", True, at(2026, 12, 25, 14), None,
                                   at(2026, 12, 25, 14), "Eerste kerstdag")


def test_ph_open_means_open_all_holiday():
    """`PH open` keeps the place open around the clock on both Christmas days."""
    status = opening_status("Mo-Fr 09:00-17:00; PH open", at(2026, 12, 25, 3))
    assert status.open_now is True
    assert iso(status.closes_at) == "2026-12-27T00:00:00+01:00"


def test_koningsdag_on_27_april():
    """Koningsdag 2026 is Monday 27 April: closed, named, open again Tuesday."""
    status = opening_status("Mo-Fr 09:00-17:00", at(2026, 4, 27, 10))
    assert status.holiday == "Koningsdag" and status.open_now is False
    assert status.opens_at == at(2026, 4, 28, 9)


def test_koningsdag_moves_to_26_april_when_27_is_sunday():
    """Koningsdag 2025 is Saturday 26 April; Sunday 27 April is an ordinary Sunday."""
    sat = opening_status("Sa,Su 10:00-16:00", at(2025, 4, 26, 11))
    assert (sat.holiday, sat.open_now) == ("Koningsdag", False)
    sun = opening_status("Sa,Su 10:00-16:00", at(2025, 4, 27, 11))
    assert (sun.holiday, sun.open_now) == (None, True)


@pytest.mark.parametrize(("day", "name"), [
    (date(2026, 1, 1), "Nieuwjaarsdag"),
    (date(2026, 4, 6), "Tweede paasdag"),
    (date(2026, 5, 14), "Hemelvaartsdag"),
    (date(2026, 5, 25), "Tweede pinksterdag"),
    (date(2026, 12, 26), "Tweede kerstdag"),
])
def test_other_public_holidays_closed(day, name):
    """The library's NL holidays close a daily-open place and carry the Dutch name."""
    status = opening_status("Mo-Su 10:00-16:00", at(day.year, day.month, day.day, 12))
    assert (status.state, status.holiday) == ("closed", name)


def test_good_friday_keeps_normal_hours_but_is_named():
    """Goede Vrijdag is no general day off: normal hours, holiday name reported."""
    status = opening_status("Mo-Fr 09:00-17:00", at(2026, 4, 3, 10))
    assert status == OpeningStatus("open", True, at(2026, 4, 3, 17), None,
                                   at(2026, 4, 3, 17), "Goede vrijdag")


def test_liberation_day_keeps_normal_hours():
    """Bevrijdingsdag 2025 (lustrum) is named but open; in 2026 it is not a holiday at all."""
    lustrum = opening_status("Mo-Fr 09:00-17:00", at(2025, 5, 5, 10))
    assert (lustrum.open_now, lustrum.holiday) == (True, "Bevrijdingsdag")
    normal = opening_status("Mo-Fr 09:00-17:00", at(2026, 5, 5, 10))
    assert (normal.open_now, normal.holiday) == (True, None)


def test_24_7_is_open_even_at_christmas():
    """Plain `24/7` stays open on holidays and never changes."""
    status = opening_status("24/7", at(2026, 12, 25, 3))
    assert status == OpeningStatus("open", True, None, None, None, "Eerste kerstdag")


def test_off_is_closed_for_good():
    """`off` is closed with no next opening."""
    assert opening_status("off", at(2026, 6, 1, 12)) == \
        OpeningStatus("closed", False, None, None, None, None)


def test_search_horizon_is_one_year():
    """An opening more than a year ahead is not reported; a 3-month closure still is."""
    far = opening_status("2030 Jan 01 10:00-12:00", at(2026, 6, 10))
    assert (far.state, far.opens_at, far.next_change) == ("closed", None, None)
    summer = opening_status("Mo-Fr 09:00-17:00; 2026 Jun 01-2026 Aug 31 off", at(2026, 6, 10))
    assert iso(summer.opens_at) == "2026-09-01T09:00:00+02:00"


def test_comment_only_hours_are_unknown():
    """`"op afspraak"` is unknown with the comment kept; public holidays are still closed."""
    status = opening_status('"op afspraak"', at(2026, 12, 1, 11))
    assert status == OpeningStatus("unknown", None, None, None, at(2026, 12, 25), None,
                                   "op afspraak")
    christmas = opening_status('"op afspraak"', at(2026, 12, 25, 11))
    assert (christmas.state, christmas.next_change) == ("closed", at(2026, 12, 27))


def test_comment_on_open_rule_is_reported():
    """A comment on an open rule is passed on with the open state."""
    status = opening_status('Mo 10:00-12:00 "bel even"', at(2026, 6, 1, 11))
    assert (status.state, status.comment, status.closes_at) == ("open", "bel even", at(2026, 6, 1, 12))


def test_comment_fallback_is_unknown_outside_fixed_hours():
    """`|| "op afspraak"`: weekend unknown, and the weekday hours still count."""
    expr = 'Mo-Fr 10:00-16:00 || "op afspraak"'
    friday = opening_status(expr, at(2026, 6, 5, 17))
    assert friday == OpeningStatus("closed", False, None, at(2026, 6, 8, 10), at(2026, 6, 6), None)
    saturday = opening_status(expr, at(2026, 6, 6, 11))
    assert (saturday.state, saturday.open_now, saturday.comment) == ("unknown", None, "op afspraak")
    assert saturday.next_change == at(2026, 6, 8)


def test_fallback_after_ph_rule_does_not_skip_openings():
    """Works around the library skipping Friday when a 24/7 fallback rule comes last."""
    status = opening_status('Mo-Fr 10:00-16:00; PH 10:00-12:00 || "op afspraak"', at(2026, 6, 4, 17))
    assert status.opens_at == status.next_change == at(2026, 6, 5, 10)


# --- daylight saving time -------------------------------------------------------------

def test_dst_spring_sunday_early_hours():
    """On 29 Mar 2026 `Su 01:00-04:00` opens at 01:00 CET and closes at 04:00 CEST."""
    before = opening_status("Su 01:00-04:00", at(2026, 3, 29, 0, 30))
    assert iso(before.opens_at) == "2026-03-29T01:00:00+01:00"
    during = opening_status("Su 01:00-04:00", at(2026, 3, 29, 1, 30))
    assert iso(during.closes_at) == "2026-03-29T04:00:00+02:00"
    assert during.closes_at - before.opens_at != timedelta(hours=2)  # same-zone maths is naive
    assert during.closes_at.astimezone(timezone.utc) - before.opens_at.astimezone(timezone.utc) \
        == timedelta(hours=2)


def test_time_in_spring_gap_is_accepted():
    """02:30 on 29 Mar 2026 does not exist; it is read as 03:30 CEST instead of crashing."""
    status = opening_status("Su 01:00-04:00", at(2026, 3, 29, 2, 30))
    assert status.open_now is True
    assert iso(status.closes_at) == "2026-03-29T04:00:00+02:00"
    year_later = opening_status("Mo-Fr 09:00-17:00", at(2026, 3, 27, 2))  # +366 days is in a gap
    assert iso(year_later.opens_at) == "2026-03-27T09:00:00+01:00"


def test_dst_autumn_sunday_early_hours():
    """On 25 Oct 2026 `Su 01:00-04:00` lasts four real hours, both 02:30s are open."""
    first = opening_status("Su 01:00-04:00", at(2026, 10, 25, 2, 30))
    second = opening_status("Su 01:00-04:00", at(2026, 10, 25, 2, 30, fold=1))
    assert first.open_now is True and second.open_now is True
    assert iso(first.closes_at) == iso(second.closes_at) == "2026-10-25T04:00:00+01:00"


def test_dst_saturday_night_across_both_switches():
    """`Sa 22:00-04:00` closes at 04:00 local time on both switch nights (5 and 7 real hours)."""
    spring = opening_status("Sa 22:00-04:00", at(2026, 3, 28, 23))
    assert iso(spring.closes_at) == "2026-03-29T04:00:00+02:00"
    autumn = opening_status("Sa 22:00-04:00", at(2026, 10, 24, 23))
    assert iso(autumn.closes_at) == "2026-10-25T04:00:00+01:00"
    assert iso(opening_status("Sa 22:00-04:00", at(2026, 10, 25, 3, 30)).closes_at) == \
        "2026-10-25T04:00:00+01:00"


def test_dst_next_change_over_the_weekend_has_summer_offset():
    """Friday evening before the switch, Monday's opening is given in CEST."""
    status = opening_status("Mo-Fr 09:00-17:00", at(2026, 3, 27, 18))
    assert iso(status.opens_at) == "2026-03-30T09:00:00+02:00"
    autumn = opening_status("Mo-Fr 09:00-17:00", at(2026, 10, 23, 18))
    assert iso(autumn.opens_at) == "2026-10-26T09:00:00+01:00"


def test_dst_week_schedule_and_missing_hour():
    """Week table in the spring-switch week; an opening only inside the missing hour is dropped."""
    week = week_schedule("Sa 22:00-04:00", date(2026, 3, 23), date(2026, 3, 23))
    assert spans(week[5]) == [("2026-03-28T22:00:00+01:00", "2026-03-29T04:00:00+02:00")]
    gap = week_schedule("Su 02:15-02:45", date(2026, 3, 23), date(2026, 3, 23))
    assert gap[6].intervals == [] and gap[6].closed_all_day is True


def test_later_rule_overrides_the_spill_past_midnight():
    """OSM semantics: a Sunday rule replaces Saturday's hours that run on into Sunday."""
    week = week_schedule("Sa 22:00-04:00; Su 10:00-12:00", date(2026, 6, 1), date(2026, 6, 1))
    assert week[5].intervals == [(at(2026, 6, 6, 22), at(2026, 6, 7))]
    assert week[6].intervals == [(at(2026, 6, 7, 10), at(2026, 6, 7, 12))]


def test_dst_repeated_hour_uses_first_occurrence():
    """On the autumn night 02:00 and 02:30 mean their first pass (+02:00), matching the state."""
    week = week_schedule("Su 02:30-05:00", date(2026, 10, 19), date(2026, 10, 19))
    assert spans(week[6]) == [("2026-10-25T02:30:00+02:00", "2026-10-25T05:00:00+01:00")]
    night = opening_status("Fr,Sa 20:00-02:00", at(2026, 10, 25, 1, 30))
    assert iso(night.closes_at) == "2026-10-25T02:00:00+02:00"
    assert opening_status("Fr,Sa 20:00-02:00", at(2026, 10, 25, 2, 15)).open_now is False


# --- week_schedule --------------------------------------------------------------------

def test_week_schedule_two_blocks_a_day():
    """Mon-Fri have both blocks, the weekend is closed, only `today` is flagged."""
    week = week_schedule("Mo-Fr 09:00-12:00,13:00-17:00", date(2026, 6, 1), date(2026, 6, 3))
    assert [d.day for d in week] == [date(2026, 6, 1) + timedelta(days=i) for i in range(7)]
    assert week[0].intervals == [(at(2026, 6, 1, 9), at(2026, 6, 1, 12)),
                                 (at(2026, 6, 1, 13), at(2026, 6, 1, 17))]
    assert [d.closed_all_day for d in week] == [False] * 5 + [True] * 2
    assert [d.is_today for d in week] == [False, False, True, False, False, False, False]
    assert not any(d.unknown or d.holiday for d in week)


def test_week_schedule_friday_night_belongs_to_friday():
    """`Fr 20:00-02:00` is one Friday interval ending Saturday; Saturday is closed."""
    week = week_schedule("Fr 20:00-02:00", date(2026, 6, 1), date(2026, 6, 1))
    assert spans(week[4]) == [("2026-06-05T20:00:00+02:00", "2026-06-06T02:00:00+02:00")]
    assert week[5].intervals == [] and week[5].closed_all_day is True


def test_week_schedule_sunday_night_into_next_week():
    """An interval starting Sunday ends on next Monday and stays on Sunday."""
    week = week_schedule("Su 21:00-09:00", date(2026, 6, 1), date(2026, 6, 1))
    assert spans(week[6]) == [("2026-06-07T21:00:00+02:00", "2026-06-08T09:00:00+02:00")]
    assert week[0].intervals == []


def test_week_schedule_24_7_is_whole_days():
    """`24/7` shows 00:00-24:00 on every day, holidays included."""
    week = week_schedule("24/7", date(2026, 12, 21), date(2026, 12, 21))
    assert [d.intervals for d in week] == [
        [(at(2026, 12, 21 + i), at(2026, 12, 22 + i))] for i in range(7)]
    assert week[4].holiday == "Eerste kerstdag"


def test_week_schedule_long_period_is_cut_per_day():
    """A period over a whole next day is cut at midnight instead of hanging on Saturday."""
    week = week_schedule("Sa 08:00-24:00; Su 00:00-24:00", date(2026, 6, 1), date(2026, 6, 1))
    assert week[5].intervals == [(at(2026, 6, 6, 8), at(2026, 6, 7))]
    assert week[6].intervals == [(at(2026, 6, 7), at(2026, 6, 8))]


def test_week_schedule_christmas_week():
    """Christmas Eve short hours, both Christmas days closed and named."""
    week = week_schedule("Mo-Fr 09:00-17:00; 2026 Dec 24 09:00-13:00", date(2026, 12, 21),
                         date(2026, 12, 24))
    assert week[3].intervals == [(at(2026, 12, 24, 9), at(2026, 12, 24, 13))]
    assert week[3].is_today is True
    assert (week[4].holiday, week[4].closed_all_day) == ("Eerste kerstdag", True)
    assert (week[5].holiday, week[5].closed_all_day) == ("Tweede kerstdag", True)


def test_week_schedule_unknown_hours():
    """Unknown hours: every day unknown, never closed, holidays still named."""
    week = week_schedule(None, date(2026, 12, 21), date(2026, 12, 22))
    assert all(d.unknown and not d.closed_all_day and d.intervals == [] for d in week)
    assert [d.holiday for d in week][4:6] == ["Eerste kerstdag", "Tweede kerstdag"]
    assert [d.is_today for d in week][:2] == [False, True]


def test_week_schedule_partly_unknown():
    """With a comment fallback the weekend is unknown, weekdays are not."""
    week = week_schedule('Mo-Fr 10:00-16:00 || "op afspraak"', date(2026, 6, 1), date(2026, 6, 1))
    assert [d.unknown for d in week] == [False] * 5 + [True] * 2
    assert [d.closed_all_day for d in week] == [False] * 7
    assert week[0].intervals == [(at(2026, 6, 1, 10), at(2026, 6, 1, 16))]


def test_week_schedule_today_defaults_to_now():
    """Without `today`, the current Amsterdam date is flagged."""
    today = datetime.now(TZ).date()
    week = week_schedule("Mo-Fr 09:00-17:00", monday_of(today))
    assert [d.day for d in week if d.is_today] in ([today], [today + timedelta(days=1)])


@pytest.mark.parametrize("monday", [date(2026, 3, 23), date(2026, 10, 19)])
@pytest.mark.parametrize("expr", ["Fr,Sa 20:00-02:00", "Mo-Fr 09:00-12:00,13:00-17:00",
                                  "Sa 22:00-04:00", "Su 01:00-04:00", "24/7"])
def test_week_schedule_agrees_with_opening_status(expr, monday):
    """Sampling every 15 minutes over both DST weeks matches the week table."""
    week = week_schedule(expr, monday, monday)
    t = datetime.combine(monday, datetime.min.time(), TZ).astimezone(timezone.utc)
    while t < datetime.combine(monday + timedelta(days=7), datetime.min.time(), TZ):
        inside = any(a <= t < b for d in week for a, b in d.intervals)
        assert opening_status(expr, t).open_now is inside, t
        t += timedelta(minutes=15)


# --- helpers --------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "monday"), [
    (date(2026, 6, 1), date(2026, 6, 1)),
    (date(2026, 3, 29), date(2026, 3, 23)),
    (date(2026, 12, 31), date(2026, 12, 28)),
    (date(2027, 1, 1), date(2026, 12, 28)),
])
def test_monday_of(day, monday):
    """monday_of gives the Monday of the same ISO week, also across a year end."""
    assert monday_of(day) == monday


def test_holiday_name():
    """holiday_name uses the Dutch names of holidays.NL and None on ordinary days."""
    assert holiday_name(date(2026, 12, 25)) == "Eerste kerstdag"
    assert holiday_name(date(2026, 4, 3)) == "Goede vrijdag"
    assert holiday_name(date(2026, 6, 1)) is None


# --- open periods inside a window -------------------------------------------------------

def periods(expr, start, end):
    return [(iso(a), iso(b)) for a, b in open_periods(expr, start, end)]


def test_open_periods_cut_to_the_window_at_both_ends_of_a_day():
    """Periods are cut to [start, end): one that began before and one that ends after the window."""
    expr = "Mo-Fr 08:00-12:00,13:00-17:00"
    assert periods(expr, at(2026, 12, 1, 10), at(2026, 12, 1, 14)) == [
        ("2026-12-01T10:00:00+01:00", "2026-12-01T12:00:00+01:00"),
        ("2026-12-01T13:00:00+01:00", "2026-12-01T14:00:00+01:00")]
    assert periods("Mo-Su 00:00-02:00,22:00-24:00", at(2026, 12, 1), at(2026, 12, 2)) == [
        ("2026-12-01T00:00:00+01:00", "2026-12-01T02:00:00+01:00"),
        ("2026-12-01T22:00:00+01:00", "2026-12-02T00:00:00+01:00")]


def test_open_periods_end_is_exclusive_and_empty_windows_are_closed():
    """A place closing at 18:00 is not open in a window from 18:00; unknown hours give nothing."""
    assert periods("Mo-Fr 09:00-18:00", at(2026, 12, 1, 18), at(2026, 12, 1, 23)) == []
    assert periods("Mo-Fr 09:00-18:00", at(2026, 12, 1, 6), at(2026, 12, 1, 9)) == []
    assert periods(None, at(2026, 12, 1), at(2026, 12, 2)) == []
    assert periods('"op afspraak"', at(2026, 12, 1), at(2026, 12, 2)) == []


def test_open_periods_across_midnight():
    """Saturday 20:00-02:00 is one period through a night window that crosses midnight."""
    assert periods("Sa 20:00-02:00", at(2026, 12, 5, 22), at(2026, 12, 6, 6)) == [
        ("2026-12-05T22:00:00+01:00", "2026-12-06T02:00:00+01:00")]
    assert periods("Su 19:00-21:30", at(2026, 12, 6, 18), at(2026, 12, 7)) == [
        ("2026-12-06T19:00:00+01:00", "2026-12-06T21:30:00+01:00")]


def test_open_periods_over_both_dst_nights():
    """Night windows over the DST switches keep the wall-clock closing time with the right offset."""
    assert periods("Sa 22:00-04:00", at(2026, 3, 28, 22), at(2026, 3, 29, 6)) == [
        ("2026-03-28T22:00:00+01:00", "2026-03-29T04:00:00+02:00")]
    assert periods("Sa 22:00-04:00", at(2026, 10, 24, 22), at(2026, 10, 25, 6)) == [
        ("2026-10-24T22:00:00+02:00", "2026-10-25T04:00:00+01:00")]
    assert periods("Su 01:00-04:00", at(2026, 3, 29, 2, 30), at(2026, 3, 29, 12)) == [
        ("2026-03-29T03:30:00+02:00", "2026-03-29T04:00:00+02:00")]


def test_open_periods_needs_aware_times():
    """Naive datetimes are refused instead of being guessed."""
    with pytest.raises(ValueError):
        open_periods("24/7", datetime(2026, 12, 1), datetime(2026, 12, 2))


# --- holidays named by a rule of their own ------------------------------------------------

@pytest.mark.parametrize(("expr", "moment", "state", "until"), [
    ('Mo-Fr 09:00-17:00; Dec 25 12:00-15:00 "Kerstdiner"', at(2026, 12, 25, 13), "open", at(2026, 12, 25, 15)),
    ("Mo-Su 10:00-16:00; 2026 Dec 26 11:00-13:00", at(2026, 12, 26, 12), "open", at(2026, 12, 26, 13)),
    ("Mo-Su 10:00-16:00; Dec 20-Dec 25 10:00-14:00", at(2026, 12, 25, 11), "open", at(2026, 12, 25, 14)),
    ("Mo-Su 10:00-16:00; Dec 25-Dec 31 12:00-14:00", at(2026, 12, 25, 13), "open", at(2026, 12, 25, 14)),
    ("Mo-Su 10:00-16:00; easter +1 day 10:00-14:00", at(2026, 4, 6, 11), "open", at(2026, 4, 6, 14)),
    ("Mo-Su 10:00-16:00; 2027 Jan 01 14:00-18:00", at(2027, 1, 1, 15), "open", at(2027, 1, 1, 18)),
])
def test_rule_naming_the_holiday_wins(expr, moment, state, until):
    """A date, a range starting or ending on the holiday, or an Easter offset beats the implied closure."""
    status = opening_status(expr, moment)
    assert (status.state, status.closes_at) == (state, until)
    assert status.holiday is not None


def test_holiday_inside_a_range_stays_closed():
    """Winter hours over Christmas do not open the place on Christmas Day; the named end day does."""
    expr = "Mo-Su 10:00-16:00; Dec 20-Dec 27 11:00-13:00"
    assert opening_status(expr, at(2026, 12, 25, 12)).state == "closed"
    assert opening_status(expr, at(2026, 12, 26, 12)).state == "closed"
    assert opening_status(expr, at(2026, 12, 24, 12)).state == "open"


def test_named_holiday_leaves_other_holidays_closed():
    """Only the named day opens: Tweede Kerstdag and Nieuwjaarsdag stay closed."""
    expr = 'Mo-Fr 09:00-17:00; Dec 25 12:00-15:00 "Kerstdiner"'
    assert periods(expr, at(2026, 12, 24), at(2027, 1, 2)) == [
        ("2026-12-24T09:00:00+01:00", "2026-12-24T17:00:00+01:00"),
        ("2026-12-25T12:00:00+01:00", "2026-12-25T15:00:00+01:00"),
        ("2026-12-28T09:00:00+01:00", "2026-12-28T17:00:00+01:00"),
        ("2026-12-29T09:00:00+01:00", "2026-12-29T17:00:00+01:00"),
        ("2026-12-30T09:00:00+01:00", "2026-12-30T17:00:00+01:00"),
        ("2026-12-31T09:00:00+01:00", "2026-12-31T17:00:00+01:00")]
    status = opening_status(expr, at(2026, 12, 25, 13))
    assert status.comment == "Kerstdiner"


def test_named_closed_range_keeps_holiday_closed_and_week_table_agrees():
    """`Dec 24-Jan 04 off` names Christmas Eve; the week table shows the dinner on 25 December."""
    week = week_schedule('Mo-Fr 09:00-17:00; Dec 25 12:00-15:00 "Kerstdiner"', date(2026, 12, 21),
                         date(2026, 12, 21))
    assert week[4].intervals == [(at(2026, 12, 25, 12), at(2026, 12, 25, 15))]
    assert week[5].closed_all_day is True
    closed = "Mo-Fr 09:00-17:00; Dec 24-Jan 04 off"
    assert opening_status(closed, at(2026, 12, 28, 10)).opens_at == at(2027, 1, 5, 9)

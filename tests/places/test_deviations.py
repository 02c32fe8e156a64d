"""What differs from the usual week in the coming four weeks, and how the pages say it."""
from datetime import date

from ervaringswijzer.places.deviations import coming_deviations


def summary(expr, today):
    return [(d.kind, d.first.isoformat(), d.last.isoformat(), d.name,
             [f"{a:%H:%M}-{b:%H:%M}" for a, b in d.periods]) for d in coming_deviations(expr, today)]


def test_christmas_dinner_and_new_year():
    """A dated rule is special hours with its comment; New Year's Day is a named closure."""
    assert summary('Mo-Fr 09:00-17:00; Dec 25 12:00-15:00 "Kerstdiner"', date(2026, 12, 14)) == [
        ("hours", "2026-12-25", "2026-12-25", "Kerstdiner", ["12:00-15:00"]),
        ("closed", "2027-01-01", "2027-01-01", "Nieuwjaarsdag", [])]


def test_closure_over_the_year_end_is_one_run():
    """A closed range is one closure from its first to its last usually-open day, past the four weeks."""
    assert summary("Mo-Fr 09:00-17:00; Dec 24-Jan 04 off", date(2026, 12, 1)) == [
        ("closed", "2026-12-24", "2027-01-04", None, [])]


def test_holidays_alone_are_named_one_by_one():
    """Closed on both Christmas days: two named closures, not one nameless run."""
    assert summary("Mo-Su 10:00-16:00", date(2026, 12, 14))[:2] == [
        ("closed", "2026-12-25", "2026-12-25", "Eerste kerstdag", []),
        ("closed", "2026-12-26", "2026-12-26", "Tweede kerstdag", [])]


def test_usual_weeks_and_unknown_hours_have_nothing_to_say():
    """A plain week without holidays, 24/7 and unknown hours give no deviations."""
    assert coming_deviations("Mo-Fr 09:00-17:00", date(2026, 9, 1)) == []
    assert coming_deviations("24/7", date(2026, 12, 14)) == []
    assert coming_deviations(None, date(2026, 12, 14)) == []


def test_place_page_lists_the_deviations(client, make_place):
    """The place page lists the coming closure and the special day in plain Dutch."""
    from datetime import datetime, timedelta

    from ervaringswijzer.places.display import short_date
    from ervaringswijzer.places.hours import TZ, holiday_name

    today = datetime.now(TZ).date()
    special = next(today + timedelta(days=n) for n in range(5, 12) if not holiday_name(today + timedelta(days=n)))
    closed = special + timedelta(days=3)
    make_place(name="Kapstok", opening_hours=f'Mo-Su 09:00-17:00; {special:%Y %b %d} 12:00-15:00 "Buurtdiner"; '
                                             f"{closed:%Y %b %d}-{closed + timedelta(days=2):%Y %b %d} off")
    with client.application.test_request_context():
        first, last = short_date(closed), short_date(closed + timedelta(days=2))
        day = short_date(special)
    page = client.get("/plek/kapstok-utrecht").get_data(as_text=True)
    assert f"Buurtdiner {day} 12:00–15:00" in page
    assert f"Gesloten {first} – {last}" in page

"""Words for the opening status and the week table, in the visitor's language."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from .deviations import Deviation
from .hours import OpeningStatus, open_periods
from .nearby import WALK_SHOWN_UP_TO_KM, walking_minutes
from .when import TimeWindow, describe


def day_name(d: date) -> str:
    return format_date(d, "EEEE")


def _when(moment: datetime, now: datetime) -> str:
    """'om 09:00', 'morgen om 09:00', 'dinsdag om 09:00' or 'op 2 januari om 09:00'."""
    clock = moment.strftime("%H:%M")
    days = (moment.date() - now.date()).days
    if days == 0:
        return _("om %(time)s", time=clock)
    if days == 1:
        return _("morgen om %(time)s", time=clock)
    if days < 7:
        return _("%(day)s om %(time)s", day=day_name(moment.date()), time=clock)
    return _("op %(date)s om %(time)s", date=format_date(moment.date(), "d MMMM"), time=clock)


def status_line(status: OpeningStatus, now: datetime, chosen: bool = False) -> str:
    """The one line a client reads first: open or not, and until or from when.

    `chosen`: `now` is a moment the visitor picked, not the present, so the line never says "nu".
    """
    if status.state == "unknown":
        return _("Openingstijden onbekend — bel even")
    if status.open_now:
        if status.closes_at is None:
            return _("Open") if chosen else _("Nu open")
        if chosen:
            return _("Open · sluit %(when)s", when=_when(status.closes_at, now))
        return _("Nu open · sluit %(when)s", when=_when(status.closes_at, now))
    if status.opens_at is None:
        return _("Gesloten")
    return _("Gesloten · gaat %(when)s open", when=_when(status.opens_at, now))


def interval_text(start: datetime, end: datetime) -> str:
    text = f"{start:%H:%M}–{end:%H:%M}"
    if end.date() > start.date():
        text += " " + _("(tot de volgende dag)")
    return text


def window_text(window: TimeWindow) -> str:
    """The chosen time said back: "Open op zondag 7 december tussen 18:00 en 24:00"."""
    return describe(window, _, lambda d: format_date(d, "EEEE d MMMM"))


def clock_span(start: datetime, end: datetime) -> str:
    """"19:00–21:30"; a period cut at midnight ends at 24:00."""
    until = "24:00" if end.time() == end.time().min and end.date() > start.date() else f"{end:%H:%M}"
    return f"{start:%H:%M}–{until}"


def period_text(start: datetime, end: datetime) -> str:
    """One open period as "zo 19:00–21:30"."""
    return f"{format_date(start.date(), 'EEE').rstrip('.')} {clock_span(start, end)}"


def window_status_line(expr: str | None, window: TimeWindow) -> str:
    """For a place in a list filtered on a time window: when it is open inside that window."""
    periods = open_periods(expr, window.start, window.end)
    if not periods:
        return _("Niet open in deze tijd")
    return _("Open %(periods)s", periods=", ".join(period_text(a, b) for a, b in periods))


def short_date(d: date) -> str:
    """'25 dec'."""
    return f"{d.day} {format_date(d, 'MMM').rstrip('.')}"


def deviation_text(deviation: Deviation) -> str:
    """'Gesloten 24 dec – 4 jan', 'Tweede kerstdag gesloten', 'Kerstdiner 25 dec 12:00–15:00'."""
    first, last, name = deviation.first, deviation.last, deviation.name
    if deviation.kind == "closed":
        if first != last:
            return _("Gesloten %(first)s – %(last)s", first=short_date(first), last=short_date(last))
        if name:
            return _("%(name)s gesloten", name=name)
        return _("Gesloten op %(day)s", day=short_date(first))
    hours = ", ".join(clock_span(a, b) for a, b in deviation.periods)
    if name:
        return f"{name} {short_date(first)} {hours}"
    return _("Andere tijden op %(day)s: %(hours)s", day=short_date(first), hours=hours)


def distance_text(km: float) -> str:
    """'650 m · 8 min lopen', '1,2 km · 15 min lopen'; further than an hour's walk only '12 km'."""
    if km < 1:
        meters = max(10, round(km * 100) * 10)
        far = _("%(meters)s m", meters=format_decimal(meters, "#,##0"))
    else:
        far = _("%(km)s km", km=format_decimal(km, "#,##0.0"))
    if km > WALK_SHOWN_UP_TO_KM:
        return far
    return _("%(distance)s · %(minutes)d min lopen", distance=far, minutes=walking_minutes(km))

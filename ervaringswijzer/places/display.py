"""Words for the opening status and the week table, in the visitor's language."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import get_locale

from .deviations import Deviation
from .hours import OpeningStatus, open_periods, opening_status
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


STATE_CODES = {"open": 1, "closed": 0, "unknown": 2}


@lru_cache(maxsize=4096)
def _status_entry(expr: str | None, minute: datetime, zone: str, locale: str,
                  chosen: bool = False) -> tuple[str, int]:
    """(status line, state code) of `expr` at `minute`.

    Opening hours change on whole minutes, so every moment within one minute has the same status:
    map pages within a minute share one evaluation per distinct expression (60-400 µs each).
    `zone` and `locale` are in the key because the line's words depend on them; so is `chosen`
    (a moment the visitor picked is never called "nu").
    """
    status = opening_status(expr, minute)
    return status_line(status, minute, chosen), STATE_CODES[status.state]


class StatusCache:
    """Status lines per (hours, moment) for one page: many places share their hours."""

    def __init__(self, at: datetime, chosen: bool = False):
        self.at, self.chosen = at, chosen
        self._minute = at.replace(second=0, microsecond=0)
        self._zone = f"{at.tzinfo}{at.utcoffset()}"
        self._locale = str(get_locale() or "")
        self._by_expr: dict[str | None, tuple[int, int]] = {}
        self._line_index: dict[str, int] = {}
        self.lines: list[str] = []

    def get(self, expr: str | None) -> tuple[int, int]:
        """(index into self.lines, state code)."""
        found = self._by_expr.get(expr)
        if found is None:
            line, state = _status_entry(expr, self._minute, self._zone, self._locale, self.chosen)
            index = self._line_index.get(line)
            if index is None:
                index = self._line_index[line] = len(self.lines)
                self.lines.append(line)
            found = self._by_expr[expr] = (index, state)
        return found

    def line(self, expr: str | None) -> str:
        return self.lines[self.get(expr)[0]]

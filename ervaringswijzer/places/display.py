"""Words for the opening status and the week table, in the visitor's language."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .deviations import Deviation
from .dutch_hours import hours_from_input
from .hours import HoursError, OpeningStatus, open_periods, opening_status
from .hours_form import day_groups, day_runs, read_expression
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


WEEK_WORDS = {"1": _l("de 1e van de maand"), "2": _l("de 2e van de maand"), "3": _l("de 3e van de maand"),
              "4": _l("de 4e van de maand"), "-1": _l("de laatste van de maand"),
              "1,3": _l("de 1e en 3e van de maand"), "2,4": _l("de 2e en 4e van de maand")}
A_MONDAY = date(2026, 11, 30)


def _spans(periods: list[tuple[str, str]]) -> str:
    parts = []
    for a, b in periods:
        text = f"{a}–{b}"
        if b != "24:00" and b <= a:
            text += " " + _("(tot de volgende dag)")
        parts.append(text)
    if len(parts) == 2:
        return _("%(first)s en %(last)s", first=parts[0], last=parts[1])
    return ", ".join(parts)


def _days_text(days: list[int]) -> str:
    names = [format_date(A_MONDAY + timedelta(days=d), "EEEE") for d in range(7)]
    return ", ".join(names[a] if a == b else (_("%(first)s en %(last)s", first=names[a], last=names[b]) if b == a + 1
                                              else _("%(first)s t/m %(last)s", first=names[a], last=names[b]))
                     for a, b in day_runs(days))


def hours_reading(expr: str | None) -> list[str]:
    """What an expression means, in plain words, one line per part: the live reading beside the raw field."""
    if not expr:
        return [_("Openingstijden onbekend — bel even")]
    form = read_expression(expr)
    if form is None:
        return [_("Deze tijden kunnen we hier niet voorlezen. Op de pagina van de plek staat wat ze deze week betekenen.")]
    if form.always:
        return [_("Altijd open, dag en nacht, ook op feestdagen.")]
    lines = []
    for days, periods, weeks in day_groups(form):
        days_text = _days_text(days)
        line = f"{days_text[:1].upper()}{days_text[1:]}: {_spans(periods)}"
        if weeks:
            line += f" ({WEEK_WORDS.get(weeks, weeks)})"
        lines.append(line)
    if not lines:
        lines.append(_("Geen vaste dagen in de week."))
    lines.append(_("Op feestdagen: %(hours)s", hours=_spans(form.holidays)) if form.holidays
                 else _("Op feestdagen dicht."))
    for closure in form.closures:
        text = (_("Gesloten %(first)s – %(last)s", first=short_date(closure.first), last=short_date(closure.last))
                if closure.first != closure.last else _("Gesloten op %(day)s", day=short_date(closure.first)))
        lines.append(text + (" " + _("(elk jaar)") if closure.yearly else ""))
    for special in form.specials:
        hours = _spans(special.periods) if special.periods else _("dicht")
        name = f"{special.name} " if special.name else ""
        lines.append(f"{name}{short_date(special.day)}: {hours}" + (" " + _("(elk jaar)") if special.yearly else ""))
    return lines


def hours_reading_of(text: str | None) -> list[str]:
    """The reading of what an editor typed (OpenStreetMap or Dutch), or the plain message why it cannot be read."""
    try:
        expr = hours_from_input(text)
    except HoursError as exc:
        return [exc.message]
    return hours_reading(expr)
STATE_CODES = {"open": 1, "closed": 0, "unknown": 2}


@lru_cache(maxsize=4096)
def _status_entry(expr: str | None, minute: datetime, zone: str, locale: str,
                  chosen: bool = False, window: TimeWindow | None = None) -> tuple[str, int]:
    """(status line, state code) of `expr` at `minute`, or within the chosen time window.

    Opening hours change on whole minutes, so every moment within one minute has the same status:
    map pages within a minute share one evaluation per distinct expression (60-400 µs each).
    `zone` and `locale` are in the key because the line's words depend on them; so is `chosen`
    (a moment the visitor picked is never called "nu"). With a window ("vanavond", "zondag") the
    line says when the place is open in it, as the list does, not how it is now.
    """
    if window is not None:
        if expr is None:
            return status_line(opening_status(expr, window.start), window.start, True), STATE_CODES["unknown"]
        opens = open_periods(expr, window.start, window.end)
        return window_status_line(expr, window), STATE_CODES["open" if opens else "closed"]
    status = opening_status(expr, minute)
    return status_line(status, minute, chosen), STATE_CODES[status.state]


class StatusCache:
    """Status lines per (hours, moment) for one page: many places share their hours."""

    def __init__(self, at: datetime, chosen: bool = False, when: TimeWindow | None = None):
        if when is not None and not when.now and when.moment:  # a picked instant: that moment, never "nu"
            at, chosen, when = when.start, True, None
        self.at, self.chosen = at, chosen
        self.window = when if when is not None and not when.now else None
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
            line, state = _status_entry(expr, self._minute, self._zone, self._locale, self.chosen, self.window)
            index = self._line_index.get(line)
            if index is None:
                index = self._line_index[line] = len(self.lines)
                self.lines.append(line)
            found = self._by_expr[expr] = (index, state)
        return found

    def line(self, expr: str | None) -> str:
        return self.lines[self.get(expr)[0]]

"""Opening hours: the one wrapper around the `opening_hours` package (opening-hours-py).

Places store their hours as an OpenStreetMap `opening_hours` string; NULL means
"hours unknown" and is never shown as closed. Everything is evaluated in
Europe/Amsterdam with the Dutch holiday calendar.

Decisions:

* Storage form: `normalize_hours` stores the library's own serialisation of the
  parsed expression (`str(OpeningHours(...))`), not `.normalize()`. It keeps the
  rules as the editor wrote them (no merging or reordering) but fixes spacing,
  capitals and padding (`mo-fr 9:00-17:00` -> `Mo-Fr 09:00-17:00`, `off` ->
  `closed`) and round-trips exactly.
* Public holidays: a place is closed on a public holiday unless it says
  otherwise. An expression without a `PH` rule is evaluated as `<expr>; PH off`
  (the implied part is not stored). A `PH` rule of its own wins. Exceptions:
  plain `24/7` means always open, holidays included (shelters, crisis lines);
  and a rule that names the holiday itself wins on that day: a date
  (`Dec 25 12:00-15:00 "Kerstdiner"`), a date range that starts or ends on it
  (`Dec 24-Dec 26 off`; a day inside a range is not named: winter hours
  `Oct 01-Mar 31 ...` do not open a place on Christmas), or an Easter offset
  (`easter +1 day 10:00-14:00`). On such a day the expression is evaluated
  without the implied `PH off`.
* Goede Vrijdag, and Bevrijdingsdag (5 May) in lustrum years, are listed by
  `holidays.NL` but are not a general day off in the Netherlands, and
  opening-hours-py does not count them as PH. A place keeps its normal hours
  then; `holiday` still carries the name so the UI can say "bel even of het
  open is".
* Comments: a rule that is only a comment (`"op afspraak"`, or
  `Mo-Fr 10:00-16:00 || "op afspraak"`) is stored as `unknown "op afspraak"`,
  so it evaluates as state "unknown" (the library itself would say "open",
  around the clock). Comments on other rules are kept and reported.
* Unsupported (rejected with HoursError): school holidays (`SH`, not known for
  NL, silently ignored by the library) and sun times (`sunrise` etc., we have no
  coordinates here, the library would guess 07:00/19:00). Longer than
  MAX_LENGTH characters is rejected too.
* A stored expression that no longer validates evaluates as unknown (logged),
  so one bad row never breaks a list page.

Library quirks worked around (opening-hours-py 2.1.4):

* Only `zoneinfo.ZoneInfo` datetimes are accepted, and a wall-clock time in
  the spring DST gap (e.g. 2026-03-29 02:30) raises TypeError; every time we
  pass is therefore converted through UTC to Europe/Amsterdam first.
* When the last rule is a fallback (`|| ...`) matching every day, `intervals()`
  and `next_change()` skip real openings. Any trailing normal rule fixes that,
  so `; 1900 off` (a no-op) is appended when no `PH off` is.
* An open period can be zero-length (`Su 02:15-02:45` on the spring-forward
  day); such periods are dropped.
* On the autumn night the library gives a change at 02:00-03:00 wall-clock time
  in its second occurrence (+01:00), while `state()` looks at the wall clock
  only (at 02:15 CEST a place with `Sa 20:00-02:00` is already closed). We
  take the first occurrence (+02:00, Python's fold=0), which agrees with that.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Iterator

import holidays
from dateutil.easter import easter
from flask_babel import gettext
from flask_babel import lazy_gettext as _l  # constants translate when used; without a request they stay Dutch
from opening_hours import OpeningHours, ParserError, State

from ..core.time import TZ

__all__ = ["TZ", "MAX_LENGTH", "HORIZON", "HoursError", "normalize_hours", "OpeningStatus",
           "opening_status", "DaySchedule", "week_schedule", "monday_of", "holiday_name",
           "open_periods", "hours_known"]

MAX_LENGTH = 1000
HORIZON = timedelta(days=366)  # how far ahead we look for the next change
COUNTRY = "NL"

log = logging.getLogger(__name__)

_COMMENT = re.compile(r'"[^"]*"')
_SPACES = re.compile(r'("[^"]*")|\s+')  # runs of white space outside comments
_POSITION = re.compile(r"-->\s*\d+:(\d+)")
_COMMENT_ONLY_RULE = re.compile(r'(?:^|;|,|\|\|)\s*(")\s*"\s*(?=;|\|\||$)')
_UNSUPPORTED = (
    (re.compile(r"\bSH\b", re.I), _l("Schoolvakanties (SH) kunnen we niet gebruiken. "
     "Zet de data erin, zoals: 2026 Jul 18-2026 Aug 30 off.")),
    (re.compile(r"\b(sunrise|sunset|dawn|dusk)\b", re.I), _l("Zonsopgang en zonsondergang kunnen "
     "we niet gebruiken. Schrijf een tijd, zoals 08:00-18:00.")),
)
_HINTS = (  # (pattern on the text at the error, pattern on the parser's expectation, hint)
    (r"(ma|di|wo|do|vr|za|zo)\b", None, _l("Gebruik Engelse afkortingen voor de dagen: "
     "Mo, Tu, We, Th, Fr, Sa, Su.")),
    (r"\d{1,2}\.\d\d", None, _l("Schrijf tijden met een dubbele punt, zoals 10:00.")),
    (None, r"\bwday\b|weekday", _l("Hier moet een dag staan: Mo, Tu, We, Th, Fr, Sa of Su.")),
    (None, r"time", _l("Hier moet een tijd staan, zoals 09:00-17:00.")),
)
_EXAMPLE = _l("Schrijf het bijvoorbeeld zo: Mo-Fr 09:00-17:00; Sa 10:00-12:00.")


class HoursError(ValueError):
    """Raised for a malformed/unsupported expression."""

    def __init__(self, message: str, expr: str, position: int | None = None):
        message = str(message)  # a plain string: a lazy one would reach templates as markup, unescaped
        super().__init__(message)
        self.message = message
        self.expr = expr  # the expression as checked: trimmed, white space tidied
        self.position = position  # 0-based offset into expr, when known

    @property
    def pointer(self) -> str | None:
        """The expression with a '^' on the next line under the wrong spot."""
        if self.position is None:
            return None
        return f"{self.expr}\n{' ' * self.position}^"


def _mask_comments(text: str) -> str:
    """Blank out comment text (keeping the quotes and every offset)."""
    return _COMMENT.sub(lambda m: '"' + " " * (len(m.group()) - 2) + '"', text)


def _syntax_error(text: str, exc: ParserError) -> HoursError:
    raw = str(exc)
    found = _POSITION.search(raw)
    if found is None:
        return HoursError(gettext("De openingstijden kloppen niet. %(example)s", example=_EXAMPLE), text)
    pos = min(int(found.group(1)) - 1, len(text))
    rest, expected = text[pos:], raw.rsplit("=", 1)[-1]
    hint = next((h for at, exp, h in _HINTS if (at and re.match(at, rest, re.I))
                 or (exp and re.search(exp, expected))), _EXAMPLE)
    if not rest.strip():
        return HoursError(gettext('De openingstijden zijn niet af: er mist iets na "%(end)s". %(hint)s',
                             end=text[-20:], hint=hint), text, pos)
    snippet = rest if len(rest) <= 20 else rest[:20] + "…"
    return HoursError(gettext('De openingstijden kloppen niet vanaf teken %(pos)d: "%(snippet)s". %(hint)s',
                         pos=pos + 1, snippet=snippet, hint=hint), text, pos)


def _parse(text: str) -> OpeningHours:
    try:
        return OpeningHours(text, timezone=TZ, country=COUNTRY)
    except ParserError as exc:
        raise _syntax_error(text, exc) from None


@lru_cache(maxsize=2048)
def _canonical(text: str) -> str:
    if len(text) > MAX_LENGTH:
        raise HoursError(gettext("De openingstijden zijn te lang. Gebruik hoogstens %(max)d tekens.", max=MAX_LENGTH),
                         text[:MAX_LENGTH] + "…")
    _parse(text)  # validate what the editor wrote, so positions match their text
    masked = _mask_comments(text)
    for pattern, message in _UNSUPPORTED:
        if found := pattern.search(masked):
            raise HoursError(message, text, found.start())
    for m in reversed(list(_COMMENT_ONLY_RULE.finditer(masked))):
        text = text[:m.start(1)] + "unknown " + text[m.start(1):]
    return str(_parse(text))


def normalize_hours(expr: str | None) -> str | None:
    """Validate `expr`; return the form to store, or None when hours are unknown.

    White space outside comments is collapsed first (the parser rejects double
    spaces); HoursError.position refers to that tidied text.
    """
    if expr is None:
        return None
    if not isinstance(expr, str):
        raise TypeError("opening hours must be a string")
    text = _SPACES.sub(lambda m: m.group(1) or " ", expr).strip()
    return _canonical(text) if text else None


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# In the stored form every date is written whole (`Dec 24-Dec 26`), so each date in the text is a
# single day or the first or last day of a range, never a day inside one.
_DATE = re.compile(r"\b(?:(\d{4}) )?(" + "|".join(_MONTHS) + r") (\d{1,2})\b")
_EASTER = re.compile(r"\beaster(?: ([+-]\d+) days?)?")


@lru_cache(maxsize=2048)
def _named_dates(stored: str) -> tuple[tuple, tuple]:
    """((year or None, month, day), ...) and (easter offsets, ...) that the rules name."""
    masked = _mask_comments(stored)
    dates = tuple((int(y) if y else None, _MONTHS.index(m) + 1, int(d))
                  for y, m, d in _DATE.findall(masked))
    offsets = tuple(int(n or 0) for n in _EASTER.findall(masked))
    return dates, offsets


def _named_holidays(stored: str, first: date, last: date) -> list[date]:
    """Public holidays from `first` to `last` that a dated rule names itself."""
    dates, offsets = _named_dates(stored)
    found = set()
    for year in range(first.year, last.year + 1):
        for y, m, d in dates:
            if y in (None, year):
                try:
                    found.add(date(year, m, d))
                except ValueError:  # Feb 29 in another year
                    pass
        found.update(easter(year) + timedelta(days=n) for n in offsets)
    return sorted(d for d in found if first <= d <= last and holiday_name(d))


class _HolidayAware:
    """`<expr>; PH off`, except on holidays a dated rule names: there the rules alone decide."""

    def __init__(self, stored: str, closed: OpeningHours, plain: OpeningHours):
        self.stored, self.closed, self.plain = stored, closed, plain

    def intervals(self, start: datetime, end: datetime):
        pos = start
        for day in _named_holidays(self.stored, start.date(), end.date()):
            a, b = max(_midnight(day), start), min(_midnight(day + timedelta(days=1)), end)
            if a >= b:
                continue
            if pos < a:
                yield from self.closed.intervals(pos, a)
            yield from self.plain.intervals(a, b)
            pos = b
        if pos < end:
            yield from self.closed.intervals(pos, end)


@lru_cache(maxsize=2048)
def _evaluator(stored: str):
    plain = _COMMENT.sub("", stored)
    fix = "; 1900 off" if "||" in plain else ""  # see the fallback quirk above
    if re.search(r"\bPH\b", plain) or plain.strip() == "24/7":
        return _parse(stored + fix)
    closed = _parse(stored + "; PH off")
    if _named_dates(stored) == ((), ()):
        return closed
    return _HolidayAware(stored, closed, _parse(stored + fix))


def _compile(expr: str | None):
    """The evaluator for `expr`, or None when the hours are unknown or invalid."""
    try:
        stored = normalize_hours(expr)
    except HoursError as exc:
        log.warning("Unusable opening hours %r: %s", expr, exc.message)
        return None
    return None if stored is None else _evaluator(stored)


def hours_known(expr: str | None) -> bool:
    """True when `expr` can be evaluated (not unknown, not invalid)."""
    return _compile(expr) is not None


@lru_cache(maxsize=64)
def _holidays_in(year: int) -> holidays.HolidayBase:
    return holidays.NL(years=year, language="nl")


@lru_cache(maxsize=1024)
def holiday_name(d: date) -> str | None:
    """Dutch name of the public holiday on `d` (e.g. 'Eerste kerstdag'), or None."""
    return _holidays_in(d.year).get(d)


def _midnight(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=TZ)


def _periods(oh: OpeningHours, start: datetime, end: datetime) -> Iterator[tuple]:
    """(start, end, State, comment) runs of one state, comments merged, empty runs dropped."""
    current = None
    for a, b, state, comment in oh.intervals(start, end):
        a, b = a.replace(fold=0), b.replace(fold=0)  # repeated autumn hour: first pass
        if a == b:
            continue
        if current and current[2] == state and current[1] == a:
            current = (current[0], b, state, current[3])
            continue
        if current:
            yield current
        current = (a, b, state, comment)
    if current:
        yield current


@dataclass(frozen=True)
class OpeningStatus:
    state: str  # "open" | "closed" | "unknown"
    open_now: bool | None  # None when hours are unknown (never shown as closed)
    closes_at: datetime | None  # when open: end of the current open period
    opens_at: datetime | None  # when closed: next opening within HORIZON
    next_change: datetime | None  # next state change within HORIZON
    holiday: str | None  # Dutch holiday name if `at` is on a public holiday
    comment: str | None = None  # comment of the current rule, e.g. "bel even"


_UNKNOWN = OpeningStatus("unknown", None, None, None, None, None)
_STATE_NAMES = {State.OPEN: "open", State.CLOSED: "closed", State.UNKNOWN: "unknown"}


def opening_status(expr: str | None, at: datetime) -> OpeningStatus:
    """Is the place open at `at` (aware), and until or from when."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("opening_status needs a timezone-aware datetime")
    oh = _compile(expr)
    if oh is None:
        return _UNKNOWN
    utc = at.astimezone(timezone.utc)  # via UTC: the library rejects times in the DST gap
    at, end = utc.astimezone(TZ), (utc + HORIZON).astimezone(TZ)
    periods = _periods(oh, at, end)
    _, until, state, comment = next(periods)  # never empty: `end` lies after `at`
    next_change = until if until < end else None
    opens_at = None
    if state == State.CLOSED:
        opens_at = next((a for a, _, s, _ in periods if s == State.OPEN), None)
    return OpeningStatus(
        state=_STATE_NAMES[state],
        open_now=None if state == State.UNKNOWN else state == State.OPEN,
        closes_at=next_change if state == State.OPEN else None,
        opens_at=opens_at,
        next_change=next_change,
        holiday=holiday_name(at.date()),
        comment=comment or None,
    )


def minute_status(expr: str | None, at: datetime) -> OpeningStatus:
    """opening_status, evaluated once per distinct expression and whole minute in this process.

    Hours change on whole minutes, so every second of a minute has the same status; a page of 20
    places, the open-now filter over 10,000 candidates and the API then share evaluations.
    """
    return _status_at(expr, at.replace(second=0, microsecond=0))


@lru_cache(maxsize=8192)
def _status_at(expr: str | None, minute: datetime) -> OpeningStatus:
    return opening_status(expr, minute)


@dataclass(frozen=True)
class DaySchedule:
    day: date
    intervals: list[tuple[datetime, datetime]]  # open periods starting on this day
    holiday: str | None  # Dutch public holiday name, or None
    closed_all_day: bool  # no open periods (False when the day is unknown)
    is_today: bool
    unknown: bool  # hours unknown (for the whole place or part of this day)


def _day_pieces(a: datetime, b: datetime) -> Iterator[tuple[date, datetime, datetime]]:
    """Cut an open period into per-day pieces.

    A piece runs on past midnight when the period ends before the next day is
    over (Fr 20:00-02:00 stays on Friday); otherwise it is cut at midnight, so
    24/7 gives 00:00-24:00 on every day.
    """
    while a < b:
        day = a.date()
        cut = b if b < _midnight(day + timedelta(days=2)) else _midnight(day + timedelta(days=1))
        yield day, a, cut
        a = cut


def week_schedule(expr: str | None, start: date, today: date | None = None) -> list[DaySchedule]:
    """Seven days from `start` (callers pass the Monday of the week)."""
    today = today or datetime.now(TZ).date()
    days = [start + timedelta(days=i) for i in range(7)]
    oh = _compile(expr)
    if oh is None:
        return [DaySchedule(d, [], holiday_name(d), False, d == today, True) for d in days]
    opened: dict[date, list] = {d: [] for d in days}
    unknown: set[date] = set()
    window = _midnight(start - timedelta(days=2)), _midnight(start + timedelta(days=9))
    for a, b, state, _ in _periods(oh, *window):
        if state == State.OPEN:
            for day, s, e in _day_pieces(a, b):
                opened.get(day, []).append((s, e))
        elif state == State.UNKNOWN:
            unknown.update(d for d in days if a < _midnight(d + timedelta(days=1))
                           and b > _midnight(d))
    return [DaySchedule(d, opened[d], holiday_name(d), not opened[d] and d not in unknown,
                        d == today, d in unknown) for d in days]


def monday_of(d: date) -> date:
    """The Monday of the ISO week that contains `d`."""
    return d - timedelta(days=d.weekday())


@lru_cache(maxsize=8192)
def open_periods(expr: str | None, start: datetime, end: datetime) -> tuple[tuple[datetime, datetime], ...]:
    """The open periods inside [start, end) (aware), cut to that window; empty when unknown."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("open_periods needs timezone-aware datetimes")
    oh = _compile(expr)
    if oh is None or end <= start:
        return ()
    a = start.astimezone(timezone.utc).astimezone(TZ)  # via UTC: see the DST gap quirk
    b = end.astimezone(timezone.utc).astimezone(TZ)
    return tuple((max(s, a), min(e, b)) for s, e, state, _ in _periods(oh, a, b)
                 if state == State.OPEN and min(e, b) > max(s, a))

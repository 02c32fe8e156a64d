"""What differs from a place's usual week in the coming weeks: closures, holidays, special hours.

The usual week is what the rules without a date say (`Mo-Fr 09:00-17:00`); every day of the
coming weeks is compared with it, holidays and dated rules included. Pure Python (no Flask).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .hours import (TZ, _COMMENT, _DATE, _EASTER, HoursError, holiday_name, normalize_hours,
                    open_periods, opening_status)

WEEKS = 4
_DATED = re.compile(_DATE.pattern + "|" + _EASTER.pattern + r"|\bPH\b|\bweek\b|\b\d{4}\b")


@dataclass(frozen=True)
class Deviation:
    kind: str  # "closed" (a run of days) | "hours" (one day with other hours)
    first: date
    last: date
    name: str | None  # holiday name, or the rule's comment ("Kerstdiner")
    periods: tuple[tuple[datetime, datetime], ...] = ()


def _usual(stored: str) -> str | None:
    """The rules without a date: the usual week (None when every rule is dated)."""
    rules = [r.strip() for r in stored.split(";")]
    plain = [r for r in rules if r and not _DATED.search(_COMMENT.sub("", r))]
    return "; ".join(plain) if plain else None


def _day(expr: str | None, day: date) -> tuple:
    start = datetime.combine(day, time(0), TZ)
    return open_periods(expr, start, datetime.combine(day + timedelta(days=1), time(0), TZ))


def _shape(periods) -> list[tuple]:
    """Periods as (wall-clock start, length), to compare days of different dates."""
    return [(a.time(), b - a) for a, b in periods]


def _normal(usual: str | None, day: date) -> list[tuple]:
    """The usual week's hours on that weekday, read from the nearest same weekday without a holiday
    (the usual week itself is closed on holidays, and that closure is what we want to report)."""
    for weeks in (0, 1, -1, 2, -2):
        other = day + timedelta(weeks=weeks)
        if not holiday_name(other):
            return _shape(_day(usual, other))
    return []


def _comment(stored: str, day: date) -> str | None:
    periods = _day(stored, day)
    moment = periods[0][0] if periods else datetime.combine(day, time(12), TZ)
    return opening_status(stored, moment).comment


def coming_deviations(expr: str | None, today: date, weeks: int = WEEKS) -> list[Deviation]:
    """Days in [today, today + weeks) whose hours differ from the usual week, closed runs merged."""
    try:
        stored = normalize_hours(expr)
    except HoursError:
        return []
    if stored is None:
        return []
    usual = _usual(stored)
    found: list[Deviation] = []
    run: list[date] = []  # closed days of the current closure
    for n in range(weeks * 7):
        day = today + timedelta(days=n)
        actual, normal = _day(stored, day), _normal(usual, day)
        shifted = _shape(actual) != normal
        if not actual and normal:
            run.append(day)
            continue
        if not actual and not normal:
            continue  # a usual closed day neither breaks nor starts a closure
        if run:
            found += _closure(run, stored)
            run = []
        if shifted:
            found.append(Deviation("hours", day, day, _comment(stored, day) or holiday_name(day), actual))
    if run:  # a closure still going at the end: say when it really ends (within eight more weeks)
        day = today + timedelta(weeks=weeks)
        while day < today + timedelta(weeks=weeks + 8) and not _day(stored, day):
            if _normal(usual, day):
                run.append(day)
            day += timedelta(days=1)
        found += _closure(run, stored)
    return found


def _closure(days: list[date], stored: str) -> list[Deviation]:
    """One closure, or each holiday by name when only holidays close the place."""
    if all(holiday_name(d) for d in days):
        return [Deviation("closed", d, d, holiday_name(d)) for d in days]
    return [Deviation("closed", days[0], days[-1], _comment(stored, days[0]))]

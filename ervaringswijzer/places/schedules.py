"""Opening hours between OSM expressions and HSDS schedules (RFC 5545 recurrence rules), both ways.

Pure Python. Only what both can say is mapped: weekly days ("Mo-Fr 09:00-17:00") and the n-th
weekday of a month ("Sa[1] 10:00-13:00"); "PH off" is our default anyway. Anything else (dates,
months, comments, week numbers, counts) has no rule: the OSM expression and its Dutch reading
always travel along in the schedule's notes and description, so nothing is lost.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
OSM_NOTE = "OpenStreetMap opening_hours: "

_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_SPAN = re.compile(rf"^({_TIME})-({_TIME})$")
_DAY_ITEM = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?(?:\[(-1|[1-5])\])?$")
_BYDAY = re.compile(r"^(-1|[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


@dataclass(frozen=True)
class Rule:
    """One HSDS schedule's recurrence: WEEKLY on days, or MONTHLY on the n-th weekday."""
    freq: str
    byday: str
    opens_at: str  # HH:MM:SS
    closes_at: str


def _days_of(item: str) -> list[tuple[str, str]] | None:
    """'Mo-Fr' -> [('', 'MO'), ...]; 'Sa[1]' -> [('1', 'SA')]; None when OSM says more than that."""
    match = _DAY_ITEM.match(item)
    if not match:
        return None
    first, last, nth = match.groups()
    a = DAYS.index(first)
    b = DAYS.index(last) if last else a
    if b < a or (nth and last):
        return None
    return [(nth or "", RRULE_DAYS[i]) for i in range(a, b + 1)]


def osm_to_rules(expr: str | None) -> list[Rule] | None:
    """RFC 5545 rules for an OSM expression, or None when it says more than rules can."""
    if not expr:
        return None
    rules: list[Rule] = []
    for part in expr.split(";"):
        part = part.strip()
        if not part or part == "PH off":
            continue
        pieces = part.split(None, 1)
        if len(pieces) != 2:
            return None
        days: list[tuple[str, str]] = []
        for item in pieces[0].split(","):
            found = _days_of(item)
            if found is None:
                return None
            days += found
        spans = [_SPAN.match(s.strip()) for s in pieces[1].split(",")]
        if not all(spans):
            return None
        weekly = ",".join(d for n, d in days if not n)
        monthly = ",".join(n + d for n, d in days if n)
        for span in spans:
            opens, closes = span.group(1) + ":00", span.group(2) + ":00"
            if weekly:
                rules.append(Rule("WEEKLY", weekly, opens, closes))
            if monthly:
                rules.append(Rule("MONTHLY", monthly, opens, closes))
    return rules or None


def _osm_days(byday: str, monthly: bool) -> str | None:
    items = []
    for token in byday.replace(" ", "").upper().split(","):
        match = _BYDAY.match(token)
        if not match or bool(match.group(1)) != monthly:
            return None
        day = DAYS[RRULE_DAYS.index(match.group(2))]
        items.append(f"{day}[{match.group(1)}]" if monthly else day)
    return ",".join(_ranges(items)) if not monthly else ",".join(items)


def _ranges(days: list[str]) -> list[str]:
    """['Mo', 'Tu', 'We', 'Fr'] -> ['Mo-We', 'Fr']."""
    index = sorted({DAYS.index(d) for d in days})
    out, start = [], None
    for i, n in enumerate(index):
        if start is None:
            start = n
        if i + 1 == len(index) or index[i + 1] != n + 1:
            out.append(DAYS[start] if start == n else f"{DAYS[start]}-{DAYS[n]}")
            start = None
    return out


_NOT_EXPRESSIBLE = ("byweekno", "bymonthday", "byyearday", "count", "until", "valid_from", "valid_to", "dtstart")


def schedule_to_osm(schedule: dict) -> str | None:
    """One HSDS schedule as an OSM rule ("Mo,Th 10:00-18:00"), or None when it cannot be one."""
    freq = (schedule.get("freq") or "").upper()
    if freq not in ("WEEKLY", "MONTHLY") or any(schedule.get(k) not in (None, "") for k in _NOT_EXPRESSIBLE):
        return None
    if schedule.get("interval") not in (None, "", 1, "1"):
        return None
    opens, closes = schedule.get("opens_at") or "", schedule.get("closes_at") or ""
    if not (re.fullmatch(rf"{_TIME}(:00)?", opens) and re.fullmatch(rf"{_TIME}(:00)?", closes)):
        return None
    days = _osm_days(schedule.get("byday") or "", freq == "MONTHLY")
    if not days:
        return None
    return f"{days} {opens[:5]}-{closes[:5]}"


def schedules_to_osm(schedules: list[dict]) -> tuple[str | None, str]:
    """(OSM expression, text kept for people) read from HSDS schedules.

    Our own export carries the exact expression in the notes. Otherwise every schedule must map
    to a rule; when one cannot, no hours are guessed and the schedules' own words are kept.
    """
    for schedule in schedules:
        notes = schedule.get("notes") or ""
        if notes.startswith(OSM_NOTE):
            return notes[len(OSM_NOTE):].strip() or None, ""
    if not schedules:
        return None, ""
    rules = [schedule_to_osm(s) for s in schedules]
    if all(rules):
        return _joined(rules), ""
    texts = [s.get("description") or s.get("notes") or "" for s in schedules]
    return None, " ".join(t.strip() for t in dict.fromkeys(texts) if t and t.strip())


def _joined(rules: list[str]) -> str:
    """'Mo-Fr 09:00-12:00' + 'Mo-Fr 13:00-17:00' -> 'Mo-Fr 09:00-12:00,13:00-17:00'. Groups on days that
    do not overlap are separate rules ('; '); overlapping ones are added to each other (', '), because in
    OSM a later '; ' rule would replace an earlier one on the same day."""
    spans: dict[str, list[str]] = {}
    for rule in rules:
        days, span = rule.split(" ", 1)
        spans.setdefault(days, [])
        if span not in spans[days]:
            spans[days].append(span)
    day_sets = [_day_set(days) for days in spans]
    disjoint = sum(len(d) for d in day_sets) == len(set().union(*day_sets))
    return ("; " if disjoint else ", ").join(f"{days} {','.join(s)}" for days, s in spans.items())


def _day_set(days: str) -> set[str]:
    """The weekdays a day list touches (the n-th weekday of a month touches that weekday)."""
    found: set[str] = set()
    for item in days.split(","):
        match = _DAY_ITEM.match(item)
        if match:
            first, last = match.group(1), match.group(2) or match.group(1)
            found |= set(DAYS[DAYS.index(first):DAYS.index(last) + 1])
    return found

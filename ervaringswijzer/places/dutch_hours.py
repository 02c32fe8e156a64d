"""Opening hours typed the Dutch way ("ma-vr 9-17", "za en zo 10-14") turned into OSM syntax.

Pure Python. `hours_from_input` is what a form and an import call: an OSM expression is kept as it
is, a Dutch one is converted, and what fits neither gets a plain Dutch message.
"""
from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .hours import HoursError, normalize_hours

OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_WORDS = {
    "maandag": 0, "ma": 0, "dinsdag": 1, "di": 1, "woensdag": 2, "wo": 2, "donderdag": 3, "do": 3,
    "vrijdag": 4, "vr": 4, "zaterdag": 5, "za": 5, "zondag": 6, "zo": 6,
}
_GROUPS = {"dagelijks": "Mo-Su", "elke dag": "Mo-Su", "alle dagen": "Mo-Su", "iedere dag": "Mo-Su",
           "werkdagen": "Mo-Fr", "doordeweeks": "Mo-Fr", "weekend": "Sa,Su", "feestdagen": "PH"}
_DAY = r"(?:" + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + r")\.?"
_GROUP = "|".join(g.replace(" ", r"\s+") for g in sorted(_GROUPS, key=len, reverse=True))
_TO = r"\s*(?:-|–|t/m|tm|tot\s+en\s+met)\s*"
_AND = r"\s*(?:,|&|/|\+|\ben\b)\s*"
_DAYS = rf"(?:(?:{_GROUP})|{_DAY}(?:{_TO}{_DAY})?(?:{_AND}{_DAY}(?:{_TO}{_DAY})?)*)"
_TIME = r"\d{1,2}(?:[:.]\d{2})?"
_SPAN = rf"(?:van\s+)?{_TIME}(?:\s*uur)?\s*(?:-|–|tot)\s*{_TIME}(?:\s*uur)?"
_TIMES = rf"(?:gesloten|dicht|{_SPAN}(?:{_AND}{_SPAN})*)"
_RULE = re.compile(rf"\s*(?:op\s+)?(?P<days>{_DAYS})\s*:?\s*(?P<times>{_TIMES})\s*(?:[;,\n]|\ben\b|$)",
                   re.IGNORECASE)
_DUTCH_WORD = re.compile(rf"\b(?:{_DAY}|{_GROUP}|gesloten|uur|tot)\b", re.IGNORECASE)
_EXAMPLE = _l("Schrijf het bijvoorbeeld zo: ma-vr 9-17; za 10-14.")


def _days(text: str) -> str:
    text = " ".join(text.lower().split())
    if text in _GROUPS:
        return _GROUPS[text]
    parts = []
    for piece in re.split(_AND, re.sub(_TO, "-", text)):
        ends = [_DAY_WORDS[d.strip().rstrip(".")] for d in piece.split("-")]
        parts.append("-".join(OSM_DAYS[d] for d in ends))
    return ",".join(parts)


def _clock(text: str) -> tuple[int, int]:
    h, _, m = text.replace(".", ":").partition(":")
    hour, minute = int(h), int(m or 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise HoursError(gettext('"%(text)s" is geen tijd. %(example)s', text=text, example=_EXAMPLE), text)
    return hour, minute


def _span(text: str) -> str:
    start_text, end_text = re.findall(_TIME, text)
    start, end = _clock(start_text), _clock(end_text)
    if end <= start and end[0] + 12 > start[0] and end[0] <= 12 and end != (0, 0):
        end = (end[0] + 12, end[1])  # "9-5" means until five in the afternoon
    if start == end:
        raise HoursError(gettext('"%(text)s" begint en eindigt op dezelfde tijd. %(example)s', text=text.strip(),
                            example=_EXAMPLE), text)
    return f"{start[0]:02d}:{start[1]:02d}-{end[0]:02d}:{end[1]:02d}"


def dutch_to_osm(text: str) -> str | None:
    """'ma-vr 9-17; za 10-14' -> 'Mo-Fr 09:00-17:00; Sa 10:00-14:00'; None when no Dutch day is named.

    Raises HoursError (plain Dutch) for a Dutch text we cannot read whole.
    """
    text = " ".join((text or "").split(" ")).strip()
    if not _DUTCH_WORD.search(text):
        return None
    rules, pos = [], 0
    while pos < len(text):
        found = _RULE.match(text, pos)
        if not found:
            rest = text[pos:].strip(" ;,")
            if not rest:
                break
            snippet = rest if len(rest) <= 20 else rest[:20] + "…"
            raise HoursError(gettext('Dit stuk begrijpen we niet: "%(snippet)s". Zet eerst de dagen en dan de '
                                'tijden. %(example)s', snippet=snippet, example=_EXAMPLE), text, pos)
        days, times = _days(found["days"]), found["times"].lower()
        if times in ("gesloten", "dicht"):
            rules.append(f"{days} off")
        else:
            spans = re.findall(_SPAN, times, re.IGNORECASE)
            rules.append(f"{days} " + ",".join(_span(s) for s in spans))
        pos = found.end()
    if not rules:
        raise HoursError(gettext("We vinden geen dagen met tijden. %(example)s", example=_EXAMPLE), text)
    return "; ".join(rules)


def hours_from_input(expr):
    """The form to store for what someone typed: OSM as it is, Dutch converted, None when empty."""
    try:
        return normalize_hours(expr)
    except HoursError as osm_error:
        converted = dutch_to_osm(expr)  # raises its own plain message for Dutch it cannot read
        if converted is None:
            raise osm_error from None
        return normalize_hours(converted)


_OSM_DAY_NL = {"Mo": "ma", "Tu": "di", "We": "wo", "Th": "do", "Fr": "vr", "Sa": "za", "Su": "zo",
               "PH": "feestdagen", "off": "gesloten", "closed": "gesloten", "open": "open"}
_MONTHS_NL = {"Jan": "jan", "Feb": "feb", "Mar": "mrt", "Apr": "apr", "May": "mei", "Jun": "jun",
              "Jul": "jul", "Aug": "aug", "Sep": "sep", "Oct": "okt", "Nov": "nov", "Dec": "dec"}
_OSM_TOKEN = re.compile(r'"[^"]*"|\bPH\b|\b[A-Z][a-z]{1,2}\b(?:\[(-?\d)\])?|\boff\b|\bclosed\b|\bopen\b|24/7')


def osm_to_dutch(expr: str | None) -> str:
    """A plain Dutch reading of an OSM expression ("Mo-Fr 09:00-17:00" -> "ma-vr 09:00-17:00"),
    for people who read a spreadsheet or an HSDS description; never parsed back."""
    if not expr:
        return "onbekend (bel even)"

    def word(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith('"'):
            return token
        if token == "24/7":
            return "dag en nacht open"
        base = token.split("[")[0]
        if base in _MONTHS_NL:
            return _MONTHS_NL[base]
        text = _OSM_DAY_NL.get(base, base)
        if match.group(1):
            n = int(match.group(1))
            return f"{'laatste' if n == -1 else f'{n}e'} {text} van de maand"
        return text
    return "; ".join(_OSM_TOKEN.sub(word, rule.strip()) for rule in expr.split(";") if rule.strip())

"""Keeping a client's identity out of free text: a citizen service number (BSN) or a birth date is refused.

Pure functions, no Flask. A BSN is nine digits (dots, spaces or dashes between groups allowed) that pass
the eleven test; a birth date is a full date whose year lies well in the past, or any date right after
"geboren", "geb." or "geboortedatum".
"""
from __future__ import annotations

import re
from datetime import date

_NINE_DIGITS = re.compile(r"(?<![\d])(\d(?:[ .\-]?\d){8})(?![\d])")
_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
           "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2}|\d{4})(?!\d)")
_WORD_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_MONTHS})\.?\s+(\d{{2}}|\d{{4}})(?!\d)", re.I)
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_BIRTH_WORDS = re.compile(r"\b(geboren|geb\.?|geboortedatum|geb\.datum|dob)\b", re.I)
# A full date at least this many years back is taken for a birth date, not for an appointment.
BIRTH_YEARS_BACK = 5


def passes_eleven_test(digits: str) -> bool:
    """The BSN check: 9*d1 + 8*d2 + ... + 2*d8 - d9 is a multiple of 11 (and not all zeros)."""
    if len(digits) != 9 or not digits.isdigit() or set(digits) == {"0"}:
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def contains_bsn(text: str) -> bool:
    for match in _NINE_DIGITS.finditer(text or ""):
        if passes_eleven_test(re.sub(r"\D", "", match.group(1))):
            return True
    return False


def _full_year(year: str) -> int:
    number = int(year)
    if len(year) == 2:
        return 1900 + number if number > 30 else 2000 + number
    return number


def _dates(text: str):
    """(start offset, year) for every full date written in the text."""
    for match in _NUMERIC_DATE.finditer(text):
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            yield match.start(), _full_year(match.group(3))
    for match in _WORD_DATE.finditer(text):
        if 1 <= int(match.group(1)) <= 31:
            yield match.start(), _full_year(match.group(3))
    for match in _ISO_DATE.finditer(text):
        if 1 <= int(match.group(2)) <= 12 and 1 <= int(match.group(3)) <= 31:
            yield match.start(), int(match.group(1))


def contains_birth_date(text: str, today: date | None = None) -> bool:
    text = text or ""
    this_year = (today or date.today()).year
    births = [m.end() for m in _BIRTH_WORDS.finditer(text)]
    for start, year in _dates(text):
        if 1900 <= year <= this_year - BIRTH_YEARS_BACK:
            return True
        if any(0 <= start - end <= 20 for end in births):
            return True
    return False


def identity_problem(text: str, today: date | None = None) -> str | None:
    """'bsn', 'birth_date' or None."""
    if contains_bsn(text):
        return "bsn"
    if contains_birth_date(text, today):
        return "birth_date"
    return None

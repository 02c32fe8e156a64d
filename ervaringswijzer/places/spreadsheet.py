"""Places as CSV rows: one row per place, one column per flag, cells safe to open in a spreadsheet.

Pure Python apart from the Place attributes it reads. A cell that starts with = + - @ tab or CR
would be run as a formula by Excel or LibreOffice (CSV injection, OWASP); on export such a text
cell gets a leading apostrophe, on import that apostrophe is taken off again. A cell that arrives
as a live formula (= or @ without the apostrophe) is refused: we cannot tell text from a trap.
"""
from __future__ import annotations

import csv
import io
from typing import Iterable, Iterator

from .categories import FLAG_KEYS
from .dutch_hours import osm_to_dutch

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIVE_FORMULA_START = ("=", "@")

COLUMNS = (
    "slug", "name", "description", "categories", "status",
    "street", "postcode", "city", "wijk", "lat", "lon",
    "phone", "email", "website", "contact_name", "contact_role",
    *FLAG_KEYS,
    "languages", "participation_rung",
    "first_arrival", "first_greeter", "first_coffee_free", "first_signup_required",
    "first_quiet_times", "first_busy_times",
    "opening_hours", "opening_hours_nl", "opening_hours_note", "last_checked", "source", "source_id",
)
# Columns whose values are numbers, never neutralised (a longitude may well be negative).
NUMERIC = {"lat", "lon", "participation_rung"}
YES, NO = "ja", "nee"
_TRUE = {"ja", "yes", "true", "1", "waar", "x"}
_FALSE = {"nee", "no", "false", "0", "onwaar", ""}


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _yes_no(value) -> str:
    return "" if value is None else (YES if value else NO)


def place_row(data: dict) -> list[str]:
    """The CSV cells for one place, from its export dict (serialize.place_to_export)."""
    address, contact = data["address"], data["contact"]
    person = data.get("contact_person") or {}
    first = data.get("first_visit") or {}
    location = data.get("location") or {}
    values = {
        "slug": data["slug"], "name": data["name"], "description": data["description"],
        "categories": ",".join(data["categories"]), "status": data.get("status", "published"),
        "street": address["street"], "postcode": address["postcode"], "city": address["city"],
        "wijk": address["wijk"], "lat": location.get("lat"), "lon": location.get("lon"),
        "phone": contact["phone"], "email": contact["email"], "website": contact["website"],
        "contact_name": person.get("name"), "contact_role": person.get("role"),
        **{key: _yes_no(data["flags"][key]) for key in FLAG_KEYS},
        "languages": ",".join(data.get("languages") or []),
        "participation_rung": data.get("participation_rung"),
        "first_arrival": first.get("arrival"), "first_greeter": first.get("greeter"),
        "first_coffee_free": _yes_no(first.get("coffee_free")),
        "first_signup_required": _yes_no(first.get("signup_required")),
        "first_quiet_times": first.get("quiet_times"), "first_busy_times": first.get("busy_times"),
        "opening_hours": data["opening_hours"], "opening_hours_nl": osm_to_dutch(data["opening_hours"]),
        "opening_hours_note": data.get("opening_hours_note"), "last_checked": data.get("last_checked"),
        "source": data.get("source"), "source_id": data.get("source_id"),
    }
    row = []
    for column in COLUMNS:
        value = values[column]
        text = "" if value is None else (repr(value) if isinstance(value, float) else str(value))
        row.append(text if column in NUMERIC else neutralise(text))
    return row


def csv_lines(rows: Iterable[list[str]], delimiter: str = ",") -> Iterator[str]:
    """The header and each row as CSV text, one string per row (so callers can stream)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in _with_header(rows):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _with_header(rows):
    yield list(COLUMNS)
    yield from rows


class CellError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _cell(row: dict, key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    value = str(value)
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_START:
        return value[1:]
    if value.startswith(LIVE_FORMULA_START) and key not in NUMERIC:
        raise CellError(key, "begint met = of @ en zou in een rekenblad als formule werken; "
                             "zet er een ' voor als het gewone tekst is")
    return value


def _bool(row: dict, key: str, optional: bool = False):
    value = _cell(row, key).strip().lower()
    if optional and value == "":
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(key, f"moet ja of nee zijn, niet {value[:20]!r}")


def _number(row: dict, key: str, kind=float):
    value = _cell(row, key).strip().replace(",", ".") if kind is float else _cell(row, key).strip()
    if value == "":
        return None
    try:
        return kind(value)
    except ValueError:
        raise CellError(key, f"moet een getal zijn, niet {value[:20]!r}") from None


def row_to_place(row: dict) -> dict:
    """A PLACE dict from one CSV row (keys are the header's column names). Raises CellError."""
    for key in row:
        if key is not None and key not in NUMERIC:
            _cell(row, key)  # a live formula anywhere is refused, also in columns we do not read
    categories = _cell(row, "categories")
    lat, lon = _number(row, "lat"), _number(row, "lon")
    data = {
        "name": _cell(row, "name"), "description": _cell(row, "description"),
        "address": {"street": _cell(row, "street"), "postcode": _cell(row, "postcode"),
                    "city": _cell(row, "city"), "wijk": _cell(row, "wijk")},
        "location": None if lat is None and lon is None else {"lat": lat, "lon": lon},
        "contact": {"phone": _cell(row, "phone"), "email": _cell(row, "email"), "website": _cell(row, "website")},
        "contact_person": {"name": _cell(row, "contact_name"), "role": _cell(row, "contact_role")},
        "flags": {key: _bool(row, key) for key in FLAG_KEYS if key in row},
        "opening_hours": _cell(row, "opening_hours") or None,
        "opening_hours_note": _cell(row, "opening_hours_note"),
        "first_visit": {"arrival": _cell(row, "first_arrival"), "greeter": _cell(row, "first_greeter"),
                        "coffee_free": _bool(row, "first_coffee_free", optional=True),
                        "signup_required": _bool(row, "first_signup_required", optional=True),
                        "quiet_times": _cell(row, "first_quiet_times"), "busy_times": _cell(row, "first_busy_times")},
        "languages": [c.strip() for c in _cell(row, "languages").split(",") if c.strip()] or None,
        "participation_rung": _number(row, "participation_rung", int),
        "last_checked": _cell(row, "last_checked") or None,
        "status": _cell(row, "status") or None,
    }
    if "categories" in row:
        data["categories"] = [c.strip() for c in categories.split(",") if c.strip()]
    for key in ("slug", "source", "source_id"):
        if _cell(row, key):
            data[key] = _cell(row, key)
    return data

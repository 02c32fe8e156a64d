"""Read places from JSON, GeoJSON, CSV, HSDS JSON or an HSDS data package into rows.

Reading turns bytes into rows (where in the file, a PLACE dict, warnings); import_plan.py compares
them with what is stored. Every message is plain Dutch and names the row and the field.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

from .hsds import service_to_place
from .hsds_tabular import PackageError, nest_services, read_package
from .jsonrows import read_rows as json_values
from .services import COMPUTED_FIELDS
from .spreadsheet import CellError, row_to_place

FORMATS = ("json", "geojson", "csv", "hsds", "hsds-csv")
_CSV_FIELD_LIMIT = 100_000


@dataclass
class Problem:
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        if self.where == self.field == "bestand":
            return self.message
        return f"{self.where}, {self.field}: {self.message}"


@dataclass
class Row:
    where: str
    line: int
    data: dict
    warnings: list[tuple[str, str]] = field(default_factory=list)
    error: tuple[str, str] | None = None  # (field, message) when the row could not even be read


class ImportFileError(ValueError):
    """The file as a whole cannot be read (size, encoding, syntax before the first row ...)."""
    def __init__(self, message: str, where: str = "bestand", field: str = "bestand"):
        super().__init__(message)
        self.problem = Problem(where, field, message)


# ---------------------------------------------------------------------------------------------------------
# Bytes to text to format
# ---------------------------------------------------------------------------------------------------------

def decode(data: bytes) -> str:
    """Text of an upload: UTF-8 (a byte order mark is fine) or UTF-16 with its mark; else a plain message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError("het bestand zegt UTF-16 te zijn, maar is dat niet") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportFileError("dit bestand is geen UTF-8 (misschien Windows-1252 of Latin-1). "
                              "Sla het op als UTF-8 en probeer het opnieuw.", f"regel {line}") from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise ImportFileError("het bestand bevat nul-tekens: misschien UTF-16 zonder kenmerk. "
                              "Sla het op als UTF-8.", f"regel {line}")
    return text


_HSDS_KEYS = {"service_at_locations", "organization_id", "services", "contents", "schedules", "phones"}


def detect_format(data: bytes) -> str:
    """The format, read from the content itself (the name of a file can lie)."""
    if data.startswith(b"PK\x03\x04"):
        return "hsds-csv"
    text = decode(data)
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return "csv"
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        return "json"  # JSON lines, or broken JSON that the JSON reader reports line by line
    first = whole[0] if isinstance(whole, list) and whole else whole
    if isinstance(first, dict) and first.get("type") == "FeatureCollection":
        return "geojson"
    if isinstance(first, dict) and _HSDS_KEYS & set(first) and "slug" not in first:
        return "hsds"
    return "json"


def _broken_json(exc: json.JSONDecodeError) -> ImportFileError:
    return ImportFileError(f"geen geldige JSON ({exc.msg}, kolom {exc.colno})", f"regel {exc.lineno}")


# ---------------------------------------------------------------------------------------------------------
# Each format to rows
# ---------------------------------------------------------------------------------------------------------

def _without_computed(value):
    return {k: v for k, v in value.items() if k not in COMPUTED_FIELDS} if isinstance(value, dict) else value


def rows_json(text: str) -> list[Row]:
    values, errors = json_values(text)
    if errors and not values and len(errors) == 1 and text.lstrip().startswith("["):
        raise ImportFileError(errors[0].message, f"regel {errors[0].line}")
    shared = {line for line, _v in values if sum(1 for other, _w in values if other == line) > 1} \
        if len(values) < 5000 else set()
    rows = [Row(f"plek {i + 1} (regel {line})" if line in shared else f"regel {line}", line, _without_computed(value))
            for i, (line, value) in enumerate(values)]
    rows += [Row(f"regel {e.line}", e.line, {}, error=("JSON", e.message)) for e in errors]
    return sorted(rows, key=lambda r: r.line)


def _list_at(text: str, key: str) -> list[tuple[int, object]]:
    """(line, value) of the list under `key` (the first one in the text), for line numbers."""
    match = re.search(rf'"{key}"\s*:\s*\[', text)
    if not match:
        return []
    values, _errors = json_values(text, match.end() - 1)
    return values


def rows_geojson(text: str) -> list[Row]:
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _broken_json(exc) from None
    if not isinstance(whole, dict) or whole.get("type") != "FeatureCollection" or \
            not isinstance(whole.get("features"), list):
        raise ImportFileError("een GeoJSON-bestand moet een FeatureCollection met features zijn")
    lines = [line for line, _v in _list_at(text, "features")]
    rows = []
    for i, feature in enumerate(whole["features"]):
        line = lines[i] if i < len(lines) else i + 1
        rows.append(_feature_row(feature, f"regel {line}", line))
    return rows


def _feature_row(feature, where: str, line: int) -> Row:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return Row(where, line, {}, error=("feature", "moet een GeoJSON Feature zijn"))
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        return Row(where, line, {}, error=("properties", "moet een object zijn"))
    data = _without_computed(dict(props))
    geometry = feature.get("geometry")
    if geometry is not None:
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if not (isinstance(geometry, dict) and geometry.get("type") == "Point" and isinstance(coords, list)
                and len(coords) >= 2):
            return Row(where, line, {}, error=("geometry", "alleen een punt (Point) met [lengtegraad, breedtegraad]"))
        data["location"] = {"lat": coords[1], "lon": coords[0]}
    else:
        data.pop("location", None)
    if "slug" not in data and feature.get("id") not in (None, ""):
        data.setdefault("source_id", str(feature["id"]))
    warnings = []
    if "categories" not in data:
        data["categories"] = ["help_advice"]
        warnings.append(("categories", "geen categorie in het bestand; ingedeeld bij help_advice"))
    return Row(where, line, data, warnings)


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    return max(counts, key=counts.get)


def rows_csv(text: str) -> list[Row]:
    header = text.split("\n", 1)[0]
    if "name" not in header:
        raise ImportFileError("de eerste regel moet de kolomnamen bevatten, met minstens 'name'", "regel 1")
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(header))
    try:
        reader.fieldnames  # reads the header, so line_num counts from the first row on
    except csv.Error as exc:
        raise ImportFileError(f"geen geldige CSV ({exc})", "regel 1") from None
    rows = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise ImportFileError(f"geen geldige CSV ({exc})", f"regel {start}") from None
        where = f"regel {start}"
        if None in record:
            rows.append(Row(where, start, {}, error=("kolommen", "deze regel heeft meer cellen dan er kolommen zijn")))
            continue
        try:
            data = row_to_place(record)
        except CellError as exc:
            rows.append(Row(where, start, {}, error=(exc.field, exc.message)))
            continue
        warnings = []
        if "categories" not in data:
            data["categories"] = ["help_advice"]
            warnings.append(("categories", "geen kolom categories; ingedeeld bij help_advice"))
        if "slug" not in data and record.get("id"):
            data.setdefault("source_id", record["id"])
        rows.append(Row(where, start, data, warnings))


def _service_row(service, where: str, line: int, terms: dict[str, str] | None = None) -> Row:
    if not isinstance(service, dict):
        return Row(where, line, {}, error=("service", "moet een object zijn"))
    try:
        data, warnings = service_to_place(service, terms)
    except (AttributeError, TypeError) as exc:
        return Row(where, line, {}, error=("service", f"heeft niet de vorm van HSDS 3.0 ({exc})"))
    return Row(where, line, data, warnings)


def rows_hsds(text: str) -> list[Row]:
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _broken_json(exc) from None
    if isinstance(whole, dict) and isinstance(whole.get("contents"), list):
        services, key = whole["contents"], "contents"
    elif isinstance(whole, dict) and isinstance(whole.get("services"), list):  # an organization with its services
        org = {k: v for k, v in whole.items() if k != "services"}
        services, key = [dict(s, organization=org) if isinstance(s, dict) else s for s in whole["services"]], "services"
    elif isinstance(whole, dict):
        services, key = [whole], None
    elif isinstance(whole, list):
        services, key = whole, ""
    else:
        raise ImportFileError("verwacht een HSDS-dienst of een lijst van diensten")
    if key is None:
        lines = [1]
    elif key:
        lines = [line for line, _v in _list_at(text, key)]
    else:
        lines = [line for line, _v in json_values(text)[0]]
    return [_service_row(s, f"regel {lines[i] if i < len(lines) else i + 1}", lines[i] if i < len(lines) else i + 1)
            for i, s in enumerate(services)]


def rows_package(data: bytes, max_bytes: int) -> list[Row]:
    try:
        tables, names = read_package(data, max_bytes)
    except PackageError as exc:
        raise ImportFileError(exc.message, f"{exc.field} regel {exc.line}" if exc.line else exc.field) from None
    services, terms = nest_services(tables)
    return [_service_row(s, f"services.csv regel {line}", line, terms) for line, s in services]


def read_rows(data: bytes, fmt: str | None = None, max_bytes: int = 20_000_000) -> tuple[str, list[Row]]:
    """(format, rows) of an upload. Raises ImportFileError for what cannot be read at all."""
    if len(data) > max_bytes:
        raise ImportFileError(f"het bestand is groter dan {max_bytes // 1_000_000} MB")
    fmt = fmt or detect_format(data)
    if fmt not in FORMATS:
        raise ImportFileError(f"onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}")
    if fmt == "hsds-csv":
        if not data.startswith(b"PK"):
            raise ImportFileError("een HSDS-datapakket is een zip-bestand met CSV-bestanden")
        return fmt, rows_package(data, max_bytes)
    text = decode(data)
    if not text.strip():
        raise ImportFileError("het bestand is leeg")
    reader = {"json": rows_json, "geojson": rows_geojson, "csv": rows_csv, "hsds": rows_hsds}[fmt]
    return fmt, reader(text)

"""Import and export of places in the PLACE JSON shape (a JSON list, or one object per line)."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from .models import Place
from .serialize import place_to_export
from .services import COMPUTED_FIELDS, upsert_place, validate_place_data

log = logging.getLogger(__name__)


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"regel {self.line}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def read_rows(text: str) -> tuple[list[tuple[int, object]], list[RowError]]:
    """Split a JSON list or JSON-lines text into (line number, value) rows."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        return _read_json_list(text)
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append(RowError(number, f"geen geldige JSON ({exc.msg}, kolom {exc.colno})"))
    return rows, errors


def _read_json_list(text: str) -> tuple[list[tuple[int, object]], list[RowError]]:
    decoder = json.JSONDecoder()
    rows: list[tuple[int, object]] = []
    pos = text.index("[") + 1
    while True:
        pos = _skip(text, pos)
        if pos >= len(text):
            return rows, [RowError(text.count("\n", 0, pos) + 1, "de lijst sluit niet af met ]")]
        if text[pos] == "]":
            return rows, []
        line = text.count("\n", 0, pos) + 1
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            # Past a syntax error we cannot tell where the next row starts.
            return rows, [RowError(exc.lineno, f"geen geldige JSON ({exc.msg}, kolom {exc.colno})")]
        rows.append((line, value))
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos += 1


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def import_places(text: str, skip_bad: bool = False) -> ImportResult:
    """Validate every row first; a file with errors changes nothing unless skip_bad. Flushes, never commits."""
    result = ImportResult()
    rows, result.errors = read_rows(text)
    good = []
    for line, row in rows:
        if isinstance(row, dict):
            row = {k: v for k, v in row.items() if k not in COMPUTED_FIELDS}
        _clean, errors = validate_place_data(row)
        if errors:
            result.errors.append(RowError(line, "; ".join(f"{k}: {v}" for k, v in errors.items())))
        else:
            good.append(row)
    result.errors.sort(key=lambda e: e.line)
    if result.errors and not skip_bad:
        return result
    for row in good:
        _place, _errors, created = upsert_place(row)
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result


def import_file(path: Path, skip_bad: bool = False) -> ImportResult:
    if path.suffix.lower() not in (".json", ".jsonl", ".ndjson"):
        raise ValueError("alleen .json (een lijst of één plek per regel) kan worden ingelezen")
    return import_places(path.read_text(encoding="utf-8"), skip_bad=skip_bad)


def export_places(path: Path, include_unpublished: bool = True) -> int:
    query = sa.select(Place).order_by(Place.id)
    if not include_unpublished:
        query = query.where(Place.status == "published")
    data = [place_to_export(p) for p in db.session.scalars(query)]
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in data), encoding="utf-8")
    else:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(data)

"""Import and export of places from files: the entry points the commands and the demo data use."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .exporting import iter_places, write_export
from .import_plan import apply_plan, plan_import
from .importing import ImportFileError, read_rows as read_upload
from .jsonrows import RowError, read_rows  # noqa: F401  (read_rows: the JSON row reader, used by tests)

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def import_places(text: str, skip_bad: bool = False) -> ImportResult:
    """Import PLACE JSON (a list or JSON lines). A file with errors changes nothing unless skip_bad.
    Flushes, never commits."""
    return import_bytes(text.encode("utf-8"), "json", skip_bad=skip_bad)


def import_bytes(data: bytes, fmt: str | None = None, skip_bad: bool = False, source: str | None = None,
                 max_bytes: int = 20_000_000) -> ImportResult:
    result = ImportResult()
    try:
        fmt, rows = read_upload(data, fmt, max_bytes)
    except ImportFileError as exc:
        line = int(exc.problem.where.split()[-1]) if exc.problem.where.split()[-1].isdigit() else 0
        result.errors.append(RowError(line, exc.problem.message))
        return result
    plan = plan_import(fmt, rows, source)
    result.errors = [RowError(r.line, "; ".join(f"{m.field}: {m.message}" for m in r.messages))
                     for r in plan.refused]
    if result.errors and not skip_bad:
        return result
    result.created, result.updated = apply_plan(plan, skip_refused=skip_bad)
    return result


def read_limited(path: Path, max_bytes: int) -> bytes:
    """A file's bytes, refused by its size before anything is read."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportFileError(f"het bestand is {size // 1_000_000} MB; hoogstens {max_bytes // 1_000_000} MB")
    with path.open("rb") as f:
        return f.read(max_bytes + 1)


def export_places(path: Path, include_unpublished: bool = True, fmt: str = "json", delimiter: str = ",") -> int:
    """Write every place to path; `.jsonl` gives JSON lines in the json format."""
    if fmt == "json" and path.suffix.lower() in (".jsonl", ".ndjson"):
        fmt = "jsonl"
    with path.open("wb") as out:
        return write_export(fmt, iter_places(include_unpublished=include_unpublished), out, delimiter)

"""JSON lists and JSON lines split into (line number, value) rows, so messages can name the line."""
from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"regel {self.line}: {self.message}"


def read_rows(text: str, start: int | None = None) -> tuple[list[tuple[int, object]], list[RowError]]:
    """Split a JSON list (the one at `start`, or the text's own) or JSON-lines text into (line, value) rows."""
    if start is not None or text.lstrip().startswith("["):
        return _read_json_list(text, start or 0)
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append(RowError(number, f"geen geldige JSON ({exc.msg}, kolom {exc.colno})"))
    return rows, errors


def _read_json_list(text: str, start: int) -> tuple[list[tuple[int, object]], list[RowError]]:
    decoder = json.JSONDecoder()
    rows: list[tuple[int, object]] = []
    pos = text.index("[", start) + 1
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
        elif pos < len(text) and text[pos] != "]":
            return rows, [RowError(text.count("\n", 0, pos) + 1, "hier hoort een komma of ]")]


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos

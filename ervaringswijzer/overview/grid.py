"""One shape for every dashboard part: rows × columns of counts, drawn as an SVG heat grid, read as a
table, downloaded as CSV."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

# Fill and text colours per level (0 = nothing, 4 = most); each pair has a contrast of at least 4.5:1.
LEVELS = (("#f3f2f1", "#0b0c0c"), ("#deebf7", "#0b0c0c"), ("#9ecae1", "#0b0c0c"),
          ("#2166ac", "#ffffff"), ("#053061", "#ffffff"))
EMPTY = ("#fde0dd", "#8a1c1c")  # an empty cell that should stand out (gap map)
CELL_W, CELL_H, LABEL_W, HEAD_H = 64, 26, 220, 40


@dataclass
class Grid:
    caption: str
    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[int]]] = field(default_factory=list)
    empty_stands_out: bool = False  # zeros are the point (gaps), not merely nothing

    @property
    def peak(self) -> int:
        return max((v for _label, values in self.rows for v in values), default=0)

    def colours(self, value: int) -> tuple[str, str]:
        if value == 0:
            return EMPTY if self.empty_stands_out else LEVELS[0]
        peak = max(self.peak, 1)
        return LEVELS[min(4, 1 + (3 * value) // peak)]

    def svg_cells(self):
        """(x, y, fill, text colour, value) per cell, for the template that draws the picture."""
        for r, (_label, values) in enumerate(self.rows):
            for c, value in enumerate(values):
                fill, ink = self.colours(value)
                yield LABEL_W + c * CELL_W, HEAD_H + r * CELL_H, fill, ink, value

    @property
    def width(self) -> int:
        return LABEL_W + CELL_W * len(self.columns) + 4

    @property
    def height(self) -> int:
        return HEAD_H + CELL_H * len(self.rows) + 4

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([self.row_header, *self.columns])
        for label, values in self.rows:
            writer.writerow([safe_cell(label), *values])
        return out.getvalue()


def safe_cell(text: str) -> str:
    """A leading = + - @ makes a spreadsheet run the cell as a formula; a quote keeps it text."""
    return "'" + text if text[:1] in "=+-@" else text


def rows_csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[safe_cell(v) if isinstance(v, str) else v for v in row] for row in rows])
    return out.getvalue()

"""One shape for every dashboard part: rows × columns of counts, drawn as an SVG heat grid, read as a
table, downloaded as CSV."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from markupsafe import Markup, escape

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

    def colours(self, value: int, peak: int) -> tuple[str, str]:
        if value == 0:
            return EMPTY if self.empty_stands_out else LEVELS[0]
        return LEVELS[min(4, 1 + (3 * value) // max(peak, 1))]

    def svg_cells(self):
        """(x, y, fill, text colour, value) per cell, for the template that draws the picture."""
        peak = self.peak
        for r, (_label, values) in enumerate(self.rows):
            for c, value in enumerate(values):
                fill, ink = self.colours(value, peak)
                yield LABEL_W + c * CELL_W, HEAD_H + r * CELL_H, fill, ink, value

    def svg(self) -> Markup:
        """The picture: a heat grid with the numbers in the cells. Colours are SVG attributes (no style, so
        the strict CSP holds); it is hidden from screen readers, which read the table twin instead."""
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heat-grid" width="{self.width}" '
               f'height="{self.height}" viewBox="0 0 {self.width} {self.height}" aria-hidden="true" focusable="false">']
        for c, column in enumerate(self.columns):
            out.append(f'<text x="{LABEL_W + c * CELL_W + CELL_W // 2}" y="26" text-anchor="middle" font-size="11" '
                       f'fill="#0b0c0c">{escape(_short(column, 12))}</text>')
        for r, (label, _values) in enumerate(self.rows):
            out.append(f'<text x="4" y="{HEAD_H + r * CELL_H + 17}" font-size="12" fill="#0b0c0c">'
                       f'{escape(_short(label, 34))}</text>')
        for x, y, fill, ink, value in self.svg_cells():
            empty = value == 0 and self.empty_stands_out
            out.append(f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" fill="{fill}"'
                       + (' stroke="#8a1c1c" stroke-width="2"' if empty else "") + "></rect>"
                       f'<text x="{x + CELL_W // 2}" y="{y + 18}" text-anchor="middle" font-size="12" fill="{ink}"'
                       + (' font-weight="bold"' if empty else "") + f">{value}</text>")
        out.append("</svg>")
        return Markup("".join(out))

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


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def safe_cell(text: str) -> str:
    """A leading = + - @ makes a spreadsheet run the cell as a formula; a quote keeps it text."""
    return "'" + text if text[:1] in "=+-@" else text


def rows_csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[safe_cell(v) if isinstance(v, str) else v for v in row] for row in rows])
    return out.getvalue()

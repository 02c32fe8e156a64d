"""The yearly figures a databank reports to its funders: requests by kind and month, matched or not,
experts active. One function builds them; the page and the CSV both read it."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa

from ..core.time import TZ
from ..extensions import db
from .models import KINDS, ExpertRequest


@dataclass
class YearOverview:
    year: int
    by_kind_month: dict[str, list[int]] = field(default_factory=dict)  # kind -> 12 monthly counts
    matched: int = 0
    unmatched: int = 0
    open: int = 0
    experts_active: int = 0

    @property
    def total(self) -> int:
        return sum(sum(months) for months in self.by_kind_month.values())

    def month_totals(self) -> list[int]:
        return [sum(months[m] for months in self.by_kind_month.values()) for m in range(12)]


def year_overview(year: int) -> YearOverview:
    """Requests filed in `year` (Dutch time). Matched: an expert was agreed on (afgesproken or gedaan)."""
    start = datetime(year, 1, 1, tzinfo=TZ).astimezone(timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=TZ).astimezone(timezone.utc)
    requests = db.session.scalars(sa.select(ExpertRequest).where(
        ExpertRequest.created_at >= start, ExpertRequest.created_at < end))
    overview = YearOverview(year, {kind: [0] * 12 for kind in KINDS})
    experts = set()
    for request in requests:
        created = request.created_at if request.created_at.tzinfo else request.created_at.replace(tzinfo=timezone.utc)
        overview.by_kind_month.setdefault(request.kind, [0] * 12)[created.astimezone(TZ).month - 1] += 1
        agreed = request.agreed
        if agreed is not None and request.status in ("afgesproken", "gedaan"):
            overview.matched += 1
            experts.add(agreed.profile_id)
        elif request.status in ("nieuw", "voorgesteld"):
            overview.open += 1
        else:
            overview.unmatched += 1
    overview.experts_active = len(experts)
    return overview


def overview_csv(overview: YearOverview, kind_labels: dict[str, str], month_names: list[str],
                 words: dict[str, str]) -> str:
    """The same table as the page, for a spreadsheet: one row per kind, a column per month, then the totals."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([words["kind"], *month_names, words["total"]])
    for kind, months in overview.by_kind_month.items():
        writer.writerow([kind_labels.get(kind, kind), *months, sum(months)])
    writer.writerow([words["total"], *overview.month_totals(), overview.total])
    writer.writerow([])
    for key in ("matched", "unmatched", "open", "experts_active"):
        writer.writerow([words[key], getattr(overview, key)])
    return out.getvalue()

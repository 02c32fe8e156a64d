"""Unmet demand: searches that found nothing or little, counted per normalised query and ISO week.

Nothing about who searched is kept: no IP address, no account, no exact time.
"""
from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..places.filters import PlaceFilters
from .analysis import normalise_query
from .models import SearchLogEntry


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def filters_text(f: PlaceFilters) -> str:
    """The filters that change what exists (not near-me: a location says who searched)."""
    parts = [f"category={c}" for c in sorted(f.categories)]
    parts += [f"wijk={f.wijk.lower()}"] if f.wijk else []
    parts += [f"city={f.city.lower()}"] if f.city else []
    parts += [f"flag={x}" for x in sorted(f.flags)]
    parts += ["open_now"] if f.open_now else []
    return "&".join(parts)[:300]


def record_search(f: PlaceFilters, hits: int, low: int, day: date | None = None) -> bool:
    """Count a search with at most `low` hits. Adds to the session's transaction; the caller commits."""
    query = normalise_query(f.q)
    if not query or hits > low:
        return False
    day = day or date.today()
    values = {"query": query, "filters": filters_text(f), "week": iso_week(day), "last_day": day,
              "searches": 1, "zero_results": 1 if hits == 0 else 0, "last_hits": hits}
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(SearchLogEntry)
    table = SearchLogEntry.__table__
    statement = insert.values(**values).on_conflict_do_update(
        index_elements=["query", "filters", "week"],
        set_={"searches": table.c.searches + 1, "zero_results": table.c.zero_results + values["zero_results"],
              "last_hits": hits, "last_day": day})
    db.session.execute(statement)
    return True


def unmet_demand(weeks: list[str] | None = None, limit: int = 200) -> list[SearchLogEntry]:
    query = sa.select(SearchLogEntry)
    if weeks:
        query = query.where(SearchLogEntry.week.in_(weeks))
    query = query.order_by(SearchLogEntry.week.desc(), SearchLogEntry.searches.desc(), SearchLogEntry.query)
    return list(db.session.scalars(query.limit(limit)))


def known_weeks() -> list[str]:
    return list(db.session.scalars(sa.select(SearchLogEntry.week).distinct().order_by(SearchLogEntry.week.desc())))


def as_csv(rows: list[SearchLogEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["week", "query", "filters", "searches", "zero_results", "last_hits", "last_day"])
    for r in rows:
        # A leading = + - @ makes a spreadsheet run the cell as a formula; a quote keeps it text.
        text = "'" + r.query if r.query[:1] in "=+-@" else r.query
        writer.writerow([r.week, text, r.filters, r.searches, r.zero_results, r.last_hits, r.last_day.isoformat()])
    return out.getvalue()

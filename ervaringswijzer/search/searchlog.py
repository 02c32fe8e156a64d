"""Unmet demand: searches that found nothing or little, counted per normalised query and ISO week.

Nothing about who searched is kept: no IP address, no account, no exact time.
"""
from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..db import upsert_add
from ..places.filters import PlaceFilters
from ..places.openblocks import BLOCK_STARTS, WEEKDAY_KEYS
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
    parts += [f"rung={r}" for r in sorted(f.rungs)]
    parts += ["open_now"] if f.open_now else []
    parts += [f"when={when_block(f.when.start)}"] if f.when else []
    return "&".join(parts)[:300]


def when_block(start) -> str:
    """The weekday and hour block a chosen time window starts in ("sun-17"): the need, coarse enough
    to group, never the moment the search was made."""
    block = next((b for b in reversed(BLOCK_STARTS) if start.hour >= b), BLOCK_STARTS[-1])
    return f"{WEEKDAY_KEYS[start.weekday()]}-{block}"


def _needs_something(f: PlaceFilters) -> bool:
    """A search made with choices alone still says what someone looked for (a city alone does not)."""
    return bool(f.categories or f.flags or f.rungs or f.open_now or f.when or f.wijk)


def record_search(f: PlaceFilters, hits: int, low: int, day: date | None = None) -> bool:
    """Count a search with at most `low` hits, with words or made only with filters and time or place
    choices. Adds to the session's transaction; the caller commits."""
    query = normalise_query(f.q)
    if (not query and not _needs_something(f)) or hits > low:
        return False
    day = day or date.today()
    values = {"query": query, "filters": filters_text(f), "week": iso_week(day), "last_day": day,
              "searches": 1, "zero_results": 1 if hits == 0 else 0, "last_hits": hits,
              "city": f.city.strip()[:100], "wijk": f.wijk.strip()[:100]}
    upsert_add(SearchLogEntry, {k: values[k] for k in ("query", "filters", "week")},
               {"searches": 1, "zero_results": values["zero_results"]},
               {"last_hits": hits, "last_day": day, "city": values["city"], "wijk": values["wijk"]})
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

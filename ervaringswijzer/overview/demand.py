"""Unmet demand per wijk and week, grouped by need: the search words, or the choices made without words."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..places.categories import CATEGORIES, FLAGS
from ..places.openblocks import BLOCK_ENDS, BLOCK_STARTS, WEEKDAY_KEYS
from ..search.models import SearchLogEntry
from ..search.searchlog import iso_week
from ..extensions import db
from .grid import Grid
from .reports import Scope, weekday_names

WEEKS = 8
TOP = 40


def recent_weeks(day: date, count: int = WEEKS) -> list[str]:
    return [iso_week(day - timedelta(weeks=n)) for n in range(count - 1, -1, -1)]


def label_words() -> dict:
    """The words need_label uses, translated once per report instead of once per row."""
    return {"days": weekday_names(), "category": {k: str(v).lower() for k, v in CATEGORIES.items()},
            "flag": {k: str(v).lower() for k, v in FLAGS.items()}}


def need_label(query: str, filters: str, words: dict) -> str:
    """The need in words: "‘zwemmen’ · sport & bewegen · binnenlopen zonder afspraak · zondag 17–23 uur"."""
    parts = [f"‘{query}’"] if query else []
    days = words["days"]
    for item in filter(None, filters.split("&")):
        key, _sep, value = item.partition("=")
        if key in ("category", "flag") and value in words[key]:
            parts.append(words[key][value])
        elif key == "rung":
            parts.append(_("trede %(n)s", n=value))
        elif key == "open_now" and not value:
            parts.append(_("nu open"))
        elif key == "when":
            day, _sep, hour = value.partition("-")
            if day in WEEKDAY_KEYS and hour.isdigit() and int(hour) in BLOCK_STARTS:
                block = BLOCK_STARTS.index(int(hour))
                parts.append(_("%(day)s %(hours)s uur", day=days[WEEKDAY_KEYS.index(day)],
                               hours=f"{BLOCK_STARTS[block]}–{BLOCK_ENDS[block] % 24}"))
    return " · ".join(parts) or _("(alleen een plaats gekozen)")


def _need_key(filters: str) -> str:
    """The filters without the city and wijk: those are the rows' place, not the need."""
    return "&".join(p for p in filters.split("&") if p and not p.startswith(("city=", "wijk=")))


def demand_grid(scope: Scope, day: date) -> Grid:
    """Searches with few or no results in the chosen city (and wijk), per need and wijk × week.

    The log rows are already weekly totals; SQL sums them per (words, filters, wijk, week) for the
    chosen weeks, and only those sums are regrouped here by need."""
    weeks = recent_weeks(day)
    query = (sa.select(SearchLogEntry.query, SearchLogEntry.filters, SearchLogEntry.wijk, SearchLogEntry.week,
                       sa.func.sum(SearchLogEntry.searches))
             .where(sa.func.lower(SearchLogEntry.city) == scope.city.lower(), SearchLogEntry.week.in_(weeks))
             .group_by(SearchLogEntry.query, SearchLogEntry.filters, SearchLogEntry.wijk, SearchLogEntry.week))
    if scope.wijk:
        query = query.where(sa.func.lower(SearchLogEntry.wijk) == scope.wijk.lower())
    cells: dict[tuple[str, str], list[int]] = {}
    words, labels = label_words(), {}
    for text, filters, wijk, week, searches in db.session.execute(query.limit(20000)):
        need = (text, _need_key(filters))
        label = labels.get(need) or labels.setdefault(need, need_label(*need, words))
        row = cells.setdefault((label, wijk or _("hele plaats")), [0] * len(weeks))
        row[weeks.index(week)] += int(searches or 0)
    grid = Grid(_("Zoekvragen met weinig of geen resultaat, per behoefte en wijk, per week"),
                _("Behoefte · wijk"), weeks)
    ranked = sorted(cells.items(), key=lambda item: (-sum(item[1]), item[0]))[:TOP]
    grid.rows = [(f"{need} · {wijk}", values) for (need, wijk), values in ranked]
    return grid

"""Each place's usual week as open (weekday, hour block) cells, kept per place version for the gap map."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from .hours import TZ, holiday_name, hours_known, monday_of, open_periods
from .models import Place, PlaceOpenBlocks

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Hour blocks of a day: 7-12, 12-17, 17-23 and the night 23-7 (into the next morning).
BLOCK_STARTS = (7, 12, 17, 23)
BLOCK_ENDS = (12, 17, 23, 31)
BLOCKS = len(BLOCK_STARTS)
CELLS = 7 * BLOCKS
BATCH = 500


def bit(weekday: int, block: int) -> int:
    return weekday * BLOCKS + block


def reference_week(today: date) -> date:
    """The Monday of the first week from this one on without a public holiday: a usual week."""
    monday = monday_of(today)
    for _ in range(8):
        if not any(holiday_name(monday + timedelta(days=i)) for i in range(7)):
            return monday
        monday += timedelta(days=7)
    return monday_of(today)


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@lru_cache(maxsize=4096)
def week_blocks(expr: str | None, monday: date) -> tuple[int, bool, int]:
    """(mask, known, whole open hours) of `expr` in the week from `monday`. Many places share hours,
    so each expression is evaluated once per week in a process."""
    start = datetime.combine(monday, time(BLOCK_STARTS[0]), tzinfo=TZ)
    if not hours_known(expr):  # unknown hours count as unknown, never as closed
        return 0, False, 0
    periods = open_periods(expr, start, start + timedelta(days=7))
    mask, seconds = 0, sum((b - a).total_seconds() for a, b in periods)
    for day in range(7):
        midnight = datetime.combine(monday + timedelta(days=day), time(0), tzinfo=TZ)
        for block, (first, last) in enumerate(zip(BLOCK_STARTS, BLOCK_ENDS)):
            a, b = midnight + timedelta(hours=first), midnight + timedelta(hours=last)
            if any(s < b and e > a for s, e in periods):
                mask |= 1 << bit(day, block)
    return mask, True, int(seconds // 3600)


def refresh_open_blocks(today: date) -> int:
    """Compute the cells of every published place whose version or reference week changed. Returns
    how many were computed. Only changed places are read; the others cost one comparison in SQL."""
    monday = reference_week(today)
    week = week_label(monday)
    stale = (sa.select(Place.id, Place.version, Place.opening_hours)
             .outerjoin(PlaceOpenBlocks, PlaceOpenBlocks.place_id == Place.id)
             .where(Place.status == "published",
                    sa.or_(PlaceOpenBlocks.place_id.is_(None), PlaceOpenBlocks.version != Place.version,
                           PlaceOpenBlocks.week != week))
             .order_by(Place.id))  # one order for every process: concurrent upserts lock rows alike
    rows = db.session.execute(stale).all()
    for start in range(0, len(rows), BATCH):
        values = []
        for place_id, version, expr in rows[start:start + BATCH]:
            mask, known, hours = week_blocks(expr, monday)
            values.append({"place_id": place_id, "version": version, "week": week, "mask": mask,
                           "known": known, "open_hours": hours})
        _upsert(values)
    return len(rows)


def _upsert(values: list[dict]) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(PlaceOpenBlocks)
    statement = insert.on_conflict_do_update(
        index_elements=["place_id"],
        set_={name: insert.excluded[name] for name in ("version", "week", "mask", "known", "open_hours")})
    db.session.execute(statement, values)

"""How often places are reached: per place and month, four plain totals, one upsert per event.

Counted: a view of the place page, an add to a shared map, a tap on "route", a new review.
Nothing about who: no member, no IP address, no cookie, no day or time of day.
"""
from __future__ import annotations

import logging
from datetime import date

import sqlalchemy as sa

from ..core.time import today
from ..db import upsert_add
from ..extensions import db
from .models import AreaCounter, Place, PlaceCounter, PlaceReach

log = logging.getLogger(__name__)

KINDS = ("page_views", "map_adds", "route_taps", "reviews")


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def count_event(place: Place, kind: str, day: date | None = None) -> None:
    """Add one to this month's counter of the place and of its wijk. In the caller's transaction; the
    caller commits."""
    if kind not in KINDS:
        raise ValueError(kind)
    month = month_of(day or today())
    upsert_add(PlaceCounter, {"place_id": place.id, "month": month}, {kind: 1})
    upsert_add(AreaCounter, {"city": (place.city or "")[:100], "wijk": (place.wijk or "")[:100], "month": month},
               {kind: 1})


def count_and_commit(place: Place, kind: str) -> None:
    """For a page that changes nothing else (a view, a route tap): its own small commit; a failure
    costs the count, never the page."""
    try:
        count_event(place, kind)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("place counter not written")


def closed_months(day: date, months: int = 12) -> tuple[str, str]:
    """(first, last) month of the closed months inside the last `months` months, the current one excluded."""
    year, month = divmod(day.year * 12 + day.month - 1 - (months - 1), 12)
    last_year, last_month = divmod(day.year * 12 + day.month - 2, 12)
    return f"{year:04d}-{month + 1:02d}", f"{last_year:04d}-{last_month + 1:02d}"


def refresh_reach(day: date) -> bool:
    """Sum the closed months of the last year per place, once a month (counters of closed months no
    longer change). True when it was rebuilt. One INSERT … SELECT; a second process doing the same at
    the same moment fails on the key and rolls back, leaving the first one's rows."""
    first, last = closed_months(day)
    if db.session.scalar(sa.select(PlaceReach.place_id).where(PlaceReach.through_month == last).limit(1)):
        return False
    if db.session.scalar(sa.select(PlaceCounter.place_id).limit(1)) is None:
        return False  # nothing counted yet
    db.session.execute(sa.delete(PlaceReach))
    sums = [sa.func.sum(getattr(PlaceCounter, k)) for k in KINDS]
    db.session.execute(sa.insert(PlaceReach).from_select(
        ["place_id", "through_month", *KINDS],
        sa.select(PlaceCounter.place_id, sa.literal(last), *sums)
        .where(PlaceCounter.month >= first, PlaceCounter.month <= last).group_by(PlaceCounter.place_id)))
    return True

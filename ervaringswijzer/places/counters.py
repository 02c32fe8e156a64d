"""How often places are reached: per place and month, four plain totals, one upsert per event.

Counted: a view of the place page, an add to a shared map, a tap on "route", a new review.
Nothing about who: no member, no IP address, no cookie, no day or time of day.
"""
from __future__ import annotations

import logging
from datetime import date

from ..core.time import today
from ..db import upsert_add
from ..extensions import db
from .models import PlaceCounter

log = logging.getLogger(__name__)

KINDS = ("page_views", "map_adds", "route_taps", "reviews")


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def count_event(place_id: int, kind: str, day: date | None = None) -> None:
    """Add one to this month's counter of the place. In the caller's transaction; the caller commits."""
    if kind not in KINDS:
        raise ValueError(kind)
    upsert_add(PlaceCounter, {"place_id": place_id, "month": month_of(day or today())}, {kind: 1})


def count_and_commit(place_id: int, kind: str) -> None:
    """For a page that changes nothing else (a view, a route tap): its own small commit; a failure
    costs the count, never the page."""
    try:
        count_event(place_id, kind)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("place counter not written")

"""How often places are reached: per place and month, four plain totals, one upsert per event.

Counted: a view of the place page, an add to a shared map, a tap on "route", a new review.
Nothing about who: no member, no IP address, no cookie, no day or time of day.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa

from flask import current_app

from ..core.time import today
from ..db import upsert_add, upsert_add_rows
from ..extensions import db
from .models import AreaCounter, Place, PlaceCounter, PlaceReach

log = logging.getLogger(__name__)

KINDS = ("page_views", "map_adds", "route_taps", "reviews")


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _add(place_id: int, city: str, wijk: str, month: str, kind: str, n: int) -> None:
    upsert_add(PlaceCounter, {"place_id": place_id, "month": month}, {kind: n})
    upsert_add(AreaCounter, {"city": city[:100], "wijk": wijk[:100], "month": month}, {kind: n})


def _add_all(counts: Counter) -> None:
    """Many events in two statements, one per counter table (an upsert per event cost a round trip
    each: after ten seconds of views of many places, hundreds of them in one request)."""
    kinds = sorted({kind for *_, kind in counts})
    places: dict[tuple, Counter] = {}
    areas: dict[tuple, Counter] = {}
    for (place_id, city, wijk, month, kind), n in counts.items():
        places.setdefault((place_id, month), Counter())[kind] += n
        areas.setdefault((city[:100], wijk[:100], month), Counter())[kind] += n
    upsert_add_rows(PlaceCounter, ["place_id", "month"], [
        {"place_id": place_id, "month": month, **{kind: added[kind] for kind in kinds}}
        for (place_id, month), added in sorted(places.items())])
    upsert_add_rows(AreaCounter, ["city", "wijk", "month"], [
        {"city": city, "wijk": wijk, "month": month, **{kind: added[kind] for kind in kinds}}
        for (city, wijk, month), added in sorted(areas.items())])


class CountedPlace(NamedTuple):
    """What a count needs of a place, kept with a page that is answered again without loading the place."""
    id: int
    city: str
    wijk: str

    @classmethod
    def of(cls, place: Place) -> "CountedPlace":
        return cls(place.id, place.city or "", place.wijk or "")


def count_event(place: Place, kind: str, day: date | None = None) -> None:
    """Add one to this month's counter of the place and of its wijk. In the caller's transaction; the
    caller commits."""
    if kind not in KINDS:
        raise ValueError(kind)
    _add(place.id, place.city or "", place.wijk or "", month_of(day or today()), kind, 1)


class Tally:
    """Views and route taps of one process, added up in memory and written together at most every
    COUNTER_FLUSH_SECONDS: a page view costs no write of its own (two upserts and a commit per view
    made the most-read page wait on the database, and on SQLite on every other writer). What a crash
    loses is at most those seconds of counts; the counters are totals, nothing more."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.last_flush = time.monotonic()

    def add(self, place: Place | CountedPlace, kind: str) -> None:
        with self.lock:
            self.counts[(place.id, place.city or "", place.wijk or "", month_of(today()), kind)] += 1

    def take(self, interval: float) -> Counter | None:
        """The counts to write, when it is time; the tally starts again."""
        with self.lock:
            if not self.counts or time.monotonic() - self.last_flush < interval:
                return None
            counts, self.counts, self.last_flush = self.counts, Counter(), time.monotonic()
            return counts


def _tally() -> Tally:
    return current_app.extensions.setdefault("place_tally", Tally())


def flush_counts(force: bool = False) -> int:
    """Write what the tally holds when it is due (or now): one transaction. Returns the events written."""
    counts = _tally().take(0 if force else float(current_app.config.get("COUNTER_FLUSH_SECONDS", 10)))
    if not counts:
        return 0
    try:
        _add_all(counts)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("place counters not written (%d events)", sum(counts.values()))
        return 0
    return sum(counts.values())


def count_and_commit(place: Place | CountedPlace, kind: str) -> None:
    """For a page that changes nothing else (a view, a route tap): added to the tally, written with
    others when due; a failure costs the counts, never the page."""
    if kind not in KINDS:
        raise ValueError(kind)
    _tally().add(place, kind)
    flush_counts()


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

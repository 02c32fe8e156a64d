"""Small helpers for search tests: ask the index directly, without going through a request; wait for a condition."""
import time

from ervaringswijzer.extensions import db
from ervaringswijzer.search import index as idx
from ervaringswijzer.search.query import IndexFilters, run_search
from ervaringswijzer.search.models import SearchOutbox


def index_ids(app, text: str) -> list[int]:
    """Place ids the index itself returns for text (no SQL fallback, no filters)."""
    with app.app_context():
        searcher = idx.searcher_for(app.config["SEARCH_INDEX_DIR"])
        return run_search(searcher, text, IndexFilters(), facets=False).ids


def outbox_count(app) -> int:
    with app.app_context():
        return db.session.query(SearchOutbox).count()


PLACE = {
    "name": "Wandelclub Zilvermeeuw",
    "description": "Elke ochtend een rondje door het Zilvermeeuwpark met koffie na afloop.",
    "categories": ["sport"],
    "address": {"street": "Parklaan 3", "postcode": "3500 AA", "city": "Utrecht", "wijk": "Zuilen"},
    "location": {"lat": 52.1, "lon": 5.1},
    "flags": {"walk_in": True},
    "opening_hours": "Mo-Fr 09:00-12:00",
}


def wait_until(check, timeout: float = 15.0) -> float:
    """Seconds until check() was true; AssertionError after timeout."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check():
            return time.perf_counter() - started
        time.sleep(0.02)
    raise AssertionError("not reached in time")

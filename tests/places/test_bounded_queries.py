"""Pages and feeds do a fixed number of SQL statements and load at most one page of Place objects."""
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place
from ervaringswijzer.search import rebuild_index

HOURS = ["Mo-Fr 10:00-16:00", "Mo-Su 00:00-24:00", "Tu,Th 13:00-17:00", None, "Sa 10:00-12:00"]
ROUTES = ["/plekken?walk_in=1&per_page=5&page=2", "/plekken?open_now=1&category=food_coffee",
          "/api/v1/places?per_page=5&page=2", "/api/v1/places?open_now=1&near=52.09,5.12",
          "/plek/plek-0007", "/kaart/Utrecht", "/api/v1/places.geojson?city=Utrecht",
          "/plekken?sort=rating&per_page=5&page=2", "/plekken?near=52.09,5.12", "/api/v1/places?near=52.09,5.12&sort=rating"]
# Text search, through the index or (when it cannot answer) through SQL: the same bound either way.
SEARCH_ROUTES = ["/plekken?q=utrecht", "/plekken?q=utrecht&per_page=5&page=2", "/plekken?q=utrecht&sort=rating",
                 "/plekken?q=utrecht&near=52.09,5.12&sort=distance", "/plekken?q=utrecht&open_now=1",
                 "/api/v1/search?q=utrecht&per_page=5", "/api/v1/places?q=utrecht&sort=rating"]


def add_places(app, start: int, count: int) -> None:
    """count published places in Utrecht, half walk-in, with two categories and varied hours."""
    with app.app_context():
        for i in range(start, start + count):
            place = Place(slug=f"plek-{i:04d}", name=f"Plek {i:04d}", city="Utrecht", wijk=f"Wijk {i % 7}",
                          lat=52.05 + (i % 50) / 500, lon=5.08 + (i // 50) / 500, location_status="manual",
                          walk_in=i % 2 == 0, opening_hours=HOURS[i % len(HOURS)])
            place.categories = ["walk_in_centre", "food_coffee"]
            db.session.add(place)
        db.session.commit()


def measure(app, client, url: str) -> tuple[int, int]:
    """(SQL statements, Place objects loaded) for one GET of url; the page must answer 200."""
    statements, loaded = [], []

    def count_statement(*_args):
        statements.append(1)

    def count_load(*_args):
        loaded.append(1)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count_statement)
    sa.event.listen(Place, "load", count_load)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count_statement)
        sa.event.remove(Place, "load", count_load)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements), len(loaded)


def add_reviews(app, place_ids) -> None:
    """A published review on each of these places, so "best rated first" has scores to sort by."""
    with app.app_context():
        review = db.metadata.tables["review"]
        now = datetime.now(timezone.utc)
        db.session.execute(review.insert().values(created_at=now, updated_at=now), [
            {"place_id": pid, "member_id": None, "welcome": 1 + pid % 5, "respect": 4, "calm": 3, "access": 5,
             "recommend": pid % 3 > 0, "status": "published", "hold_reason": "", "text": f"<p>Fijn {pid}</p>",
             "visit_month": date(2026, 10, 1)} for pid in place_ids])
        db.session.commit()


def counts(app, client, routes: list[str], tag: int) -> dict[str, tuple[int, int]]:
    # The first request after a change rebuilds the per-version menus (a fixed number of extra
    # statements); steady state is what is compared. "_" makes each URL new to the answer caches.
    for url in routes:
        measure(app, client, url + ("&" if "?" in url else "?") + f"_=w{tag}")
    return {url: measure(app, client, url + ("&" if "?" in url else "?") + f"_={tag}") for url in routes}


def grow(app, index: bool) -> tuple[dict, dict, list[str]]:
    """Counts at 20 places and at 300 (a fifth of them reviewed), with or without a search index."""
    routes = ROUTES + SEARCH_ROUTES

    def settle():
        with app.app_context():
            ids = list(db.session.scalars(sa.select(Place.id).order_by(Place.id)))
            if index:
                rebuild_index()
        return ids

    add_places(app, 0, 20)
    add_reviews(app, settle()[:4])
    small = counts(app, app.test_client(), routes, 1)
    add_places(app, 20, 280)
    add_reviews(app, settle()[20::5])
    settle()
    large = counts(app, app.test_client(), routes, 2)
    return small, large, routes


def test_statements_do_not_grow_with_the_number_of_places(app):
    """List, search (every sort), API, place page, city map and marker feed: the same statement count at 20
    and at 300 places, and never more Place objects than one page (the old list and API loaded every
    matching place, sorting by rating or distance sorted them all)."""
    small, large, routes = grow(app, index=True)
    for url in routes:
        assert large[url][0] == small[url][0], (url, small[url], large[url])
        # a page of 20 (50 in the list beside a map), or the one place of a place page
        assert large[url][1] <= (app.config["MAP_LIST_PER_PAGE"] if url.startswith("/kaart") else 21), (url, large[url])
    assert large["/api/v1/places.geojson?city=Utrecht"][1] == 0  # lean rows, never Place objects


def test_search_without_its_index_is_bounded_too(app):
    """When the index cannot answer, SQL matches the words, counts and pages: no more statements or Place
    objects at 300 places than at 20 (it used to load every match)."""
    small, large, _routes = grow(app, index=False)
    for url in SEARCH_ROUTES:
        if url.startswith("/api/v1/search"):
            continue  # answered from SQL too, but it asks the index for suggestions first
        assert large[url][0] == small[url][0], (url, small[url], large[url])
        assert large[url][1] <= 20, (url, large[url])


def test_paging_by_name_neither_repeats_nor_skips(client, make_place):
    """Places with the same name page in a stable order: every place exactly once across the pages."""
    ids = {make_place(name="Inloop", slug=f"inloop-{i}") for i in range(7)}
    seen = []
    for page in (1, 2, 3):
        data = client.get(f"/api/v1/places?per_page=3&page={page}").get_json()
        assert data["total"] == 7
        seen += [item["id"] for item in data["items"]]
    assert sorted(seen) == sorted(ids)


@pytest.mark.parametrize("at, expected", [("2026-11-24T11:00:00%2B01:00", {"Werkdag", "Altijd"}),
                                          ("2026-11-28T11:00:00%2B01:00", {"Zaterdag", "Altijd"})])
def test_open_now_pages_count_only_open_places(client, make_place, at, expected):
    """open_now with paging: total and items are the open places only, whatever page size."""
    make_place(name="Werkdag", slug="werkdag", opening_hours="Mo-Fr 10:00-16:00")
    make_place(name="Altijd", slug="altijd", opening_hours="24/7")
    make_place(name="Zaterdag", slug="zaterdag", opening_hours="Sa 10:00-12:00")
    make_place(name="Onbekend", slug="onbekend", opening_hours=None)
    first = client.get(f"/api/v1/places?open_now=1&at={at}&per_page=1").get_json()
    second = client.get(f"/api/v1/places?open_now=1&at={at}&per_page=1&page=2").get_json()
    assert first["total"] == second["total"] == 2
    assert {first["items"][0]["name"], second["items"][0]["name"]} == expected

"""The coordinator's dashboard: gap map, unmet demand with filter-only searches, reach counters, ladder, freshness."""
import csv
import json
import re
import io
from datetime import date, timedelta

import sqlalchemy as sa

from ervaringswijzer.core.time import today
from ervaringswijzer.extensions import db
from ervaringswijzer.places.counters import flush_counts, month_of
from ervaringswijzer.places.checks import months_back
from ervaringswijzer.places.models import AreaCounter, Place, PlaceCounter, PlaceReach
from ervaringswijzer.places.openblocks import BLOCKS, bit, reference_week, week_blocks
from tests.conftest import reviews_login


def _empty_zuilen(app):
    """Every place in Zuilen (Utrecht) open on weekdays only: its Sunday is empty."""
    with app.app_context():
        for place in db.session.scalars(sa.select(Place).where(Place.city == "Utrecht", Place.wijk == "Zuilen")):
            place.opening_hours = "Mo-Fr 09:00-17:00"
        db.session.commit()


def member(app, role: str) -> int:
    """A member with this role in this app's database (the shared factories use the empty app)."""
    from werkzeug.security import generate_password_hash

    from ervaringswijzer.accounts.models import Member

    with app.app_context():
        name = f"{role}-{db.session.scalar(sa.select(sa.func.count()).select_from(Member)) + 1}"
        row = Member(pseudonym=name, pseudonym_key=name.lower(), role=role,
                     password_hash=generate_password_hash("wachtwoord-123", method="pbkdf2:sha256:1000"))
        db.session.add(row)
        db.session.commit()
        return row.id


def _coordinator(demo_app, role: str = "coordinator"):
    client = demo_app.test_client()
    reviews_login(client, member(demo_app, role))
    return client


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_week_blocks_mark_open_cells_and_keep_unknown_apart():
    """Weekday hours open the weekday blocks they touch; unknown hours are not 'closed everywhere'."""
    monday = reference_week(date(2026, 11, 30))
    mask, known, hours = week_blocks("Mo-Fr 10:00-16:00", monday)
    assert known and hours == 30
    assert mask & (1 << bit(0, 0)) and mask & (1 << bit(4, 1))  # Monday morning, Friday afternoon
    assert not mask & (1 << bit(0, 2)) and not mask & (1 << bit(6, 0))  # Monday evening, Sunday
    assert week_blocks("Su 20:00-22:00", monday)[0] == 1 << bit(6, 2)
    assert week_blocks(None, monday) == (0, False, 0)


def test_gap_map_finds_the_empty_sunday_and_the_csv_agrees(demo_app):
    """Utrecht's gap map says Zuilen has nothing open on Sunday; table and CSV give the same zeros."""
    _empty_zuilen(demo_app)
    client = _coordinator(demo_app)
    page = client.get("/overzicht", query_string={"city": "Utrecht"}).get_data(as_text=True)
    assert "Zuilen: zondag 7–23 uur niets open" in page
    assert 'id="gaten-grid-table"' in page and "<svg" in page
    rows = _csv(client.get("/overzicht/gaten.csv", query_string={"city": "Utrecht"}))
    sunday = next(r for r in rows if r[0] == "Zuilen · zondag")
    assert sunday[1:] == ["0"] * BLOCKS
    monday = next(r for r in rows if r[0] == "Zuilen · maandag")
    assert int(monday[1]) == 3  # the three published Zuilen places open on Monday morning
    hours = _csv(client.get("/overzicht/open-uren.csv", query_string={"city": "Utrecht"}))
    assert next(r for r in hours if r[0] == "Zuilen")[1:] == ["3", str(3 * 5 * 8)]  # 3 places, Mo-Fr 9-17


def test_gap_map_flag_choice_empties_cells_and_says_so(demo_app):
    """With 'zonder afspraak' chosen, the sentences name the flag."""
    client = _coordinator(demo_app)
    page = client.get("/overzicht", query_string={"city": "Utrecht", "flag": "walk_in"}).get_data(as_text=True)
    assert "niets open (binnenlopen zonder afspraak)" in page


def test_gap_blocks_follow_a_change_of_hours(demo_app):
    """A place whose hours change gets new blocks on the next dashboard (its version changed)."""
    client = _coordinator(demo_app)
    client.get("/overzicht", query_string={"city": "Utrecht"})
    _empty_zuilen(demo_app)
    rows = _csv(client.get("/overzicht/gaten.csv", query_string={"city": "Utrecht", "wijk": "Zuilen"}))
    assert [r[0] for r in rows[1:]] == [f"Zuilen · {d}" for d in
                                        ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")]
    assert rows[-1][1:] == ["0"] * BLOCKS


def test_filter_only_zero_result_search_shows_in_unmet_demand(demo_app):
    """Overvecht + zonder afspraak + a Sunday-night time, no words, nothing found: on the dashboard."""
    client = demo_app.test_client()
    sunday_night = "2026-12-06T23:30:00+01:00"
    found = client.get("/plekken", query_string={"city": "Utrecht", "wijk": "Overvecht", "walk_in": "1",
                                                 "quiet_space": "1", "open_at": sunday_night})
    assert found.status_code == 200
    coordinator = _coordinator(demo_app)
    page = coordinator.get("/overzicht", query_string={"city": "Utrecht"}).get_data(as_text=True)
    assert "prikkelarm · binnenlopen zonder afspraak · zondag 23–7 uur · Overvecht" in page
    rows = _csv(coordinator.get("/overzicht/zoekvragen.csv", query_string={"city": "Utrecht"}))
    row = next(r for r in rows if r[0].startswith("prikkelarm · binnenlopen"))
    assert row[-1] == "1"


def test_counters_count_views_routes_map_adds_and_reviews(demo_app):
    """Each event adds one to this month's row of the place; nothing else is stored."""
    client = demo_app.test_client()
    slug = "huiskamer-de-kapstok-overvecht"
    client.get(f"/plek/{slug}")
    client.get(f"/plek/{slug}")
    route = client.get(f"/plek/{slug}/route")
    assert route.status_code == 302 and "52.11932" in route.headers["Location"]
    reviews_login(client, member(demo_app, "social_worker"))
    with demo_app.app_context():
        place_id = db.session.scalar(sa.select(Place.id).where(Place.slug == slug))
    client.post("/mijn-kaarten/toevoegen", data={"map_id": "new", "title": "Voor A.", "place_id": str(place_id)})
    client.post(f"/plek/{slug}/ervaring", data={"welcome": "4", "respect": "5", "calm": "3", "access": "4",
                                                 "recommend": "yes", "visit_month": "2026-09",
                                                 "text": "Ik voelde me welkom en kreeg meteen koffie."})
    with demo_app.app_context():
        row = db.session.get(PlaceCounter, (place_id, month_of(today())))
        assert (row.page_views, row.route_taps, row.map_adds, row.reviews) == (2, 1, 1, 1)
        area = db.session.get(AreaCounter, ("Utrecht", "Overvecht", month_of(today())))
        assert (area.page_views, area.route_taps, area.map_adds, area.reviews) == (2, 1, 1, 1)


def test_views_are_tallied_in_memory_and_written_together(demo_app):
    """With a flush interval, page views and route taps cost no write of their own: nothing is stored
    until the tally is due, then one write holds them all."""
    demo_app.config["COUNTER_FLUSH_SECONDS"] = 3600
    client = demo_app.test_client()
    slug = "huiskamer-de-kapstok-overvecht"
    for _ in range(3):
        assert client.get(f"/plek/{slug}").status_code == 200
    client.get(f"/plek/{slug}/route")
    with demo_app.app_context():
        place_id = db.session.scalar(sa.select(Place.id).where(Place.slug == slug))
        assert db.session.get(PlaceCounter, (place_id, month_of(today()))) is None
        assert flush_counts(force=True) == 4
        row = db.session.get(PlaceCounter, (place_id, month_of(today())))
        assert (row.page_views, row.route_taps) == (3, 1)
        assert flush_counts(force=True) == 0  # written once, not twice


def test_a_due_tally_of_many_places_is_written_in_two_statements(demo_app):
    """Views of several places, two of them in one wijk, go to the counter tables in one statement per
    table; a second write adds to the rows the first one made."""
    demo_app.config["COUNTER_FLUSH_SECONDS"] = 3600
    with demo_app.app_context():
        places = db.session.execute(sa.select(Place.slug, Place.id, Place.city, Place.wijk).where(
            Place.status == "published", Place.wijk != "").order_by(Place.city, Place.wijk, Place.id)).all()
    first, second = next((a, b) for a, b in zip(places, places[1:]) if (a.city, a.wijk) == (b.city, b.wijk))
    other = next(p for p in places if (p.city, p.wijk) != (first.city, first.wijk))
    client = demo_app.test_client()
    for slug in (first.slug, first.slug, second.slug, other.slug):
        assert client.get(f"/plek/{slug}").status_code == 200
    month = month_of(today())
    with demo_app.app_context():
        inserts = []

        def listen(_conn, _cursor, statement, *_):
            if statement.lstrip().upper().startswith("INSERT"):
                inserts.append(statement)
        sa.event.listen(db.engine, "before_cursor_execute", listen)
        try:
            assert flush_counts(force=True) == 4
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listen)
        assert len(inserts) == 2
        assert db.session.get(PlaceCounter, (first.id, month)).page_views == 2
        assert db.session.get(PlaceCounter, (second.id, month)).page_views == 1
        assert db.session.get(AreaCounter, (first.city, first.wijk, month)).page_views == 3
        assert db.session.get(AreaCounter, (other.city, other.wijk, month)).page_views == 1
    client.get(f"/plek/{first.slug}")
    client.get(f"/plek/{first.slug}/route")
    with demo_app.app_context():
        assert flush_counts(force=True) == 2
        row = db.session.get(PlaceCounter, (first.id, month))
        assert (row.page_views, row.route_taps, row.map_adds) == (3, 1, 0)
        area = db.session.get(AreaCounter, (first.city, first.wijk, month))
        assert (area.page_views, area.route_taps) == (4, 1)


def test_counter_tables_hold_no_personal_data(demo_app):
    """Every counting table: no member, address, agent, session or time-of-day column, no link to a member."""
    from ervaringswijzer.search.models import SearchLogEntry
    from ervaringswijzer.places.models import AreaCounter, PlaceOpenBlocks, PlaceReach

    forbidden = {"ip", "member", "user", "agent", "session", "cookie", "email", "name", "time", "at", "address",
                 "hour", "token", "referrer", "device", "lat", "lon", "location"}
    for model in (PlaceCounter, AreaCounter, PlaceReach, PlaceOpenBlocks, SearchLogEntry):
        table = model.__table__
        for column in table.columns:
            assert not forbidden & set(column.name.split("_")), (table.name, column.name)
            assert not isinstance(column.type, sa.DateTime), (table.name, column.name)
        assert all(fk.column.table.name != "member" for fk in table.foreign_keys), table.name
    assert set(PlaceCounter.__table__.columns.keys()) == {"place_id", "month", "page_views", "map_adds",
                                                          "route_taps", "reviews"}


def test_barely_reached_places_are_listed_per_wijk(demo_app):
    """A place viewed often last month, or routed to this month, is not on the list; the others are."""
    with demo_app.app_context():
        ids = dict(db.session.execute(sa.select(Place.slug, Place.id).where(Place.slug.in_(
            ["huiskamer-de-kapstok-overvecht", "buurthuis-de-zwaan-zuilen"]))).all())
        db.session.add(PlaceCounter(place_id=ids["huiskamer-de-kapstok-overvecht"],
                                    month=month_of(months_back(today(), 1)), page_views=500))
        db.session.add(PlaceCounter(place_id=ids["buurthuis-de-zwaan-zuilen"], month=month_of(today()),
                                    page_views=1, route_taps=1))
        db.session.commit()
    client = _coordinator(demo_app)
    rows = _csv(client.get("/overzicht/bereik.csv", query_string={"city": "Utrecht"}))
    names = [r[0] for r in rows[1:]]
    assert "Huiskamer De Kapstok" not in names and "Buurthuis De Zwaan" not in names and len(names) >= 10
    with demo_app.app_context():
        reach = db.session.get(PlaceReach, ids["huiskamer-de-kapstok-overvecht"])
        assert reach.page_views == 500 and reach.through_month == month_of(months_back(today(), 1))


def test_ladder_and_freshness_per_wijk(demo_app):
    """Rungs per wijk add up to the places with a rung; freshness buckets add up to all places."""
    client = _coordinator(demo_app)
    ladder = _csv(client.get("/overzicht/ladder.csv", query_string={"city": "Utrecht"}))
    fresh = _csv(client.get("/overzicht/actualiteit.csv", query_string={"city": "Utrecht"}))
    with demo_app.app_context():
        utrecht = sa.select(sa.func.count()).select_from(Place).where(Place.city == "Utrecht",
                                                                      Place.status == "published")
        with_rung = db.session.scalar(utrecht.where(Place.participation_rung.is_not(None)))
        total = db.session.scalar(utrecht)
    assert sum(int(v) for r in ladder[1:] for v in r[1:]) == with_rung
    assert sum(int(v) for r in fresh[1:] for v in r[1:]) == total


def test_dashboard_is_for_coordinators_and_admins(demo_app):
    """Members and moderators get 403; coordinators and admins see it."""
    client = demo_app.test_client()
    for role, status in (("member", 403), ("moderator", 403), ("coordinator", 200), ("admin", 200)):
        reviews_login(client, member(demo_app, role))
        assert client.get("/overzicht?city=Utrecht").status_code == status, role
        assert client.get("/overzicht/ladder.csv?city=Utrecht").status_code == status, role


def test_rung_filter_in_list_api_search_and_map(demo_app):
    """rung= narrows the place list, both API lists and the map feed; a bad rung is a 400 naming it."""
    client = demo_app.test_client()
    items = client.get("/api/v1/places", query_string={"rung": "2", "per_page": "100"}).get_json()["items"]
    with demo_app.app_context():
        expected = db.session.scalar(sa.select(sa.func.count()).select_from(Place).where(
            Place.participation_rung == 2, Place.status == "published"))
    assert len(items) == expected > 0
    bad = client.get("/api/v1/places", query_string={"rung": "9"})
    assert bad.status_code == 400 and "rung" in bad.get_json()["error"]["message"]
    both = client.get("/api/v1/places", query_string=[("rung", "2"), ("rung", "3"), ("per_page", "100")])
    assert len(both.get_json()["items"]) > expected
    found = client.get("/api/v1/search", query_string={"q": "koffie", "rung": "2", "per_page": "100"}).get_json()
    with demo_app.app_context():
        rungs = {p.participation_rung for p in db.session.scalars(sa.select(Place).where(
            Place.id.in_([i["id"] for i in found["items"]])))}
    assert rungs == {2} and found["total"] == len(found["items"])
    feed = client.get("/api/v1/places.geojson", query_string={"rung": "2"}).get_json()
    with demo_app.app_context():
        located = db.session.scalar(sa.select(sa.func.count()).select_from(Place).where(
            Place.participation_rung == 2, Place.status == "published", Place.lat.is_not(None)))
    assert len([f for f in feed["features"] if not f["properties"].get("cluster")]) == located > 0
    page = client.get("/plekken", query_string={"rung": "2", "city": "Utrecht"}).get_data(as_text=True)
    assert "Volgende stap: plekken op trede 3" in page and "rung=3" in page and "city=Utrecht" in page


def test_fresh_filter_hides_places_not_checked_for_a_year(demo_app):
    """fresh=1 leaves out places whose last check is more than a year ago (and never-checked ones)."""
    client = demo_app.test_client()
    with demo_app.app_context():
        place = db.session.scalar(sa.select(Place).where(Place.slug == "huiskamer-de-kapstok-overvecht"))
        place.last_checked = today() - timedelta(days=400)
        db.session.commit()
        place_id = place.id
    all_ids = {i["id"] for i in client.get("/api/v1/places?city=Utrecht&per_page=100").get_json()["items"]}
    fresh_ids = {i["id"] for i in client.get("/api/v1/places?city=Utrecht&per_page=100&fresh=1").get_json()["items"]}
    assert place_id in all_ids and place_id not in fresh_ids and fresh_ids


def test_place_page_offers_the_next_step_one_rung_up(demo_app):
    """A rung-2 place lists rung-3 places in its city under 'Volgende stap'."""
    client = demo_app.test_client()
    page = client.get("/plek/huiskamer-de-kapstok-overvecht").get_data(as_text=True)
    assert "Volgende stap" in page
    with demo_app.app_context():
        rung3 = db.session.scalars(sa.select(Place.name).where(Place.city == "Utrecht",
                                                               Place.participation_rung == 3)).all()
    assert rung3 and any(name in page for name in rung3)


def test_wijk_layer_puts_each_wijk_at_the_middle_of_its_places(demo_app):
    """The map layer of the gap map: per wijk with located places a circle at their average position, with the
    open hours per week the table shows, darker for more hours; the wijk made empty on Sunday is still there."""
    client = _coordinator(demo_app)
    page = client.get("/overzicht", query_string={"city": "Utrecht"}).get_data(as_text=True)
    layer = json.loads(re.search(r'<script type="application/json" id="wijk-kaart-data">(.*?)</script>', page,
                                 re.S).group(1))
    with demo_app.app_context():
        expected = {wijk: (lat, lon) for wijk, lat, lon in db.session.execute(
            sa.select(Place.wijk, sa.func.avg(Place.lat), sa.func.avg(Place.lon))
            .where(Place.city == "Utrecht", Place.status == "published", Place.lat.is_not(None), Place.wijk != "")
            .group_by(Place.wijk))}
    assert {row["wijk"] for row in layer} == set(expected)
    for row in layer:
        assert abs(row["lat"] - expected[row["wijk"]][0]) < 1e-4 and abs(row["lon"] - expected[row["wijk"]][1]) < 1e-4
        assert f"{row['wijk']}: {row['hours']} open uren per week" in row["label"]
    most = max(layer, key=lambda row: row["hours"])
    assert most["fill"] == "#053061" and all(row["hours"] >= 0 for row in layer)
    table = _csv(client.get("/overzicht/open-uren.csv", query_string={"city": "Utrecht"}))
    hours = {r[0]: int(r[2]) for r in table[1:]}
    assert all(hours[row["wijk"]] == row["hours"] for row in layer)

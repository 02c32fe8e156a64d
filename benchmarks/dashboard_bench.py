"""Server time of the coordinator's dashboard over 10,000 places and a year of counters.

    cd <project> && .venv/bin/python benchmarks/dashboard_bench.py [--places 10000] [--db URL] [--repeat 9]

Without --db a temporary SQLite file is used; with --db postgresql+psycopg://user@host/db the tables
are made in a fresh schema of that database (dropped afterwards). Data: one city with 12 wijken,
2,000 distinct opening-hours expressions, a year of monthly counters for every place (120,000 rows)
and eight weeks of unmet-demand rows. Prints the one-off cost of computing every place's open blocks,
then medians of the whole /overzicht page, its CSV downloads and each part on its own.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from ervaringswijzer import create_app  # noqa: E402
from ervaringswijzer.accounts.models import Member  # noqa: E402
from ervaringswijzer.core.time import today  # noqa: E402
from ervaringswijzer.db import init_db  # noqa: E402
from ervaringswijzer.extensions import db  # noqa: E402
from ervaringswijzer.overview.demand import demand_grid  # noqa: E402
from ervaringswijzer.overview.reports import (Scope, barely_reached, call_list, freshness_grids,  # noqa: E402
                                              gap_grid, ladder_grid, reach_by_month)
from ervaringswijzer.places.categories import CATEGORY_KEYS, FLAG_KEYS  # noqa: E402
from ervaringswijzer.places.counters import month_of  # noqa: E402
from ervaringswijzer.places.checks import months_back  # noqa: E402
from ervaringswijzer.places.counters import refresh_reach  # noqa: E402
from ervaringswijzer.places.models import AreaCounter, Place, PlaceCategory, PlaceCounter  # noqa: E402
from ervaringswijzer.places.openblocks import refresh_open_blocks  # noqa: E402
from ervaringswijzer.search.models import SearchLogEntry  # noqa: E402
from ervaringswijzer.search.searchlog import iso_week  # noqa: E402

WIJKEN = ["Overvecht", "Zuilen", "Kanaleneiland", "Lombok", "Binnenstad", "Leidsche Rijn", "Vleuten",
          "Noordoost", "Oost", "Zuid", "Zuidwest", "West"]
DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def hours(rng: random.Random) -> str:
    first = rng.randrange(7)
    last = min(6, first + rng.randrange(5))
    start = rng.choice([8, 9, 10, 13, 18])
    end = min(23, start + rng.choice([2, 3, 4, 6, 8]))
    rule = f"{DAYS[first]}-{DAYS[last]} {start:02d}:00-{end:02d}:{rng.choice(['00', '30'])}"
    return rule if rng.random() < 0.7 else f"{rule}; {rng.choice(DAYS)} {rng.choice([19, 20])}:00-22:00"


def fill(n: int) -> None:
    rng = random.Random(13)
    expressions = [hours(rng) for _ in range(2000)]
    day = today()
    places, categories, counters = [], [], []
    for i in range(1, n + 1):
        row = {"id": i, "slug": f"plek-{i}", "name": f"Plek {i}", "description": "", "status": "published",
               "city": "Utrecht", "wijk": rng.choice(WIJKEN), "location_status": "manual",
               "lat": 52.09 + rng.uniform(-0.05, 0.05), "lon": 5.12 + rng.uniform(-0.05, 0.05),
               "opening_hours": rng.choice(expressions) if rng.random() < 0.9 else None,
               "participation_rung": rng.choice([None, 1, 2, 3, 4, 5, 6]),
               "last_checked": day - timedelta(days=rng.randrange(900)) if rng.random() < 0.9 else None,
               "contact_name": rng.choice(["", "Ingrid", "Mo", "Sanne", "Kees", "Fatima"]),
               "contact_email": rng.choice(["", "wegwijzer@example.org"]), "version": 1}
        row.update({flag: rng.random() < 0.4 for flag in FLAG_KEYS})
        places.append(row)
        categories += [{"place_id": i, "key": key} for key in rng.sample(CATEGORY_KEYS, rng.choice([1, 2]))]
        for back in range(12):
            counters.append({"place_id": i, "month": month_of(months_back(day, back)),
                             "page_views": rng.randrange(40), "map_adds": rng.randrange(3) // 2,
                             "route_taps": rng.randrange(4) // 3, "reviews": rng.randrange(10) // 9})
    db.session.execute(sa.insert(Place), places)
    db.session.execute(sa.insert(PlaceCategory), categories)
    for start in range(0, len(counters), 20000):
        db.session.execute(sa.insert(PlaceCounter), counters[start:start + 20000])
    log = []
    for week in range(8):
        for j in range(250):
            log.append({"query": f"zoekwoord {j % 60}" if j % 3 else "", "filters": f"wijk={rng.choice(WIJKEN).lower()}"
                        f"&city=utrecht&flag={rng.choice(FLAG_KEYS)}&n={j}", "week": iso_week(day - timedelta(weeks=week)),
                        "last_day": day, "searches": rng.randrange(1, 9), "zero_results": 1, "last_hits": 0,
                        "city": "Utrecht", "wijk": rng.choice(WIJKEN)})
    db.session.execute(sa.insert(SearchLogEntry), log)
    sums = [sa.func.sum(getattr(PlaceCounter, k)) for k in ("page_views", "map_adds", "route_taps", "reviews")]
    db.session.execute(sa.insert(AreaCounter).from_select(
        ["city", "wijk", "month", "page_views", "map_adds", "route_taps", "reviews"],
        sa.select(Place.city, Place.wijk, PlaceCounter.month, *sums).join(Place, Place.id == PlaceCounter.place_id)
        .group_by(Place.city, Place.wijk, PlaceCounter.month)))
    db.session.add(Member(pseudonym="bench-coordinator", pseudonym_key="bench-coordinator", role="coordinator",
                          password_hash=generate_password_hash("x", method="pbkdf2:sha256:1000")))
    db.session.commit()


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        db.session.rollback()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--db", default="")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ew-dashboard-bench-"))
    uri, schema = args.db or f"sqlite:///{tmp / 'bench.sqlite'}", None
    options = {}
    if uri.startswith("postgresql"):
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        options = {"connect_args": {"options": f"-csearch_path={schema}"}}
        with sa.create_engine(uri).begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SQLALCHEMY_ENGINE_OPTIONS": options, "SECRET_KEY": "bench",
                      "SEARCH_INDEX_DIR": str(tmp / "index"), "SEARCH_FOLLOWER": "external",
                      "RATELIMIT_ENABLED": False, "MAIL_SEND_AFTER_COMMIT": False})
    try:
        with app.app_context():
            init_db()
            fill(args.places)
            start = time.perf_counter()
            computed = refresh_open_blocks(today())
            db.session.commit()
            print(f"{db.engine.dialect.name}, {args.places:,} places, "
                  f"{db.session.scalar(sa.select(sa.func.count()).select_from(PlaceCounter)):,} counter rows")
            print(f"open blocks, first time for {computed:,} places: {(time.perf_counter() - start) * 1000:8.0f} ms (once)")
            start = time.perf_counter()
            refresh_reach(today())
            db.session.commit()
            print(f"reach of the closed months (once a month): {(time.perf_counter() - start) * 1000:8.0f} ms")
            print(f"open blocks, nothing changed:         {median_ms(lambda: refresh_open_blocks(today()), args.repeat):8.1f} ms")
            scope, day = Scope(city="Utrecht"), today()
            parts = {
                "gap map (all wijken)": lambda: gap_grid(scope),
                "gap map, walk_in + category": lambda: gap_grid(Scope("Utrecht", "", "sport", ["walk_in"])),
                "unmet demand": lambda: demand_grid(scope, day),
                "reach per month": lambda: reach_by_month(scope, day),
                "barely reached": lambda: barely_reached(scope, day, 60),
                "ladder": lambda: ladder_grid(scope),
                "freshness": lambda: freshness_grids(scope, day),
                "call list": lambda: call_list(scope, day),
            }
            for name, fn in parts.items():
                print(f"{name:34} {median_ms(fn, args.repeat):8.1f} ms median")
            member_id = db.session.scalar(sa.select(Member.id).where(Member.pseudonym == "bench-coordinator"))
            session_id = db.session.get(Member, member_id).get_id()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = session_id, True
        for label, url in (("GET /overzicht?city=Utrecht (whole page)", "/overzicht?city=Utrecht"),
                           ("GET /overzicht?city=Utrecht&wijk=Zuilen", "/overzicht?city=Utrecht&wijk=Zuilen"),
                           ("GET /overzicht/gaten.csv", "/overzicht/gaten.csv?city=Utrecht"),
                           ("GET /overzicht/bereik.csv", "/overzicht/bereik.csv?city=Utrecht")):
            assert client.get(url).status_code == 200
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            print(f"{label:42} {statistics.median(times):8.1f} ms median")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if schema:
            with sa.create_engine(uri).begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()

"""Search benchmark: prints figures for the Whoosh index against SQLite FTS5 on the same synthetic corpus.

    python benchmarks/search_bench.py                 # 1k and 10k places
    python benchmarks/search_bench.py --sizes 1000,10000,100000

A synthetic Dutch corpus (names, descriptions, ~5 reviews per place, categories, wijken, flags,
locations) goes into a temporary SQLite database; the index is built with the same code as
`flask search rebuild`. Common words ("koffie", "samen", ...) appear in ~40 % of places.
Not a test: nothing is asserted, figures are printed.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COMMON = ["koffie", "samen", "welkom", "gratis", "buurt", "vrijwilligers", "praatje", "rustig"]
WORDS = ("huiskamer inloop dagbesteding activiteiten werkplaats moestuin tuinieren kringloop reparatie "
         "fietsen schilderen keramiek muziek koor zingen theater voetbal wandelen fitness yoga boksen "
         "lunch soep ontbijt maaltijd eettafel koken taalles computerles digid formulieren schulden "
         "budgetcoach lotgenoten zelfhulp herstel ervaringsdeskundige verslaving alcohol nachtopvang "
         "douchen kleding spreekuur juridisch toeslagen brieven huisarts wijkteam maatje gezelschap "
         "eenzaamheid somberheid angst stress burn-out psychische klachten dakloos thuisloos slaapplek "
         "houtbewerking naaien naaimachine breien puzzelen biljarten klaverjassen spelletjes krant "
         "bibliotheek kinderen ouders vrouwen mannen jongeren ouderen nieuwkomers arabisch turks "
         "engels pools middag ochtend avond weekend zondag maandag dinsdag woensdag donderdag vrijdag "
         "zaterdag gezellig veilig prikkelarm stilte rolstoel afspraak verwijzing aanmelden begeleider "
         "deelnemers groepje cursus training werkervaring vakman certificaat stage").split()
ROOTS = ("koffie thee soep brood tuin hout fiets kleding taal computer geld schuld werk buurt wijk huis kamer "
         "sport voetbal wandel zwem muziek zang dans schilder klei naai kook eet lunch ontbijt spel kaart boek "
         "les cursus groep club punt centrum atelier plaats winkel markt hulp raad steun zorg herstel rust stilte "
         "dag nacht week morgen avond zon water park bos dier kip geit bloem groente fruit").split()
SUFFIXES = "groep club les punt uur middag ochtend avond hoek kamer werk plaats tafel dag maatje coach".split()
# A Zipf-like vocabulary: the hand-picked words first, then compounds like "koffiegroep" or
# "fietsles" (Dutch glues words together), so rare words are really rare.
VOCAB = WORDS + [a + b for a in ROOTS for b in SUFFIXES if a != b]
ZIPF = [1 / (rank + 60) for rank in range(len(VOCAB))]  # the commonest word in ~40 % of places
FILLER = "je we een de het en in op met voor van bij naar is zijn kan mag wordt er ook als maar".split()
NAMES = "Huiskamer Buurtkamer Inloop Werkplaats Atelier Buurthuis Tuin Kringloop Repair Café Taalhuis Steunpunt".split()
NAME2 = "De Kapstok Zwaan Meerkoet Lantaarn Uil Anker Plein Brug Haven Linde Eik Wilg Roos Zon Maan Ster".split()
CITIES = {"Utrecht": (52.09, 5.12), "Amsterdam": (52.37, 4.90), "Rotterdam": (51.92, 4.48),
          "Groningen": (53.22, 6.57), "Leiden": (52.16, 4.49), "Zwolle": (52.51, 6.09)}
WIJKEN = ["Noord", "Oost", "Zuid", "West", "Centrum", "Overvecht", "Lombok", "Zuilen", "Charlois", "Beijum"]
CATEGORY_KEYS = ["walk_in_centre", "day_activities", "sheltered_work", "volunteering", "help_advice",
                 "self_help", "peer_support", "sport", "creative", "food_coffee", "repair_reuse",
                 "learning_computers", "community_centre"]
FLAGS = ["walk_in", "no_referral", "free", "client_run", "peer_experts", "wheelchair", "bring_someone",
         "look_first", "quiet_space"]


def text(rng: random.Random, n: int, common: bool = True) -> str:
    words = [rng.choice(FILLER) if rng.random() < 0.45 else None for _ in range(n)]
    picks = iter(rng.choices(VOCAB, weights=ZIPF, k=n))
    words = [w if w is not None else next(picks) for w in words]
    for word in COMMON if common else ():  # each common word in ~40 % of places
        if rng.random() < 0.4:
            words.insert(rng.randrange(len(words) + 1), word)
    return " ".join(words).capitalize() + "."


def corpus(n: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(1, n + 1):
        city = rng.choice(list(CITIES))
        lat, lon = CITIES[city]
        yield {
            "id": i, "slug": f"plek-{i}", "name": f"{rng.choice(NAMES)} {rng.choice(NAME2)} {i}",
            "description": text(rng, 60), "city": city, "wijk": rng.choice(WIJKEN),
            "lat": lat + rng.uniform(-0.05, 0.05), "lon": lon + rng.uniform(-0.08, 0.08),
            "categories": rng.sample(CATEGORY_KEYS, rng.randint(1, 3)),
            "flags": {f: rng.random() < 0.4 for f in FLAGS},
            "reviews": [text(rng, 30, common=False) for _ in range(rng.randint(3, 7))],
        }


def load_database(app, places: list[dict]) -> None:
    """Bulk insert (Core): the benchmark measures search, not the ORM."""
    import sqlalchemy as sa

    from ervaringswijzer.extensions import db
    from ervaringswijzer.places.models import Place, PlaceCategory

    with app.app_context():
        rows = [{"id": p["id"], "slug": p["slug"], "name": p["name"], "description": p["description"],
                 "status": "published", "city": p["city"], "wijk": p["wijk"], "lat": p["lat"], "lon": p["lon"],
                 "location_status": "manual", "street": "", "house_number": "", "postcode": "", "phone": "",
                 "email": "", "website": "", "contact_name": "", "contact_role": "", "languages": "nl",
                 "first_arrival": "", "first_greeter": "", "first_quiet_times": "", "first_busy_times": "",
                 **p["flags"]} for p in places]
        db.session.execute(sa.insert(Place.__table__), rows)
        db.session.execute(sa.insert(PlaceCategory.__table__),
                           [{"place_id": p["id"], "key": c} for p in places for c in p["categories"]])
        db.session.commit()


def queries(rng: random.Random, places: list[dict], n: int = 240):
    """A mix: plain common, plain rare, two words, typo, prefix (suggest), filtered, near-me."""
    from ervaringswijzer.search.query import IndexFilters

    def typo(word):
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1:]

    mix = []
    for i in range(n):
        kind = ["common", "rare", "two", "typo", "prefix", "filtered", "near"][i % 7]
        if kind == "common":
            mix.append((kind, rng.choice(COMMON), IndexFilters()))
        elif kind == "rare":
            mix.append((kind, rng.choice(VOCAB[300:]), IndexFilters()))
        elif kind == "two":
            mix.append((kind, f"{rng.choice(COMMON)} {rng.choice(VOCAB)}", IndexFilters()))
        elif kind == "typo":
            mix.append((kind, typo(rng.choice([w for w in VOCAB if len(w) > 6])), IndexFilters()))
        elif kind == "prefix":
            mix.append((kind, rng.choice(VOCAB)[:4], IndexFilters()))
        elif kind == "filtered":
            mix.append((kind, rng.choice(VOCAB), IndexFilters(categories=[rng.choice(CATEGORY_KEYS)],
                                                                city=rng.choice(list(CITIES)), flags=["walk_in"])))
        else:
            lat, lon = CITIES[rng.choice(list(CITIES))]
            mix.append((kind, rng.choice(COMMON + VOCAB), IndexFilters(bbox=(lat - 0.03, lon - 0.05, lat + 0.03, lon + 0.05))))
    return mix


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def bench_whoosh(searcher, mix, facets: bool) -> list[float]:
    from ervaringswijzer.search.query import run_search, suggest

    times = []
    for kind, q, filters in mix:
        started = time.perf_counter()
        if kind == "prefix":
            suggest(searcher, q)
        else:
            run_search(searcher, q, filters, limit=20, facets=facets)
        times.append(time.perf_counter() - started)
    return times


def build_fts(path: Path, places: list[dict]) -> float:
    started = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(name, body, reviews, tokenize='unicode61 remove_diacritics 2')")
    con.execute("CREATE TABLE meta (id INTEGER PRIMARY KEY, city TEXT, lat REAL, lon REAL, walk_in INT)")
    con.execute("CREATE TABLE cat (place_id INT, key TEXT)")
    con.executemany("INSERT INTO fts(rowid, name, body, reviews) VALUES (?, ?, ?, ?)",
                    [(p["id"], p["name"], f"{p['description']} {p['city']} {p['wijk']}", " ".join(p["reviews"]))
                     for p in places])
    con.executemany("INSERT INTO meta VALUES (?, ?, ?, ?, ?)",
                    [(p["id"], p["city"], p["lat"], p["lon"], int(p["flags"]["walk_in"])) for p in places])
    con.executemany("INSERT INTO cat VALUES (?, ?)", [(p["id"], c) for p in places for c in p["categories"]])
    con.execute("CREATE INDEX cat_key ON cat(key, place_id)")
    con.commit()
    con.close()
    return time.perf_counter() - started


def bench_fts(path: Path, mix) -> list[float]:
    """The same work in FTS5: top 20 by bm25 (name weighted) plus the exact count; filters in SQL."""
    con = sqlite3.connect(path)
    times = []
    for kind, q, f in mix:
        words = [w for w in q.replace("-", " ").split() if w]
        match = " ".join(f'"{w}"*' if kind == "prefix" else f'"{w}"' for w in words)
        where, args = "fts MATCH ?", [match]
        if f.categories:
            where += " AND rowid IN (SELECT place_id FROM cat WHERE key = ?)"
            args.append(f.categories[0])
        if f.city or f.flags or f.bbox:
            where += " AND rowid IN (SELECT id FROM meta WHERE 1"
            if f.city:
                where += " AND city = ?"
                args.append(f.city)
            if f.flags:
                where += " AND walk_in = 1"
            if f.bbox:
                where += " AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
                args += [f.bbox[0], f.bbox[2], f.bbox[1], f.bbox[3]]
            where += ")"
        started = time.perf_counter()
        con.execute(f"SELECT rowid FROM fts WHERE {where} ORDER BY bm25(fts, 5.0, 1.0, 0.35) LIMIT 20", args).fetchall()
        con.execute(f"SELECT count(*) FROM fts WHERE {where}", args).fetchone()
        times.append(time.perf_counter() - started)
    con.close()
    return times


def commit_to_visible(app, rounds: int = 40) -> list[float]:
    """Change a place's description with a fresh word, commit, and time until a search finds it.

    The words hold a digit, so a search never finds the previous round's word as a typo of this one."""
    from ervaringswijzer.extensions import db
    from ervaringswijzer.places.models import Place
    from ervaringswijzer.search import index as idx
    from ervaringswijzer.search.query import IndexFilters, run_search

    times = []
    root = app.config["SEARCH_INDEX_DIR"]
    for i in range(rounds):
        word = f"zichtbaarwoord{i}x"
        with app.app_context():
            started = time.perf_counter()
            place = db.session.get(Place, 1 + i * 7)
            place.description = f"{place.description} {word}"
            db.session.commit()  # after_commit wakes the follower thread, which applies the row
            while not run_search(idx.searcher_for(root), word, IndexFilters(), limit=5, facets=False).ids:
                if time.perf_counter() - started > 10:
                    raise RuntimeError("change never became visible")
                time.sleep(0.001)
            times.append(time.perf_counter() - started)
    return times


def run_size(n: int, rng: random.Random) -> None:
    from ervaringswijzer import create_app
    from ervaringswijzer.extensions import db
    from ervaringswijzer.core import signals
    from ervaringswijzer.search import follower, index as idx, outbox

    tmp = Path(tempfile.mkdtemp(prefix=f"ew-bench-{n}-"))
    try:
        places = list(corpus(n))
        reviews = {p["id"]: p["reviews"] for p in places}
        def source(_sender, *, session, place_ids):
            return {pid: reviews[pid] for pid in place_ids if pid in reviews}

        signals.place_search_texts.connect(source)
        # The follower thread starts after the full build, for commit-to-visible: as in `make run`.
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite'}",
                          "SEARCH_INDEX_DIR": str(tmp / "search-index"), "SEARCH_FOLLOWER": "external",
                          "TESTING": True})
        with app.app_context():
            from ervaringswijzer.db import init_db
            init_db()
        load_database(app, places)

        with app.app_context():
            figures = outbox.rebuild(app.config["SEARCH_INDEX_DIR"], db.engine)
        size = idx.index_size(app.config["SEARCH_INDEX_DIR"]) / 2**20
        fts_path = tmp / "fts.sqlite"
        fts_build = build_fts(fts_path, places)
        fts_size = fts_path.stat().st_size / 2**20

        mix = queries(rng, places)
        searcher = idx.searcher_for(app.config["SEARCH_INDEX_DIR"])
        bench_whoosh(searcher, mix[:30], facets=False)  # warm the searcher's caches, as a running worker has
        plain = bench_whoosh(searcher, mix, facets=False)
        faceted = bench_whoosh(searcher, mix, facets=True)
        bench_fts(fts_path, mix[:30])
        fts = bench_fts(fts_path, mix)
        app.config["SEARCH_FOLLOWER"] = "thread"  # so that a commit wakes the thread (in "external" mode it does not)
        follower.ensure_thread(app)
        visible = commit_to_visible(app)
        follower.stop_thread(app)
        per_kind = {}
        for (kind, _q, _f), t in zip(mix, plain):
            per_kind.setdefault(kind, []).append(t)

        print(f"\n== {n:,} places, {sum(len(r) for r in reviews.values()):,} reviews ==")
        print(f"full build (rebuild): {figures['seconds']:.1f} s, index {size:.1f} MiB   | FTS5 build {fts_build:.1f} s, {fts_size:.1f} MiB")
        print(f"queries: {len(mix)} (plain common/rare/two words, typo, prefix, filtered, near-me)")
        print(f"Whoosh top-20 + exact count:      p50 {pct(plain, 50):6.1f} ms  p95 {pct(plain, 95):6.1f} ms")
        print(f"Whoosh + facets (search page):    p50 {pct(faceted, 50):6.1f} ms  p95 {pct(faceted, 95):6.1f} ms")
        print(f"FTS5 top-20 + exact count:        p50 {pct(fts, 50):6.1f} ms  p95 {pct(fts, 95):6.1f} ms")
        print(f"ratio Whoosh/FTS5:                p50 {pct(plain, 50) / pct(fts, 50):5.1f}x    p95 {pct(plain, 95) / pct(fts, 95):5.1f}x")
        print("per kind p50/p95 ms: " + ", ".join(f"{k} {pct(v, 50):.1f}/{pct(v, 95):.1f}" for k, v in per_kind.items()))
        print(f"commit-to-visible ({len(visible)} changes): p50 {pct(visible, 50):.0f} ms  p95 {pct(visible, 95):.0f} ms")
        signals.place_search_texts.disconnect(source)
        idx.close_searchers()
        with app.app_context():
            db.engine.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (100000 takes minutes)")
    args = parser.parse_args()
    os.environ.setdefault("EW_INSTANCE_PATH", tempfile.mkdtemp(prefix="ew-bench-instance-"))
    import logging
    logging.disable(logging.WARNING)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, SQLite {sqlite3.sqlite_version}")
    rng = random.Random(42)
    for n in (int(s) for s in args.sizes.split(",")):
        run_size(n, rng)


if __name__ == "__main__":
    main()

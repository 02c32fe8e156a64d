"""Area map pages with 100 / 1,000 / 10,000 places, side by side: server time, bytes, Chromium time to first markers.

    cd <project> && .venv/bin/python benchmarks/maps_bench.py [--sizes 1000,10000] [--no-browser]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]   (default: a SQLite file)

The folium technique needs jQuery, which the app does not ship: `.venv/bin/pip install -e '.[bench]'`
(BENCH_SKIP_SLOW=1 leaves it out above 1,000 places; it is skipped when jQuery is missing).

Techniques:
  feed    what Ervaringswijzer serves (/kaart/<city>): a small page (one page of the list, the places'
          extent) and markers fetched for the map's view from /api/v1/places.geojson, clustered on the
          server past MAP_CLUSTER_ABOVE places in view
  inline  the previous page: every place in the list and every marker in the page (JSON block)
  folium  one Folium Marker + Popup (escaped HTML) per place inside a MarkerCluster: the habit
Server ms is the whole request through the Flask test client, median of 3 after one warm-up
("warm": answers cached per data version and minute, as a busy site serves them) and median of 3
with the answer caches emptied before each request ("cold"). For feed, page and feed are summed;
the feed is asked for the box and zoom the browser asked first. KB: the document plus its marker
data, as Chromium received them; "all KB" adds scripts, styles and icons. Chromium ms is navigation
start until the first marker or cluster icon is in the DOM, loopback only (every other request is
aborted), one fresh browser per row.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EW_INSTANCE_PATH", tempfile.mkdtemp(prefix="ew-bench-"))
os.environ["EW_MAP_TILE_URL"] = ""

import sqlalchemy as sa  # noqa: E402
from flask import render_template, render_template_string, send_from_directory  # noqa: E402
from markupsafe import escape  # noqa: E402

from ervaringswijzer import create_app  # noqa: E402
from ervaringswijzer.core import caching  # noqa: E402
from ervaringswijzer.db import init_db  # noqa: E402
from ervaringswijzer.extensions import db  # noqa: E402

FOLIUM_PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>bench</title>{{ header | safe }}</head>
<body>{{ body | safe }}<script nonce="{{ csp_nonce() }}">{{ script | safe }}</script></body></html>"""


def make_places(n: int) -> None:
    """n published places in one city, cycling through the demo places' hours and categories."""
    from ervaringswijzer.places.models import Place, PlaceCategory
    demo = json.loads((ROOT / "ervaringswijzer/places/demo_places.json").read_text())
    rows, cats = [], []
    for i in range(n):
        src = demo[i % len(demo)]
        rows.append({"id": i + 1, "slug": f"plek-{i}", "name": f"{src['name']} {i}", "status": "published",
                     "city": "Benchstad", "wijk": f"Wijk {i % 20}", "lat": 52.0 + (i % 100) / 300,
                     "lon": 5.0 + (i // 100) / 300, "location_status": "manual",
                     "opening_hours": src.get("opening_hours"), "description": ""})
        cats += [{"place_id": i + 1, "key": k} for k in src["categories"]]
    db.session.execute(Place.__table__.delete())
    db.session.execute(Place.__table__.insert(), rows)
    db.session.execute(PlaceCategory.__table__.insert(), cats)
    db.session.commit()


def folium_page(app):
    """The one-object-per-marker technique, with escaped popups (the safe version of the habit)."""
    import folium
    from folium.plugins import MarkerCluster
    from ervaringswijzer.maps.render import StatusCache, asset_urls
    from ervaringswijzer.places.filters import PlaceFilters, find_places
    from ervaringswijzer.core.time import now

    at = now()
    places = find_places(PlaceFilters(city="Benchstad"), 1, 100_000).items
    statuses = StatusCache(at)
    assets = asset_urls()
    fmap = folium.Map(location=(52.1, 5.1), zoom_start=12, tiles=None, maxZoom=19)
    fmap.default_js = [("leaflet", assets["leaflet_js"]), ("jquery", "/bench/jquery/jquery.min.js")]
    fmap.default_css = [("leaflet_css", assets["leaflet_css"])]
    cluster = MarkerCluster()
    cluster.default_js = [("markerclusterjs", assets["cluster_js"])]
    cluster.default_css = [("markerclustercss", assets["cluster_css"]),
                           ("markerclusterdefaultcss", assets["cluster_default_css"])]
    cluster.add_to(fmap)
    for p in places:
        html = (f"<b>{escape(p.name)}</b><br>{escape(statuses.line(p.opening_hours))}<br>"
                f"<a href=\"/plek/{escape(p.slug)}\">Meer</a>").replace("$", "&#36;").replace("`", "&#96;")
        folium.Marker((p.lat, p.lon), popup=folium.Popup(html), tooltip=str(escape(p.name)).replace("`", "&#96;")
                      ).add_to(cluster)
    root = fmap.get_root()
    root.render()
    header = root.header.render().replace("user-scalable=no", "")
    return render_template_string(FOLIUM_PAGE, header=header, body=root.html.render(), script=root.script.render())


def inline_page():
    """The page as it was before the feed: the whole list and every marker inside the page."""
    from ervaringswijzer.core.time import now
    from ervaringswijzer.maps.render import StatusCache, build_map, list_entries
    from ervaringswijzer.places.filters import PlaceFilters, find_map_places
    from ervaringswijzer.places.serialize import ratings_for

    at = now()
    places = find_map_places(PlaceFilters(city="Benchstad"))
    statuses = StatusCache(at)
    view = build_map(places, at, ratings=ratings_for([p.id for p in places]), zoom=13, statuses=statuses)
    return render_template("maps/area.html", title="bench", view=view, count=len(places), page=1, pages=1,
                           entries=list_entries(places, statuses, "-"), filters=PlaceFilters(), list_args={},
                           errors={})


def serve(app):
    import logging
    from werkzeug.serving import make_server
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def chromium(url: str) -> tuple[str, int, int, str]:
    """(ms to the first marker, KB of the document + marker data, KB of everything, the first feed URL)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
        errors, data, everything, feeds = [], [], [], []

        def finished(request):
            size = request.sizes()["responseBodySize"]
            everything.append(size)
            if request.resource_type == "document" or ".geojson" in request.url:
                data.append(size)
            if ".geojson" in request.url:
                feeds.append(request.url)
        page.on("requestfinished", finished)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="commit")
        try:
            page.wait_for_selector(".leaflet-marker-icon", timeout=20_000)
            ms = f"{page.evaluate('() => performance.now()'):.0f}"
        except Exception:
            ms = "failed: " + (errors[0][:60] if errors else "no markers in 20 s")
        page.wait_for_load_state("networkidle")
        browser.close()
    return ms, sum(data), sum(everything), feeds[0] if feeds else ""


def server_ms(client, path: str, cold: bool) -> float:
    timings = []
    client.get(path)  # warm-up: template compilation, hour evaluators
    for _ in range(3):
        if cold:
            caching.forget_all(client.application)
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(timings)


def private_schema(url: str) -> tuple[str, callable]:
    """A schema of our own on a shared PostgreSQL server, dropped afterwards."""
    schema = f"ew_bench_{os.getpid()}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}", drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--database-url", default="", help="e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    # No search follower: map pages without words never read the index, and its rebuild would compete for the CPU.
    config = {"TESTING": True, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False, "SEARCH_FOLLOWER": "external"}
    drop = None
    if args.database_url:
        config["SQLALCHEMY_DATABASE_URI"], drop = private_schema(args.database_url)
    app = create_app(config)
    with app.app_context():
        init_db()
        print(f"database: {db.engine.dialect.name}; cluster above {app.config['MAP_CLUSTER_ABOVE']} places in view; "
              f"list {app.config['MAP_LIST_PER_PAGE']} a page", flush=True)

    @app.route("/bench/folium")
    def bench_folium():
        return folium_page(app)

    @app.route("/bench/inline")
    def bench_inline():
        return inline_page()

    @app.route("/bench/jquery/<path:filename>")
    def bench_jquery(filename):
        """Folium's popup code uses $(...); only this benchmark page loads jQuery."""
        import xstatic.pkg.jquery
        return send_from_directory(xstatic.pkg.jquery.BASE_DIR, filename)

    try:
        import xstatic.pkg.jquery  # noqa: F401
        have_jquery = True
    except ImportError:
        have_jquery = False
    server = None if args.no_browser else serve(app)
    client = app.test_client()
    print(f"{'places':>7} {'technique':>9} {'warm ms':>8} {'cold ms':>8} {'KB':>7} {'all KB':>7} {'Chromium ms':>12}")
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            with app.app_context():
                make_places(n)
            for technique, path in (("feed", "/kaart/Benchstad"), ("inline", "/bench/inline"),
                                    ("folium", "/bench/folium")):
                if technique == "folium" and (not have_jquery or n > 1000 and os.environ.get("BENCH_SKIP_SLOW")):
                    continue
                draw, kb, all_kb, feed = "", len(client.get(path).data), 0, ""
                if server is not None:
                    draw, kb, all_kb, feed = chromium(f"http://127.0.0.1:{server.server_port}{path}")
                warm, cold = server_ms(client, path, False), server_ms(client, path, True)
                if feed:
                    feed_path = feed.split(str(server.server_port), 1)[1]
                    warm, cold = warm + server_ms(client, feed_path, False), cold + server_ms(client, feed_path, True)
                print(f"{n:>7} {technique:>9} {warm:>8.1f} {cold:>8.1f} {kb / 1024:>7.0f} {all_kb / 1024:>7.0f} "
                      f"{draw:>12}", flush=True)
    finally:
        if server:
            server.shutdown()
        if drop:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            drop()


if __name__ == "__main__":
    main()

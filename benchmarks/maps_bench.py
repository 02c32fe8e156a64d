"""Map pages with 100 / 1,000 / 10,000 places, two marker techniques: server time, HTML bytes, Chromium draw time.

    cd <project> && .venv/bin/python benchmarks/maps_bench.py [--sizes 100,1000,10000] [--no-browser]

The folium technique needs jQuery, which the app does not ship: `.venv/bin/pip install -e '.[bench]'`.

Techniques:
  folium  one Folium Marker + Popup (escaped HTML) per place inside a MarkerCluster: the habit
  json    what Ervaringswijzer serves: Folium skeleton + one JSON block + static/maps/ew-map.js
Server time is the whole request through the Flask test client (query, status lines, template),
median of 3 after one warm-up. Chromium time is navigation start until the first marker or
cluster icon is in the DOM, loopback only (every other request is aborted).
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

from flask import render_template_string, send_from_directory  # noqa: E402
from markupsafe import escape  # noqa: E402

from ervaringswijzer import create_app  # noqa: E402
from ervaringswijzer.db import init_db  # noqa: E402
from ervaringswijzer.extensions import db  # noqa: E402

FOLIUM_PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>bench</title>{{ header }}</head>
<body>{{ body }}<script nonce="{{ csp_nonce() }}">{{ script }}</script></body></html>"""


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


def serve(app):
    import logging
    from werkzeug.serving import make_server
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def chromium_ms(url: str) -> str:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="commit")
        try:
            page.wait_for_selector(".leaflet-marker-icon", timeout=20_000)
            ms = f"{page.evaluate('() => performance.now()'):.0f}"
        except Exception:
            ms = "failed: " + (errors[0][:60] if errors else "no markers in 20 s")
        browser.close()
    return ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    with app.app_context():
        init_db()

    @app.route("/bench/folium")
    def bench_folium():
        return folium_page(app)

    @app.route("/bench/jquery/<path:filename>")
    def bench_jquery(filename):
        """Folium's popup code uses $(...); only this benchmark page loads jQuery."""
        import xstatic.pkg.jquery
        return send_from_directory(xstatic.pkg.jquery.BASE_DIR, filename)

    server = None if args.no_browser else serve(app)
    client = app.test_client()
    print(f"{'places':>7} {'technique':>9} {'server ms':>10} {'HTML KB':>9} {'Chromium ms':>12}")
    for n in (int(s) for s in args.sizes.split(",")):
        with app.app_context():
            make_places(n)
        for technique, path in (("json", "/kaart/Benchstad"), ("folium", "/bench/folium")):
            if technique == "folium" and n > 1000 and os.environ.get("BENCH_SKIP_SLOW"):
                continue
            client.get(path)  # warm-up: template compilation, hour evaluators
            timings, size = [], 0
            for _ in range(3):
                start = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
                size = len(response.data)
            draw = "" if server is None else chromium_ms(f"http://127.0.0.1:{server.server_port}{path}")
            print(f"{n:>7} {technique:>9} {statistics.median(timings):>10.0f} {size / 1024:>9.0f} {draw:>12}",
                  flush=True)
    if server:
        server.shutdown()


if __name__ == "__main__":
    main()

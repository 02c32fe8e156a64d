"""Every map page renders user text inert (the whole XSS corpus) and references no asset from another site."""
import json
import re
from datetime import datetime
from html import unescape as html_unescape
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.maps.render import build_map
from ervaringswijzer.maps.shared import SharedMap, add_place, create_shared_map
from ervaringswijzer.places.filters import MapPlace
from ervaringswijzer.places.hours import TZ
from ervaringswijzer.places.models import Place
from ervaringswijzer.places.services import upsert_place
from tests.conftest import maps_login
from tests.xss_corpus import PAYLOADS, assert_safe, contains_marker_intact, nonce_from_csp

SQLITE_ONLY = pytest.mark.parametrize("app", ["sqlite"], indirect=True)
REMOTE_ASSET = re.compile(r"""<(?:script|link)\b[^>]*(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def assert_page_safe(response, where):
    assert response.status_code == 200, (where, response.status_code)
    assert_safe(response.get_data(as_text=True), where,
                nonce=nonce_from_csp(response.headers.get("Content-Security-Policy")))


def marker_data(html: str) -> dict:
    """The JSON marker block of the (first) map on a page."""
    found = re.search(r'<script type="application/json" id="[^"]+-data">(.*?)</script>', html, re.S)
    assert found, "no marker data on the page"
    return json.loads(found.group(1))


def hostile_places(app) -> list[int]:
    """One located place per payload, as name, description and wijk, in the city 'Utrecht'."""
    ids = []
    with app.app_context():
        for i, payload in enumerate(PAYLOADS):
            place, errors, _ = upsert_place({
                "slug": f"xss-{i}", "name": payload[:200], "description": payload,
                "categories": ["walk_in_centre"], "opening_hours": "Mo-Fr 10:00-16:00",
                "address": {"street": "Gambiaweg 1", "city": "Utrecht", "wijk": payload[:100]},
                "location": {"lat": 52.0 + i / 1000, "lon": 5.0 + i / 1000},
            })
            assert not errors, (i, errors)
            ids.append(place.id)
        db.session.commit()
    return ids


def test_marker_json_cannot_close_or_open_a_tag(app):
    """The marker JSON escapes <, >, &, ' and the two JavaScript line separators, and still parses back."""
    name = "</script><script>alert('1')</script><!-- & \u2028\u2029 Café"
    place = MapPlace(id=1, slug="x", name=name, lat=52.09, lon=5.12, opening_hours=None)
    with app.test_request_context():
        text = str(build_map([place], datetime(2026, 11, 24, 10, tzinfo=TZ)).data)
    assert not set("<>&'\u2028\u2029") & set(text)
    assert json.loads(text)["places"][0][3] == name


@SQLITE_ONLY
def test_area_maps_render_every_payload_as_data(app, client):
    """All payloads on one city map and in the list: the page is inert and the JSON gives the names back exactly."""
    hostile_places(app)
    response = client.get("/kaart/Utrecht")
    assert_page_safe(response, "/kaart/Utrecht")
    html = response.get_data(as_text=True)
    feed_url = html_unescape(re.search(r'data-feed="([^"]+)"', html).group(1))
    feed = client.get(feed_url)
    assert feed.mimetype == "application/geo+json"
    assert not set("<>&\u2028\u2029") & set(feed.get_data(as_text=True))  # safe even if pasted into a page
    names = {f["properties"]["name"] for f in feed.get_json()["features"]}
    assert names == {p[:200].replace("\x00", "").strip() for p in PAYLOADS}  # as validation stores them
    pages = [html] + [client.get(f"/kaart/Utrecht?page={n}").get_data(as_text=True) for n in range(2, 7)]
    assert 'rel="next"' not in pages[-1] and all('rel="next"' in page for page in pages[:-1])
    for payload in PAYLOADS[::10]:  # the list beside the map shows names as text (parsing is slow: a sample)
        assert any(contains_marker_intact(page, payload[:200].strip()) for page in pages), payload
    for url in ("/kaart", "/kaart?city=Utrecht&open_now=1", "/embed/kaart/Utrecht"):
        assert_page_safe(client.get(url), url)


@SQLITE_ONLY
def test_wijk_maps_and_place_maps_are_inert(app, client):
    """A hostile wijk name in the URL and every place page with its small map stay inert."""
    hostile_places(app)
    # Popups and tooltips are built from the JSON checked in full above; these pages share its code path,
    # so a third of the corpus keeps the suite fast.
    for i, payload in list(enumerate(PAYLOADS))[::3]:
        wijk = payload[:100]
        if "/" not in wijk and wijk.strip() and "\x00" not in wijk:
            for prefix in ("/kaart/Utrecht/", "/embed/kaart/Utrecht/"):
                response = client.get(prefix + wijk.replace("?", "%3F").replace("#", "%23"))
                if response.status_code != 404:
                    assert_page_safe(response, f"{prefix} payload {i}")
        assert_page_safe(client.get(f"/plek/xss-{i}"), f"/plek/xss-{i}")


@SQLITE_ONLY
def test_shared_map_pages_render_every_payload_inert(app, client, maps_member):
    """Payloads as shared map title and note and as its places: the view, print, embed and owner pages are inert."""
    ids = hostile_places(app)
    owner = maps_member("wijkteam-xss")
    tokens = []
    with app.app_context():
        for i, payload in enumerate(PAYLOADS):
            shared, errors = create_shared_map(owner, payload[:120] if payload[:120].strip() else "x", payload)
            assert not errors, (i, errors)
            for place_id in (ids[i], ids[(i + 1) % len(ids)]):
                add_place(shared, db.session.get(Place, place_id))
            tokens.append((shared.id, shared.token))
        db.session.commit()
    for i, (map_id, token) in enumerate(tokens):
        # The same fields through the same escaping; print and embed get a sixth of the corpus to stay fast.
        urls = [f"/k/{token}"] + ([f"/k/{token}/afdrukken", f"/embed/k/{token}"] if i % 6 == 0 else [])
        for url in urls:
            assert_page_safe(client.get(url), f"{url} payload {i}")
    svg = ElementTree.fromstring(client.get(f"/k/{tokens[0][1]}/qr.svg").data)
    assert {el.tag.split("}")[1] for el in svg.iter()} <= {"svg", "title", "path"}
    assert not [a for el in svg.iter() for a in el.attrib if a.lower().startswith("on")]
    maps_login(client, "wijkteam-xss")
    assert_page_safe(client.get("/mijn-kaarten"), "/mijn-kaarten")
    for i, (map_id, _token) in enumerate(tokens[:40]):
        assert_page_safe(client.get(f"/mijn-kaarten/{map_id}"), f"/mijn-kaarten/{map_id}")
    assert_page_safe(client.get("/plek/xss-3"), "place page with add-to-map form")
    assert_page_safe(client.get("/plekken?city=Utrecht&per_page=100"), "list with add-to-map choices")


@pytest.mark.parametrize("url", [
    "/kaart", "/kaart/Utrecht", "/kaart/Utrecht/Overvecht", "/embed/kaart/Utrecht/Overvecht",
    "/plek/huiskamer-de-kapstok-overvecht", "/plekken", "SHARED", "SHARED/afdrukken", "/embed/kSHARED_TAIL",
])
def test_no_map_page_loads_anything_from_another_site(demo_app, url):
    """Every kind of map page (search, city, wijk, place, shared, print, embed) has no http(s) script or stylesheet."""
    with demo_app.app_context():
        from ervaringswijzer.maps.cli import seed_maps
        seed_maps()
        db.session.commit()
        token = db.session.scalar(sa.select(SharedMap.token))
    url = url.replace("/embed/kSHARED_TAIL", f"/embed/k/{token}").replace("SHARED", f"/k/{token}")
    demo_app.config["MAP_TILE_URL"] = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    response = demo_app.test_client().get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ew-map" in html and "L.map(" in html
    assert not REMOTE_ASSET.findall(html), REMOTE_ASSET.findall(html)
    assert "cdn" not in html.lower() and "user-scalable=no" not in html
    for src in re.findall(r'<script src="([^"]+)"', html):
        assert src.startswith("/static/"), src
        asset = demo_app.test_client().get(src)
        assert asset.status_code == 200 and len(asset.data) > 1000, src
        asset.close()


def test_folium_header_has_only_our_assets(app):
    """Folium's own header, rendered in full, lists only our copies of Leaflet and MarkerCluster."""
    from ervaringswijzer.maps.render import _skeleton

    with app.test_request_context():
        places = [Place(id=i, slug=f"p{i}", name=f"P{i}", lat=52 + i / 100, lon=5.0) for i in range(3)]
        fmap, cluster = _skeleton(places, cluster=True, zoom=13)
        root = fmap.get_root()
        root.render()
        header = root.header.render()
    assert cluster is not None
    assert "/static/vendor/leaflet/leaflet.js" in header
    assert "/static/vendor/markercluster/leaflet.markercluster.js" in header
    assert not REMOTE_ASSET.findall(header) and "://" not in header


@pytest.mark.parametrize("query", [
    "", "?open_now=1&at=2026-11-24T10:00:00%2B01:00", "?category=walk_in_centre", "?q=huiskamer",
    "?near=52.09,5.12&radius_km=5", "?walk_in=1",
])
def test_map_rows_match_find_places(demo_app, query):
    """The lean map query returns the same places, in the same order, with the same categories as find_places."""
    from werkzeug.datastructures import MultiDict

    from ervaringswijzer.places.filters import find_map_places, find_places, parse_filters

    with demo_app.test_request_context("/kaart" + query):
        from flask import request
        filters, _page, _per_page, errors = parse_filters(MultiDict(request.args))
        assert not errors
        full = find_places(filters, 1, 100_000).items
        lean = find_map_places(filters)
    assert full, query
    assert [(p.id, p.slug, p.name, p.lat, p.lon, p.opening_hours, p.categories, p.has_location) for p in full] == \
        [(p.id, p.slug, p.name, p.lat, p.lon, p.opening_hours, p.categories, p.has_location) for p in lean]


def test_status_cache_within_a_minute_matches_fresh_evaluation(app):
    """Status lines cached per minute equal a fresh evaluation at any second of that minute, also at a change."""
    from datetime import datetime

    from ervaringswijzer.maps.render import STATE_CODES, StatusCache
    from ervaringswijzer.places.display import status_line
    from ervaringswijzer.places.hours import TZ, opening_status

    exprs = ["Mo-Fr 10:00-16:00", "24/7", None, "Tu 09:59-10:00", "Mo-Su 10:01-11:00"]
    with app.test_request_context():
        for second in (0, 1, 30, 59):
            at = datetime(2026, 11, 24, 10, 0, second, 123, tzinfo=TZ)
            cache = StatusCache(at)
            for expr in exprs:
                status = opening_status(expr, at)
                index, state = cache.get(expr)
                assert (cache.lines[index], state) == (status_line(status, at), STATE_CODES[status.state]), (expr, at)


@pytest.mark.parametrize("url", ["/kaart?wijk=Overvecht", "/kaart?near=nergens&walk_in=1", "/kaart/Utrecht?near=x",
                                 "/embed/kaart/Utrecht/Overvecht?radius_km=3"])
def test_map_page_feed_leaves_out_what_the_page_could_not_use(demo_client, url):
    """A parameter the page shows a warning for (or ignores) is not passed on, so the map feed answers 200
    with the places the page lists instead of a 400 and an empty map."""
    html = demo_client.get(url).get_data(as_text=True)
    feed_url = html_unescape(re.search(r'data-feed="([^"]+)"', html).group(1))
    feed = demo_client.get(feed_url)
    assert feed.status_code == 200 and feed.get_json()["total"] > 0, feed_url
    assert "near=" not in feed_url and "radius_km" not in feed_url
    assert ("wijk=Overvecht" in feed_url) == ("/Overvecht" in url)  # a wijk from the path, never a refused one


def test_a_page_number_past_any_database_offset_is_a_plain_message(app, client, make_place):
    """page=10**20 on an area map or the API is refused in words (it used to overflow PostgreSQL's OFFSET: a 500)."""
    make_place(name="Huiskamer Bladzijde", city="Utrecht")
    page = client.get("/kaart/Utrecht?page=100000000000000000000")
    assert page.status_code == 200 and "Huiskamer Bladzijde" in page.get_data(as_text=True)
    api = client.get("/api/v1/places?page=100000000000000000000")
    assert api.status_code == 400 and "page" in api.get_json()["error"]["message"]

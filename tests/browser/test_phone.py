"""A client on a phone in real Chromium: first result on the first screen, menu and filters by keyboard,
tonight near a typed postcode by keyboard alone, no sideways scrolling at 320 px on any page, distinct
titles, and axe clean with map tiles shown."""
import logging
import re
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from werkzeug.security import generate_password_hash

from ervaringswijzer.accounts.models import Member
from ervaringswijzer.extensions import db
from ervaringswijzer.maps.cli import DEMO_TOKEN, seed_maps
from ervaringswijzer.places.models import Place
from ervaringswijzer.places.nearby import COOKIE
from ervaringswijzer.places.services import upsert_place
from ervaringswijzer.places.suggestions import suggest_place

from .conftest import LiveServer, demo_server_app, save_screenshot

PHONE = {"width": 360, "height": 740}
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}
PASSWORD = "telefoon-wachtwoord"
LONG = "Ervaringsdeskundigenontmoetingscentrumvoorzieningen"
AXE = Axe()


def _png() -> bytes:
    """A 256 x 256 one-colour PNG, the size of a map tile."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xe8\xe4\xda" * 256 for _ in range(256))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class TileHandler(BaseHTTPRequestHandler):
    TILE = _png()

    def do_GET(self):  # noqa: N802 (the standard library's name)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(self.TILE)))
            self.end_headers()
            self.wfile.write(self.TILE)
        except ConnectionError:
            pass  # the page moved on before its tiles arrived

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def tiles():
    """A local tile server on 127.0.0.1 that answers every tile with the same small PNG."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), TileHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


EVENING = {"slug": "avondhuiskamer-de-lamp", "name": "Avondhuiskamer De Lamp", "categories": ["walk_in_centre"],
           "description": "Elke avond open: koffie, een praatje, een spelletje.",
           "address": {"street": "Oudegracht 100", "postcode": "3511 AX", "city": "Utrecht", "wijk": "Binnenstad"},
           "location": {"lat": 52.0912, "lon": 5.1219}, "flags": {"walk_in": True, "free": True},
           "opening_hours": "Mo-Su 17:00-24:00; PH 17:00-24:00"}
HERE = {"latitude": 52.0876543, "longitude": 5.1341234}  # the phone's own position, to the metre
HERE_ROUNDED = ("52.088", "5.134")


@pytest.fixture(scope="module")
def phone_server(tmp_path_factory, tiles, geocoder_server):
    """Demo data with the shared map, a moderator, a place full of long words, a suggestion and a change,
    a place open every evening near the geocoder's answer; tiles on."""
    app = demo_server_app(tmp_path_factory, "phone", MAP_TILE_URL=tiles + "/{z}/{x}/{y}.png",
                          MAP_TILE_ATTRIBUTION="&copy; OpenStreetMap-bijdragers", GEOCODER_URL=geocoder_server.url,
                          GEOCODER_MIN_DELAY=0, GEOCODER_TIMEOUT=2, GEOCODER_USER_AGENT="Ervaringswijzer-tests/1.0")
    with app.app_context():
        seed_maps()
        moderator = Member(pseudonym="moderator-telefoon", pseudonym_key="moderator-telefoon", role="admin",
                           password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
        db.session.add(moderator)
        long_place = {"slug": "lange-woorden", "name": f"{LONG} Overvecht", "categories": ["peer_support"],
                      "description": f"{LONG} en ervaringsdeskundigheidsbevorderingsprogramma's.",
                      "address": {"street": f"{LONG}straat 1234", "city": "Utrecht", "wijk": "Overvecht"},
                      "location": {"lat": 52.114, "lon": 5.113}, "flags": {"peer_experts": True},
                      "contact": {"email": f"{LONG.lower()}@{LONG.lower()}.example",
                                  "website": f"https://www.{LONG.lower()}.example/{LONG.lower()}/contact"},
                      "opening_hours": "Mo-Fr 10:00-16:00"}
        upsert_place(long_place)
        upsert_place({**long_place, "description": f"{LONG}, nu ook op {LONG.lower()}dagen."}, action="updated")
        suggest_place({**{k: v for k, v in long_place.items() if k != "slug"}, "name": f"{LONG} Voorstel"}, moderator)
        upsert_place(EVENING)
        db.session.commit()
        slugs = list(db.session.scalars(sa.select(Place.slug).where(Place.status == "published").order_by(Place.slug)))
    with LiveServer(app) as server:
        server.slugs = slugs
        server.app = app
        yield server


@pytest.fixture(scope="module")
def phone(browser, phone_server, tiles):
    """One page for the whole module; anything not on our two loopback servers is aborted and recorded."""
    context = browser.new_context()
    page = context.new_page()
    outside = []

    def guard(route):
        url = route.request.url
        if url.startswith((phone_server.url, tiles, "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    page.outside_requests = outside
    yield page
    context.close()


def _log_in(page, base):
    page.goto(base + "/inloggen")
    page.locator("input[name=pseudonym]").fill("moderator-telefoon")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")


def _log_out(page, base):
    page.goto(base + "/account")
    page.set_viewport_size(WIDE)
    page.locator("form[action$='/uitloggen'] button").first.click()
    page.wait_for_load_state()


def _tab_to(page, selector: str, limit: int = 12) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_first_result_is_on_the_first_screen(phone, phone_server):
    """At 360 x 740 the first result's name lies within the first screen on the list and on search results."""
    phone.set_viewport_size(PHONE)
    for path in ("/plekken", "/plekken?q=koffie", "/plekken?q=inloop&walk_in=1&quiet_space=1"):
        phone.goto(phone_server.url + path)
        box = phone.locator(".place-card-title a").first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], (path, box)
    save_screenshot(phone, "phone-search-360")
    assert phone.outside_requests == []


def test_menu_and_filters_work_by_keyboard(phone, phone_server):
    """On a phone the header menu opens and closes by keyboard, and the folded filters open, tick and submit by keyboard."""
    phone.set_viewport_size(PHONE)
    phone.goto(phone_server.url + "/plekken")
    nav_link = phone.locator("#hoofdmenu a", has_text="Over ons")
    assert not nav_link.is_visible()
    _tab_to(phone, ".menu-toggle")
    phone.keyboard.press("Enter")
    assert phone.locator(".menu-toggle").get_attribute("aria-expanded") == "true"
    assert nav_link.is_visible()
    phone.keyboard.press("Escape")
    assert not nav_link.is_visible()
    assert phone.evaluate("document.activeElement.classList.contains('menu-toggle')")

    quiet = phone.get_by_label("Prikkelarm")
    assert phone.locator(".filter-fold > summary").inner_text() == "Filters (0)" and not quiet.is_visible()
    _tab_to(phone, ".filter-fold > summary")
    phone.keyboard.press("Enter")
    assert quiet.is_visible()
    _tab_to(phone, "input[name=quiet_space]", limit=20)
    phone.keyboard.press("Space")
    _tab_to(phone, ".filter-fold button[type=submit]", limit=20)
    phone.keyboard.press("Enter")
    phone.wait_for_url("**quiet_space=1**")
    assert phone.locator(".filter-fold > summary").inner_text() == "Filters (1)"
    assert phone.locator(".place-card").count() > 0


def _focus_is_visible(page) -> bool:
    """The focused element draws an outline or a ring (our :focus-visible style), not nothing."""
    return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }""")


def _tab_to_visibly(page, selector: str, limit: int = 40) -> None:
    """Tab until `selector` has focus, checking on every stop that focus can be seen."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert _focus_is_visible(page), page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_walk_open_tonight_near_a_postcode(phone, phone_server, geocoder_server, caplog):
    """Keyboard only at 360 x 740: tonight, near a typed postcode, nearest first with walking time; open the
    first place, take its route link, go back; then the phone's own position, which no log or file keeps."""
    caplog.set_level(logging.INFO)
    base = phone_server.url
    phone.set_viewport_size(PHONE)
    phone.goto(base + "/plekken")
    _tab_to_visibly(phone, ".filter-fold > summary")
    phone.keyboard.press("Enter")
    _tab_to_visibly(phone, "input[name=wanneer]")  # the group's chosen radio: "Maakt niet uit"
    phone.keyboard.press("ArrowDown")
    phone.keyboard.press("ArrowDown")
    assert phone.evaluate("document.activeElement.value") == "vanavond"
    _tab_to_visibly(phone, ".filter-fold button[type=submit]")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**wanneer=vanavond**")

    _tab_to_visibly(phone, ".near-form > summary")
    phone.keyboard.press("Enter")
    _tab_to_visibly(phone, "#waar")
    phone.keyboard.type("3561 AB")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**dichtbij=1**")
    assert "wanneer=vanavond" in phone.url and "near=" not in phone.url
    assert [r["params"]["q"] for r in geocoder_server.requests][-1:] == ["3561 ab"]
    assert phone.locator(".near-form > summary").inner_text() == "Dichtbij 3561 AB"
    first = phone.locator(".place-card").first
    assert first.locator(".place-card-title").inner_text() == EVENING["name"]
    assert re.fullmatch(r"\d+ m · \d+ min lopen", first.locator(".distance").inner_text())
    assert first.locator(".status").inner_text().startswith("Open ")
    save_screenshot(phone, "phone-near-tonight-360")
    box = first.locator(".place-card-title a").bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    list_url = phone.url

    _tab_to_visibly(phone, ".place-card-title a")
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"{base}/plek/{EVENING['slug']}")
    _tab_to_visibly(phone, ".route-links a[href^='https://www.openstreetmap.org/']")
    route = phone.evaluate("document.activeElement.href")
    assert "engine=fossgis_osrm_foot" in route and "52.09120%2C5.12190" in route
    assert phone.locator(".route-links a[href^='geo:52.09120,5.12190']").count() == 1
    phone.go_back()  # the browser's own Back (Alt+Left): Playwright cannot press browser shortcuts headless
    phone.wait_for_url(list_url)
    assert phone.locator(".place-card-title").first.inner_text() == EVENING["name"]

    phone.context.grant_permissions(["geolocation"], origin=base)
    phone.context.set_geolocation(HERE)
    phone.goto(base + "/plekken")
    _tab_to_visibly(phone, ".near-form > summary")
    phone.keyboard.press("Enter")
    _tab_to_visibly(phone, "[data-near-here]")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**dichtbij=1**")
    assert phone.locator(".near-form > summary").inner_text() == "Dichtbij jouw plek"
    cookie = next(c for c in phone.context.cookies() if c["name"] == COOKIE)
    assert cookie["value"] == "~".join(HERE_ROUNDED) + "~" and cookie["httpOnly"]
    assert phone.outside_requests == []

    assert "GET /plekken?dichtbij=1" in caplog.text  # the access log was captured, and holds no position
    needles = HERE_ROUNDED + (str(HERE["latitude"])[:7], str(HERE["longitude"])[:6])
    files = [p for p in Path(phone_server.app.instance_path).rglob("*") if p.is_file()]
    files.append(Path(phone_server.app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")))
    for path in files:
        data = path.read_bytes()
        assert not [n for n in needles if n.encode() in data], path
    assert not [n for n in needles if n in caplog.text]


def _pages(server) -> list[str]:
    shared = f"/k/{DEMO_TOKEN}"
    return ["/", "/over", "/plekken", "/plekken?q=ervaringsdeskundigen", "/plekken?q=zzzqqq&quiet_space=1&open_now=1",
            "/ervaringen", "/kaart", "/kaart/Utrecht", "/kaart/Utrecht/Overvecht", shared, shared + "/afdrukken",
            "/embed/k/" + DEMO_TOKEN, "/embed/kaart/Utrecht/Overvecht", "/plek/lange-woorden/geschiedenis",
            "/plek/lange-woorden/klopt-niet", "/inloggen", "/aanmelden", "/bestaat-niet"]


MEMBER_PAGES = ["/account", "/plek-voorstellen", "/plek/avondhuiskamer-de-lamp/bewerken", "/voorstellen", "/moderatie", "/moderatie/logboek",
                "/moderatie/zoekvragen", "/beheer/leden", "/plek/lange-woorden/bewerken", "/plek/lange-woorden/ervaring"]


def _wider_than(page, width: int) -> int:
    return page.evaluate("document.documentElement.scrollWidth") - width


def test_no_page_scrolls_sideways_at_320_px(phone, phone_server):
    """At 320 px no page (logged out or in, every demo place, the edit form with an hours error) is wider than the screen."""
    phone.set_viewport_size(NARROW)
    base, too_wide, titles = phone_server.url, {}, {}
    paths = _pages(phone_server) + [f"/plek/{slug}" for slug in phone_server.slugs]
    for path in paths:
        phone.goto(base + path)
        if _wider_than(phone, 320) > 0:
            too_wide[path] = _wider_than(phone, 320)
        titles.setdefault(phone.title(), []).append(path)
    _log_in(phone, base)
    try:
        for path in MEMBER_PAGES:
            phone.goto(base + path)
            if path.endswith("/bewerken"):
                phone.locator(".hours-raw > summary").click()
                phone.get_by_label("Openingstijden als tekst (mag leeg blijven)").fill(f"ma-vr 10:00-16:00 {LONG}{LONG}")
                phone.get_by_role("button", name="Bewaren").click()
                phone.locator("pre.hours-pointer").wait_for()
            if _wider_than(phone, 320) > 0:
                too_wide[path] = _wider_than(phone, 320)
            titles.setdefault(phone.title(), []).append(path)
    finally:
        _log_out(phone, base)
    assert too_wide == {}
    shared = [paths for paths in titles.values() if len(paths) > 1]
    assert shared == [], shared


# (dx, dy) from each numbered pin's centre to its number's centre, in px.
PIN_NUMBER_OFFSETS = """() => [...document.querySelectorAll('.ew-pin-numbered')].map(pin => {
    const a = pin.getBoundingClientRect(), b = pin.querySelector('.ew-pin-number').getBoundingClientRect();
    return [a.x + a.width / 2 - b.x - b.width / 2, a.y + a.height / 2 - b.y - b.height / 2]; })"""
AXE_PAGES = ["/plekken", "/plekken?dichtbij=1&sort=distance&wanneer=vanavond", "/plekken?q=koffie", "/plekken?q=zzzqqq&quiet_space=1", "/plek/lange-woorden",
             f"/k/{DEMO_TOKEN}", f"/k/{DEMO_TOKEN}/afdrukken", f"/embed/k/{DEMO_TOKEN}", "/kaart/Utrecht"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_touched_pages_pass_axe_with_map_tiles(phone, phone_server, lang):
    """With tiles drawn, the list, near-me, search, no-results, place, map, print and embed pages pass axe at 320 and
    1280 px, popup open; the print sheet's numbers sit centred on their pins, on screen and on paper."""
    base = phone_server.url
    phone.goto(f"{base}/?lang={lang}")
    problems = []
    for viewport in (NARROW, WIDE):
        phone.set_viewport_size(viewport)
        for path in AXE_PAGES:
            phone.goto(base + path)
            if phone.locator(".ew-map:visible").count():
                phone.wait_for_selector(".leaflet-tile-loaded", state="attached")
                phone.wait_for_selector(".leaflet-marker-icon:visible")
                if phone.locator(".map-show:visible").count():
                    phone.locator(".map-show:visible").first.click()
                    phone.wait_for_function("() => { const p = document.querySelector('.leaflet-popup');"
                                            " return p && getComputedStyle(p).opacity === '1'; }")
            results = AXE.run(phone)
            if results.violations_count:
                problems.append((viewport["width"], path, results.generate_report()))
            if path.endswith("/afdrukken"):
                for media in ("print", "screen"):
                    phone.emulate_media(media=media)
                    off = [d for d in phone.evaluate(PIN_NUMBER_OFFSETS) if max(map(abs, d)) > 1]
                    assert off == [], (media, viewport["width"], off)
    _log_in(phone, base)
    try:
        for viewport in (NARROW, WIDE):
            phone.set_viewport_size(viewport)
            for path in ("/moderatie/logboek", "/moderatie/zoekvragen", "/plek/avondhuiskamer-de-lamp/bewerken"):
                phone.goto(base + path)
                results = AXE.run(phone)
                if results.violations_count:
                    problems.append((viewport["width"], path, results.generate_report()))
    finally:
        _log_out(phone, base)
        phone.goto(f"{base}/?lang=nl")
    assert problems == []
    assert phone.outside_requests == []

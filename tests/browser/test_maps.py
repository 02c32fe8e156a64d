"""Maps in real Chromium with every non-loopback request blocked: markers appear, numbers match, print fits A4."""
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from ervaringswijzer.extensions import db
from ervaringswijzer.maps.cli import DEMO_TOKEN, seed_maps
from ervaringswijzer.places.services import upsert_place
from tests.xss_corpus import PAYLOADS

from .conftest import save_screenshot

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def seeded(live_server):
    """The demo shared map, plus a city full of hostile place names."""
    with live_server.app.app_context():
        seed_maps()
        for i, payload in enumerate(PAYLOADS):
            upsert_place({"slug": f"xss-{i}", "name": payload[:200], "categories": ["walk_in_centre"],
                          "address": {"street": "Gambiaweg 1", "city": "Gifstad", "wijk": payload[:100]},
                          "location": {"lat": 52.0 + (i % 17) / 500, "lon": 5.0 + (i // 17) / 500}})
        db.session.commit()
    return live_server


def test_every_kind_of_map_draws_markers_offline(offline_page, seeded):
    """Search, city, wijk, place, shared, print and embed maps draw their markers with nothing from outside."""
    page = offline_page
    for path in ("/kaart", "/kaart/Utrecht", "/kaart/Utrecht/Overvecht", "/plek/huiskamer-de-kapstok-overvecht",
                 "/plekken?city=Utrecht", f"/k/{DEMO_TOKEN}", f"/k/{DEMO_TOKEN}/afdrukken", f"/embed/k/{DEMO_TOKEN}",
                 "/embed/kaart/Utrecht/Overvecht"):
        page.goto(seeded.url + path)
        page.wait_for_selector(".leaflet-marker-icon", timeout=5000)
        assert page.locator(".ew-map[data-markers]").count() == 1, path
    assert page.outside_requests == []


def test_shared_map_on_a_phone_numbers_match_the_list(offline_page, seeded):
    """On a phone the shared map shows numbered markers 1..n whose titles match the numbered list, and passes axe."""
    page = offline_page
    page.set_viewport_size(PHONE)
    page.goto(f"{seeded.url}/k/{DEMO_TOKEN}")
    page.wait_for_selector(".ew-pin-numbered")
    markers = page.locator(".ew-pin-numbered")
    numbers = [markers.nth(i).inner_text() for i in range(markers.count())]
    titles = [markers.nth(i).get_attribute("title") for i in range(markers.count())]
    listed = page.locator(".shared-list-name a").all_inner_texts()
    assert sorted(numbers, key=int) == [str(n) for n in range(1, len(listed) + 1)]
    assert {int(n): t for n, t in zip(numbers, titles)} == dict(enumerate(listed, start=1))
    page.locator(".map-show").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    # Leaflet fades popups in; axe must judge the colours a reader sees, not a half-faded frame.
    page.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    assert listed[0] in popup.inner_text()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    save_screenshot(page, "shared-map-phone")
    assert page.outside_requests == []


def test_print_view_fits_one_a4_page(offline_page, seeded):
    """The print view of a five-place map is one A4 page in Chromium's PDF output."""
    page = offline_page
    page.goto(f"{seeded.url}/k/{DEMO_TOKEN}/afdrukken")
    page.wait_for_selector(".ew-pin-numbered")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    size = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert pages == 1
    assert (round(float(size.group(1))), round(float(size.group(2)))) == (595, 842)  # A4 in points


def test_hostile_names_never_run_in_popups_or_tooltips(offline_page, seeded):
    """With every payload as a place name, opening popups and hovering markers never opens a dialog."""
    page = offline_page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(seeded.url + "/kaart/Gifstad")
    page.wait_for_selector(".leaflet-marker-icon")
    buttons = page.locator(".map-show")
    count = buttons.count()
    assert count == min(len(PAYLOADS), seeded.app.config["MAP_LIST_PER_PAGE"])  # one page of the list
    for i in range(0, count, 25):  # through the list buttons; below, every popup is opened directly
        buttons.nth(i).click()
        page.locator(".leaflet-popup-content").last.wait_for()
    # Without auto-pan: a pan stopped by the next popup re-clusters and takes markers off the map mid-loop.
    page.evaluate("""() => { const m = window[document.querySelector('.ew-map').dataset.map], layers = [];
        m.eachLayer(l => layers.push(l));
        layers.forEach(l => { if (l._map && l.getPopup && l.getPopup() && l.getLatLng) {
            l.getPopup().options.autoPan = false; l.openPopup(); } }); }""")
    for marker in page.locator(".leaflet-marker-icon").all()[:40]:
        marker.dispatch_event("mouseover")
        marker.focus()
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.outside_requests == []

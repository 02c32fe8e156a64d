"""Area maps from the GeoJSON feed in real Chromium, tiles on: clusters from the server, zooming in, the paged list
with "Toon op kaart", and axe clean at 320 and 1280 px with nothing loaded from elsewhere (the API page too)."""
import pytest

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place

from .conftest import LiveServer, axe_clean, demo_server_app, keep_local, save_screenshot
from .test_phone import tiles  # noqa: F401  (the local tile server fixture)

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}
CITY = 240  # places in Rasterstad: more than MAP_CLUSTER_ABOVE, so a whole-city view comes as clusters


@pytest.fixture(scope="module")
def feed_server(tmp_path_factory, tiles):  # noqa: F811
    app = demo_server_app(tmp_path_factory, "feed", MAP_TILE_URL=tiles + "/{z}/{x}/{y}.png",
                          MAP_TILE_ATTRIBUTION="&copy; OpenStreetMap-bijdragers", MAP_CLUSTER_ABOVE=100)
    with app.app_context():
        for i in range(CITY):
            place = Place(slug=f"raster-{i:03d}", name=f"Rasterplek {i:03d}", city="Rasterstad", wijk=f"Wijk {i % 4}",
                          lat=52.0 + (i % 16) / 80, lon=5.0 + (i // 16) / 80, location_status="manual",
                          opening_hours="Mo-Fr 10:00-16:00")
            place.categories = ["walk_in_centre"]
            db.session.add(place)
        db.session.commit()
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def guarded(page, feed_server):
    """Our server and the tile server (both on 127.0.0.1) only."""
    return keep_local(page)


def settled_axe_clean(page, where: str) -> None:
    """axe at the page's own width once Leaflet's fades (markers, tiles, popups) have ended, also on a
    busy machine: axe must judge what a reader sees."""
    page.wait_for_timeout(400)
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    axe_clean(page, where, widths=())


def test_city_map_from_the_feed(guarded, feed_server):
    """Clusters first, points after zooming in, the list paged with working buttons; axe clean at both widths."""
    page = guarded
    feeds = []
    page.on("request", lambda r: feeds.append(r.url) if ".geojson" in r.url else None)
    page.set_viewport_size(WIDE)
    page.goto(feed_server.url + "/kaart/Rasterstad")
    page.wait_for_selector(".ew-map[data-clustered='1'] .ew-feed-cluster")
    assert len(feeds) == 1 and "bbox=" in feeds[0] and "zoom=" in feeds[0]
    counts = page.locator(".ew-feed-cluster span").all_inner_texts()
    assert sum(int(c) for c in counts) + page.locator(".ew-pin").count() == CITY
    assert page.locator("#kaartlijst > li").count() == 50  # one page of the list, not all 240
    settled_axe_clean(page, "clusters at 1280")
    save_screenshot(page, "map-feed-clusters-wide")

    # A cluster, by keyboard: Enter zooms into its box, and the map asks again for the new view.
    before = page.evaluate("() => window[document.querySelector('.ew-map').dataset.map].getZoom()")
    page.locator(".ew-feed-cluster").first.focus()
    with page.expect_response(lambda r: ".geojson" in r.url):
        page.keyboard.press("Enter")
    assert page.evaluate("() => window[document.querySelector('.ew-map').dataset.map].getZoom()") > before

    # "Toon op kaart" of a place on the second page of the list opens its popup, wherever the map was.
    page.locator(".pager a[rel=next]").first.click()
    page.wait_for_selector("#kaartlijst > li[data-place]")
    name = page.locator("#kaartlijst > li").first.locator("a").inner_text()
    assert name == "Rasterplek 050"
    page.locator("#kaartlijst > li").first.locator(".map-show").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert name in popup.inner_text()
    page.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    settled_axe_clean(page, "popup at 1280")

    page.set_viewport_size(NARROW)
    for path in ("/kaart/Rasterstad", "/kaart/Utrecht/Overvecht", "/kaart?category=walk_in_centre",
                 "/embed/kaart/Rasterstad?page=2"):
        page.goto(feed_server.url + path)
        page.wait_for_selector(".ew-map[data-clustered] .leaflet-marker-icon")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"], path
        settled_axe_clean(page, f"{path} at 320")
    save_screenshot(page, "map-feed-narrow")
    page.goto(feed_server.url + "/api/v1/docs")  # the API described, readable on a phone too
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    settled_axe_clean(page, "/api/v1/docs at 320")
    assert page.outside_requests == []

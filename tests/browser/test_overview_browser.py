"""The coordinator's dashboard in real Chromium: the empty Sunday in a wijk, a filter-only search in unmet
demand, an overdue place's warning; every chart has its table twin and the page passes axe at 320 and 1280 px."""
from datetime import date

import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place

from .conftest import LiveServer, add_member, axe_clean, demo_server_app, save_screenshot
from .test_phone import tiles  # noqa: F401  (the local tile server fixture)



@pytest.fixture(scope="module")
def city_server(tmp_path_factory, tiles):  # noqa: F811
    """Demo data where Zuilen (Utrecht) is open on weekdays only and one place was checked long ago; tiles on."""
    app = demo_server_app(tmp_path_factory, "city", MAP_TILE_URL=tiles + "/{z}/{x}/{y}.png",
                          MAP_TILE_ATTRIBUTION="&copy; OpenStreetMap-bijdragers")
    with app.app_context():
        for place in db.session.scalars(sa.select(Place).where(Place.city == "Utrecht", Place.wijk == "Zuilen")):
            place.opening_hours = "Mo-Fr 09:00-17:00"
        stale = db.session.scalar(sa.select(Place).where(Place.slug == "huiskamer-de-kapstok-overvecht"))
        stale.last_checked, stale.contact_email = date(2024, 1, 10), ""
        db.session.commit()
    add_member(app, "coordinator-city", "coordinator", "wachtwoord-123")
    with LiveServer(app) as server:
        yield server


def test_coordinator_finds_the_gaps_the_unmet_demand_and_the_stale_place(browser, city_server):
    """Gap map for Utrecht names Zuilen's empty Sunday; a filter-only zero search shows; twins and axe hold."""
    base = city_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # A client searches with choices only: Overvecht, walk in, quiet, at Sunday night. Nothing is found.
    page.goto(base + "/plekken?city=Utrecht&wijk=Overvecht&walk_in=1&quiet_space=1"
                     "&open_at=2026-12-06T23:30:00%2B01:00")
    # The stale place warns its visitors.
    page.goto(base + "/plek/huiskamer-de-kapstok-overvecht")
    assert "Al lang niet gecontroleerd — bel even voor je gaat" in page.locator(".stale-warning").inner_text()

    page.goto(base + "/inloggen")
    page.get_by_label("Schuilnaam").fill("coordinator-city")
    page.get_by_label("Wachtwoord").fill("wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Overzicht").first.click()
    page.get_by_label("Plaats").select_option("Utrecht")
    page.get_by_role("button", name="Toon").click()
    assert "city=Utrecht" in page.url
    sentences = page.locator(".gap-sentences").inner_text()
    assert "Zuilen: zondag 7–23 uur niets open" in sentences

    # Every picture has its table twin, with the same empty Sunday in it.
    figures = page.locator("figure.chart")
    twins = page.locator("details.table-twin")
    assert figures.count() == twins.count() >= 6
    for i in range(twins.count()):
        twins.nth(i).locator("summary").click()
    sunday = page.locator("#gaten-grid-table tr", has_text="Zuilen · zondag")
    assert sunday.locator("td.cell-empty").count() == 4
    assert "prikkelarm · binnenlopen zonder afspraak · zondag 23–7 uur · Overvecht" in \
        page.locator("#zoekvragen-grid-table").inner_text()
    assert "Huiskamer De Kapstok" in page.locator("#bellijst ~ div table").inner_text()
    # The same open hours as a map layer: one circle per wijk with located places, the darkest where most is open.
    page.wait_for_selector("#wijk-kaart[data-circles]", state="attached")
    circles = int(page.locator("#wijk-kaart").get_attribute("data-circles"))
    assert circles >= 3 and page.locator("#wijk-kaart path.leaflet-interactive").count() == circles
    assert page.locator("#wijk-kaart .leaflet-tile-loaded").count() > 0 and errors == []
    save_screenshot(page, "overview-1280")
    page.locator("figure.chart").first.screenshot(path="test-artifacts/overview-gaps.png")
    axe_clean(page, "dashboard at 1280 px", widths=())
    page.set_viewport_size({"width": 320, "height": 800})
    axe_clean(page, "dashboard at 320 px", widths=())
    save_screenshot(page, "overview-320")
    context.close()

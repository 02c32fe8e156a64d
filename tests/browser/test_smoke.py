"""Home, list and a place page in real Chromium: content visible, no outside requests, no axe violations."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import save_screenshot

AXE = Axe()


def assert_accessible(page):
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
                         ids=["phone", "desktop"])
def test_home_list_and_place_page(offline_page, live_server, viewport):
    """A visitor searches from home, opens a place, and every page passes axe with nothing loaded from outside."""
    page = offline_page
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Plekken waar je welkom bent"
    assert_accessible(page)
    save_screenshot(page, f"home-{viewport['width']}")

    page.get_by_label("Wat zoek je?").fill("repair")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**/plekken?q=repair*")
    first = page.locator(".place-card-title a").first
    assert "repair" in first.inner_text().lower() or page.locator(".place-card").count() > 0
    assert_accessible(page)
    save_screenshot(page, f"list-{viewport['width']}")

    name = first.inner_text()
    first.click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert page.locator("table.hours, .status-unknown").count() >= 1
    assert_accessible(page)
    save_screenshot(page, f"place-{viewport['width']}")

    page.go_back()
    page.wait_for_url("**/plekken?q=repair*")
    assert page.outside_requests == []

"""The search results page in Chromium: a typo finds its place, facets and suggestions work, axe passes."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from ervaringswijzer.search import rebuild_index

from .conftest import save_screenshot

AXE = Axe()


@pytest.fixture
def indexed(live_server):
    """The live server's index, built (it starts without one, as test apps do)."""
    with live_server.app.app_context():
        rebuild_index()
    return live_server


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
                         ids=["phone", "desktop"])
def test_search_with_typo_facets_and_suggestions(offline_page, indexed, viewport):
    """'huiskamr' finds the huiskamers with a 'Bedoelde je' link; a facet narrows; the page passes axe."""
    page = offline_page
    page.set_viewport_size(viewport)
    page.goto(indexed.url + "/plekken?q=huiskamr")
    assert page.locator(".did-you-mean a").inner_text() == "huiskamer"
    assert "Huiskamer" in page.locator(".place-card-title a").first.inner_text()
    assert page.locator(".snippet mark").count() > 0
    page.locator(".facets summary").click()
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
    save_screenshot(page, f"search-{viewport['width']}")

    page.locator(".facet-list a", has_text="Overvecht").first.click()
    page.wait_for_url("**wijk=Utrecht/Overvecht**")
    assert page.locator(".place-card-title a").first.inner_text() == "Huiskamer De Kapstok"

    page.get_by_label("Zoekwoorden").fill("koffieo")
    page.locator("#q-suggestions option").first.wait_for(state="attached")  # strict CSP: no wait_for_function
    options = page.locator("#q-suggestions option").evaluate_all("os => os.map(o => o.value)")
    assert "koffieochtenden" in options
    assert page.outside_requests == []


def test_unmet_demand_page_is_accessible(offline_page, indexed):
    """The moderators' report passes axe (logged in as a moderator made for this test)."""
    from ervaringswijzer.accounts.services import register_member
    from ervaringswijzer.extensions import db

    with indexed.app.app_context():
        register_member("browser moderator", "een lang wachtwoord", role="moderator")
        db.session.commit()
    page = offline_page
    page.goto(indexed.url + "/plekken?q=zwembad")
    page.goto(indexed.url + "/inloggen?next=/moderatie/zoekvragen")
    page.get_by_label("Schuilnaam").fill("browser moderator")
    page.get_by_label("Wachtwoord").fill("een lang wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/moderatie/zoekvragen")
    assert page.get_by_role("cell", name="zwembad").count() == 1
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
    save_screenshot(page, "unmet-demand")


def test_wanneer_choice_on_a_phone(offline_page, indexed):
    """On a phone, a day and time in the Wanneer? choice say the moment back; the page passes axe."""
    page = offline_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(indexed.url + "/plekken")
    page.get_by_text("Filters (0)").click()  # on a phone the filters are folded away
    page.get_by_label("Op een dag en tijd").check()
    page.locator("#when-day").fill("2026-12-07")
    page.locator("#when-time").fill("10:00")
    page.get_by_role("button", name="Toon plekken").click()
    page.wait_for_url("**wanneer=dag*")
    assert page.locator(".when-said").inner_text() == "Open op maandag 7 december om 10:00"
    lines = page.locator(".place-card .status").all_inner_texts()
    assert lines and not any("Nu" in line for line in lines)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
    save_screenshot(page, "when-choice-390")
    assert page.outside_requests == []

"""Accounts in real Chromium with CSRF on: a weak password is explained kindly, and "log out everywhere" ends all sessions."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import LiveServer, demo_server_app


@pytest.fixture(scope="module")
def csrf_server(tmp_path_factory):
    """The demo app with CSRF protection switched on, as in production."""
    app = demo_server_app(tmp_path_factory, "csrf", WTF_CSRF_ENABLED=True)
    with LiveServer(app) as server:
        yield server


def test_weak_password_then_log_out_everywhere(browser, csrf_server):
    """Registration refuses 'qwertyuiop' (typing kept, axe clean); after 'log out everywhere' a copied cookie is out too."""
    base = csrf_server.url
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/aanmelden")
    page.get_by_label("Schuilnaam").fill("Browser Bram")
    page.get_by_label("Wachtwoord").fill("qwertyuiop")
    page.get_by_role("button", name="Account maken").click()
    assert "te makkelijk te raden" in page.locator(".field-error").inner_text()
    assert page.get_by_label("Schuilnaam").input_value() == "Browser Bram"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    page.get_by_label("Wachtwoord").fill("paarse fiets op zolder")
    page.get_by_role("button", name="Account maken").click()
    page.wait_for_url(base + "/")
    # A second device carrying a copy of this session cookie.
    other_device = browser.new_context()
    other_device.add_cookies(context.cookies())
    other_page = other_device.new_page()
    other_page.goto(base + "/account")
    assert other_page.url == base + "/account" and "Browser Bram" in other_page.content()
    page.goto(base + "/account")
    page.get_by_role("button", name="Log uit op alle apparaten").click()
    page.wait_for_url(base + "/")
    assert "Je bent uitgelogd op alle apparaten" in page.content()
    other_page.goto(base + "/account")
    assert "/inloggen" in other_page.url
    other_device.close()
    context.close()

"""Wachtwoord vergeten in real Chromium: the mail arrives at an SMTP server, its link sets a new password that works."""
import re

import pytest

from ervaringswijzer.accounts.services import find_member
from ervaringswijzer.demo import seed_demo
from ervaringswijzer.extensions import db
from tests.smtp_server import SmtpServer, parts

from .conftest import LiveServer, axe_clean, demo_server_app


@pytest.fixture(scope="module")
def reset_server(tmp_path_factory):
    """The demo app with CSRF on, its mail going to a real SMTP server; member-demo has an address."""
    with SmtpServer() as smtp:
        app = demo_server_app(tmp_path_factory, "reset", WTF_CSRF_ENABLED=True, MAIL_SERVER="127.0.0.1",
                              MAIL_PORT=smtp.port, MAIL_BACKEND="smtp", PASSWORD_RESET_ANSWER_SECONDS=0.05)
        with app.app_context():
            seed_demo()
            db.session.commit()
            find_member("member-demo").email = "demo@example.org"
            db.session.commit()
        with LiveServer(app) as server:
            server.smtp = smtp
            yield server


def test_forgotten_password_by_mail(browser, reset_server):
    """Login → 'Wachtwoord vergeten?' → mail at the SMTP server → link → new password → log in with it."""
    base = reset_server.url
    page = browser.new_page()
    page.goto(base + "/inloggen")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    axe_clean(page, page.url)
    page.get_by_label("Schuilnaam").fill("member-demo")
    page.get_by_role("button", name="Stuur mij een link").click()
    assert "Als deze schuilnaam bij ons bekend is" in page.content()

    message = reset_server.smtp.wait_for(1)[0]
    assert message["To"] == "demo@example.org"
    text, _html = parts(message)
    link = re.search(r"http://127\.0\.0\.1:\d+/wachtwoord-herstellen/\S+", text).group(0)
    page.goto(link)
    axe_clean(page, page.url)
    page.get_by_label("Nieuw wachtwoord").fill("kort")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    assert "minstens 10 tekens" in page.locator(".error-summary").inner_text()
    page.get_by_label("Nieuw wachtwoord").fill("blauwe regenjas in de gang")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.wait_for_url(base + "/inloggen")
    assert "Je wachtwoord is veranderd" in page.content()

    page.get_by_label("Schuilnaam").fill("member-demo")
    page.get_by_label("Wachtwoord").fill("blauwe regenjas in de gang")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(base + "/")
    assert "Je bent ingelogd." in page.content()
    page.goto(link)
    assert "Deze link werkt niet meer" in page.content()
    for path in ("/account", "/berichten"):  # the new parts of the account page and the inbox
        page.goto(base + path)
        axe_clean(page, page.url)
    page.close()


def test_moderator_page_for_crisis_phrases(browser, reset_server):
    """A moderator adds a phrase, tries a text, and holds a review; the pages and the inbox with a new
    notice (count in the header) pass axe at 320 and 1280 px."""
    base = reset_server.url
    page = browser.new_page()
    page.goto(base + "/inloggen")
    page.get_by_label("Schuilnaam").fill("moderator-demo")
    page.get_by_label("Wachtwoord").fill("demo-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(base + "/")
    page.goto(base + "/moderatie/crisiszinnen")
    page.get_by_label("Nieuwe zin").fill("@ONBEKEND")
    page.get_by_role("button", name="Zin toevoegen").click()
    assert "Deze zin kunnen we niet lezen" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Nieuwe zin").input_value() == "@ONBEKEND"
    axe_clean(page, page.url)
    page.get_by_label("Nieuwe zin").fill("zit diep in de put")
    page.get_by_role("button", name="Zin toevoegen").click()
    page.get_by_label("Tekst", exact=True).fill("Ik zit echt diep in de put.")
    page.get_by_role("button", name="Nakijken").click()
    assert "Deze tekst zou wachten op een moderator" in page.content()
    axe_clean(page, page.url)
    page.goto(base + "/plek/huiskamer-de-kapstok-overvecht/ervaring")
    for aspect in ("Welkom voelen", "Gelijkwaardig behandeld", "Sfeer, rust en veiligheid", "Makkelijk binnenkomen"):
        page.get_by_role("group", name=aspect).get_by_label("4").check()
    page.get_by_role("group", name="Zou je het een ander aanraden?").get_by_label("Ja").check()
    page.get_by_label("Wanneer was je er?").fill("2026-09")
    page.get_by_label("Jouw ervaring").fill("Aardige mensen hier, maar ik zit diep in de put.")
    with page.expect_navigation():  # the held review is saved before the next page is asked for
        page.get_by_role("button", name="Ervaring opslaan").click()
    assert "0800-0113" in page.content()
    axe_clean(page, page.url)
    page.goto(base + "/account")
    assert "nieuw" in page.locator(".site-header").inner_text()
    axe_clean(page, page.url)
    page.goto(base + "/berichten")
    assert "wacht op een moderator" in page.content() and "0800-0113" in page.content()
    axe_clean(page, page.url)
    page.close()

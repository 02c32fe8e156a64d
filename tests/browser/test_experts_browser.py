"""The databank, going along and looking first in real Chromium, with mail arriving at a real SMTP server:
a social worker asks for an expert, a coordinator proposes one, the peer expert says yes, the worker agrees;
then the worker plans going along on a shared map and asks a place's contact person, who answers by the
mailed link without an account; the printed map shows the first-visit card, chips, note and the moment."""
import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from ervaringswijzer.accounts.models import Member
from ervaringswijzer.extensions import db
from ervaringswijzer.maps.cli import DEMO_TOKEN
from ervaringswijzer.maps.shared import SharedMap, token_hash
from tests.smtp_server import SmtpServer, parts

from .conftest import LiveServer, axe_clean, demo_server_app, save_screenshot

PASSWORD = "demo-wachtwoord"


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory):
    """The demo app with CSRF on and mail going to a real SMTP server; members and the first place get addresses."""
    with SmtpServer() as smtp:
        app = demo_server_app(tmp_path_factory, "experts", WTF_CSRF_ENABLED=True, MAIL_SERVER="127.0.0.1",
                              MAIL_PORT=smtp.port, MAIL_BACKEND="smtp", MAIL_TIMEOUT=5)
        result = app.test_cli_runner().invoke(args=["seed-demo"])  # demo members, the demo map, Sam's profile
        assert result.exit_code == 0, result.output
        with app.app_context():
            for pseudonym in ("social-worker-demo", "coordinator-demo", "peer-expert-demo"):
                member = db.session.scalar(sa.select(Member).where(Member.pseudonym == pseudonym))
                member.email = f"{pseudonym}@example.org"
            shared = db.session.scalar(sa.select(SharedMap).where(SharedMap.token_hash == token_hash(DEMO_TOKEN)))
            place = shared.items[0].place
            place.contact_name, place.contact_email = "Ingrid", "ingrid@plek.example"
            place.first_arrival, place.first_coffee_free = "Je wordt begroet bij de bar.", True
            place.walk_in = True
            db.session.commit()
            names = {"map": shared.id, "place": place.id, "place_name": place.name}
        with LiveServer(app) as server:
            app.config["PUBLIC_URL"] = server.url
            server.smtp, server.names = smtp, names
            yield server


def _login(browser, base, pseudonym):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/inloggen")
    page.get_by_label("Schuilnaam").fill(pseudonym)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(base + "/")
    return page


def _axe(page, name):
    """axe-core clean at 320 and at 1280 px."""
    axe_clean(page, name)
    save_screenshot(page, f"experts-{name}")


def _mail_to(smtp, address, count):
    messages = smtp.wait_for(count, timeout=15)
    found = [m for m in messages if m["To"] == address]
    assert found, [m["To"] for m in messages]
    return found[-1]


def test_databank_going_along_and_look_first(browser, mail_server):
    base, smtp, names = mail_server.url, mail_server.smtp, mail_server.names
    worker = _login(browser, base, "social-worker-demo")

    # The worker asks for an expert; a BSN is refused kindly, with everything typed kept.
    worker.goto(base + "/verzoeken/nieuw")
    worker.get_by_label("Wat voor verzoek?").select_option("voorlichting")
    worker.get_by_label("Onderwerp").fill("Herstel in de wijk")
    worker.get_by_label("Plek").fill("Wijkcentrum Overvecht")
    worker.get_by_label("Meer uitleg (mag leeg blijven)").fill("Voor het team van cliënt 123456782.")
    worker.get_by_label("Hoe kan de ervaringsdeskundige je bereiken?").fill("030-7654321")
    worker.get_by_role("button", name="Verzoek versturen").click()
    assert "burgerservicenummer" in worker.locator(".error-summary").inner_text()
    assert worker.get_by_label("Onderwerp").input_value() == "Herstel in de wijk"
    _axe(worker, "request-refused")
    worker.get_by_label("Meer uitleg (mag leeg blijven)").fill("Voor ons wijkteam.")
    worker.get_by_role("button", name="Verzoek versturen").click()
    worker.wait_for_url(re.compile(r".*/verzoeken/\d+$"))
    request_url = worker.url

    # The coordinator finds it and proposes the demo expert.
    coordinator = _login(browser, base, "coordinator-demo")
    coordinator.goto(base + "/databank")
    coordinator.get_by_role("link", name="Herstel in de wijk").click()
    coordinator.get_by_label(re.compile("Sam \\(demo\\)")).check()
    _axe(coordinator, "match")
    coordinator.get_by_role("button", name="Voorstellen").click()
    assert "Gevraagd: Sam (demo)" in coordinator.content()

    # The expert hears of it by mail and says yes in one tap.
    proposal_mail = _mail_to(smtp, "peer-expert-demo@example.org", 1)
    assert "Een verzoek voor jou: Herstel in de wijk" in proposal_mail["Subject"]
    expert = _login(browser, base, "peer-expert-demo")
    expert.goto(re.search(r"http://\S+/mijn-voorstellen", parts(proposal_mail)[0]).group(0))
    _axe(expert, "proposals")
    expert.get_by_role("button", name=re.compile("Ja, ik doe het")).first.click()
    assert "We hebben het doorgegeven" in expert.content()

    # The worker hears the yes, agrees, and only now both see each other's contact details.
    answer_mail = _mail_to(smtp, "social-worker-demo@example.org", 2)
    assert "Sam (demo) wil het doen" in answer_mail["Subject"]
    worker.goto(request_url)
    assert "sam@example.org" not in worker.content()
    worker.get_by_role("button", name="Afspreken met Sam (demo)").click()
    assert "sam@example.org" in worker.content()
    _axe(worker, "request-agreed")
    _mail_to(smtp, "peer-expert-demo@example.org", 3)
    expert.goto(request_url)
    assert "030-7654321" in expert.content()

    # Going along the first time on the worker's shared map, and asking the place to let the client look first.
    worker.goto(base + f"/mijn-kaarten/{names['map']}/plek/{names['place']}")
    worker.get_by_label("Jouw notitie bij deze plek (mag leeg blijven)").fill("Vraag naar Petra, zij weet dat je komt.")
    worker.get_by_label("Ik ga mee op (mag leeg blijven)").fill((date.today() + timedelta(days=5)).isoformat())
    worker.get_by_label("Nabellen of langsgaan op (mag leeg blijven)").fill((date.today() + timedelta(days=12)).isoformat())
    worker.get_by_role("button", name="Opslaan").click()
    assert "Opgeslagen." in worker.content()
    first = (datetime.now() + timedelta(days=3)).replace(hour=14, minute=0)
    worker.get_by_label("Moment 1").fill(first.strftime("%Y-%m-%dT%H:%M"))
    worker.get_by_label("Moment 2", exact=True).fill((first + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    worker.get_by_label("Voornaam of voorletter van je cliënt (mag leeg blijven)").fill("J")
    worker.get_by_role("button", name="Vragen").click()
    assert "Gevraagd, nog geen antwoord." in worker.content()
    _axe(worker, "plan")

    # The contact person answers from the mail, without an account; the link then stops working.
    look_mail = _mail_to(smtp, "ingrid@plek.example", 4)
    text, html = parts(look_mail)
    link = re.search(r"http://\S+/eerst-kijken/\S+", text).group(0)
    assert link in html
    contact = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    contact.goto(link)
    _axe(contact, "look-first-answer")
    contact.get_by_label(re.compile("14:00")).first.check()
    contact.get_by_role("button", name="Antwoord sturen").click()
    assert "We hebben je antwoord doorgegeven" in contact.content()
    contact.goto(link)
    assert "Deze link werkt niet meer" in contact.content()
    reply = _mail_to(smtp, "social-worker-demo@example.org", 5)
    assert f"Antwoord van {names['place_name']}" in reply["Subject"]
    worker.goto(base + "/berichten")
    assert "zegt ja" in worker.content()

    # The printed shared map: first-visit card, chips, the worker's note and the agreed moment.
    worker.goto(base + f"/k/{DEMO_TOKEN}/afdrukken")
    item = worker.locator(".print-list li").first
    assert "Je eerste keer" in item.inner_text() and "Je wordt begroet bij de bar." in item.inner_text()
    assert item.locator(".badges .badge").count() >= 1
    assert "Vraag naar Petra, zij weet dat je komt." in item.inner_text()
    assert "Eerst komen kijken:" in item.inner_text() and "14:00" in item.inner_text()
    save_screenshot(worker, "experts-shared-print")

    # The expert's own profile page and the year's figures pass axe too.
    expert.goto(base + "/mijn-profiel")
    _axe(expert, "my-profile")
    coordinator.goto(base + "/databank/overzicht")
    assert coordinator.locator("tfoot td").last.inner_text() == "1"
    _axe(coordinator, "year")

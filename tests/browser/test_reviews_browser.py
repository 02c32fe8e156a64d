"""Reviews in real Chromium: hostile data fires no dialog anywhere, and the review pages pass axe."""
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.security import generate_password_hash

from ervaringswijzer.accounts.models import Member
from ervaringswijzer.core.audit import record
from ervaringswijzer.extensions import db
from ervaringswijzer.moderation.models import InfoReport, ReviewReport
from ervaringswijzer.places.models import Place
from ervaringswijzer.places.suggestions import suggest_place
from ervaringswijzer.reviews.models import Review, ReviewResponse

from ..xss_corpus import PAYLOADS
from .conftest import LiveServer, demo_server_app, save_screenshot

PASSWORD = "browser-wachtwoord"
SLUG = "huiskamer-de-kapstok-overvecht"


def _seed(app) -> dict:
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    with app.app_context():
        place = db.session.query(Place).filter_by(slug=SLUG).one()
        staff = {}
        for role in ("moderator", "peer_expert", "member"):
            member = Member(pseudonym=f"{role}-browser", pseudonym_key=f"{role}-browser", password_hash=hashed,
                            role=role)
            db.session.add(member)
            staff[role] = member
        db.session.flush()
        member_ids = []
        for i, payload in enumerate(PAYLOADS):
            member = Member(pseudonym=payload[:40], pseudonym_key=f"xss-{i}", password_hash=hashed, role="peer_expert")
            db.session.add(member)
            db.session.flush()
            member_ids.append(member.id)
            review = Review(place_id=place.id, member_id=member.id, welcome=4, respect=4, calm=4, access=4,
                            recommend=True, text=payload, visit_month=date(2026, 1, 1),
                            status="pending" if i % 5 == 0 else "published")
            if i % 4 == 0:
                review.response = ReviewResponse(member_id=member.id, text=payload)
            db.session.add(review)
            db.session.flush()
            db.session.add(ReviewReport(review_id=review.id, reason=payload))
            db.session.add(InfoReport(place_id=place.id, kind="phone", remark=payload))
            record(member, "review.report", "review", review.id, payload)
            _place, errors = suggest_place({"name": payload[:200], "description": payload, "categories": ["sport"],
                                            "address": {"street": payload[:150] + " 1", "city": "Utrecht"}},
                                           staff["member"])
            assert not errors
        db.session.commit()
        return {"member_ids": member_ids}


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """The demo places plus every payload as review, pseudonym, response, report and suggestion, served on 127.0.0.1."""
    app = demo_server_app(tmp_path_factory, "hostile")
    seeded = _seed(app)
    with LiveServer(app) as server:
        server.seeded = seeded
        yield server


def _login(page, base, pseudonym):
    page.goto(base + "/inloggen")
    page.get_by_label("Schuilnaam").fill(pseudonym)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(base + "/")


def test_no_dialog_fires_on_any_page_with_hostile_data(page, hostile_server):
    """Place page, review list, member pages, report page, queue, audit log and suggestions run no payload."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    base = hostile_server.url
    urls = [f"/plek/{SLUG}", "/ervaringen", "/ervaring/2/melden", f"/plek/{SLUG}/geschiedenis"]
    urls += [f"/lid/{member_id}" for member_id in hostile_server.seeded["member_ids"][::15]]
    for url in urls:
        page.goto(base + url)
        page.wait_for_load_state("load")
    _login(page, base, "moderator-browser")
    for url in ("/moderatie", "/moderatie/logboek", "/voorstellen"):
        page.goto(base + url)
        page.wait_for_load_state("load")
        page.mouse.move(10, 10)
        page.mouse.move(300, 400)  # hover-driven payloads (onmouseover) get their chance
    page.wait_for_timeout(300)
    assert dialogs == []


AXE = Axe()


def test_review_pages_pass_axe(offline_page, live_server):
    """Write a review as a new member: form with an error, saved review on the place page, list, account: axe clean."""
    page = offline_page
    base = live_server.url
    page.goto(base + "/aanmelden")
    page.get_by_label("Schuilnaam").fill("Axe Anna")
    page.get_by_label("Wachtwoord").fill("lang-wachtwoord-1")
    with page.expect_navigation():  # the account exists (and the session with it) before going on
        page.get_by_role("button", name="Account maken").click()
    page.goto(base + "/plek/huiskamer-de-kapstok-overvecht/ervaring")
    with page.expect_navigation():
        page.get_by_role("button", name="Ervaring opslaan").click()
    page.locator(".error-summary").wait_for()
    assert page.locator(".field-error").count() >= 5
    assert AXE.run(page).violations_count == 0, AXE.run(page).generate_report()
    for aspect in ("Welkom voelen", "Gelijkwaardig behandeld", "Sfeer, rust en veiligheid", "Makkelijk binnenkomen"):
        page.get_by_role("group", name=aspect).get_by_label("4").check()
    page.get_by_role("group", name="Zou je het een ander aanraden?").get_by_label("Ja").check()
    page.get_by_label("Wanneer was je er?").fill("2026-09")
    page.get_by_label("Jouw ervaring").fill("Warm ontvangen, koffie stond klaar en niemand keek raar op.")
    page.get_by_role("button", name="Ervaring opslaan").click()
    page.wait_for_url("**/plek/huiskamer-de-kapstok-overvecht*")
    assert "Warm ontvangen" in page.content() or "wacht nog op een moderator" in page.content()
    for url in (page.url, base + "/ervaringen", base + "/account"):
        page.goto(url)
        results = AXE.run(page)
        assert results.violations_count == 0, (url, results.generate_report())
    save_screenshot(page, "account")
    assert page.outside_requests == []

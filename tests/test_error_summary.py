"""Every form of the site, sent with a mistake, starts with a GOV.UK-style error summary whose links each
point at a field on the same page."""
import re

import pytest
from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place

from tests.conftest import reviews_login

BAD_HOURS = {"name": "De Kapstok", "categories": ["walk_in_centre"], "city": "Utrecht", "status": "published",
             "opening_hours": "Mo-Fr 25:00-16:00"}


def _summary_links(html: str) -> list[str]:
    box = re.search(r'<div class="error-summary"[^>]*data-error-summary>(.*?)</div>', html, re.S)
    assert box, "no error summary"
    assert html.index('class="error-summary"') < html.index("<h1"), "the summary comes before the page title"
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', box.group(1))
    assert links, "the summary lists no error"
    for target, _message in links:
        assert re.search(rf'\bid="{re.escape(target)}"', html), f"#{target} is not on the page"
    return [message for _target, message in links]


def test_every_form_with_a_mistake_starts_with_an_error_summary(app, client, make_place, reviews_member, reviews_review):
    """Log in, register, password change, account deletion, maps, pin, review, report, redact, respond,
    suggest, edit place (rows and raw hours), near me: each answers a mistake with a linked summary."""
    place_id = make_place()
    with app.app_context():
        slug = db.session.get(Place, place_id).slug
    writer = reviews_member("member", pseudonym="schrijver-sam")
    review_id = reviews_review(writer, place_id)

    forms = [("/inloggen", {"pseudonym": "", "password": ""}), ("/aanmelden", {"pseudonym": "", "password": "kort"}),
             ("/dichtbij", {"waar": ""})]
    for url, data in forms:
        assert _summary_links(client.post(url, data=data).get_data(as_text=True)), url

    admin = reviews_member("admin", pseudonym="beheer-bo")
    reviews_login(client, admin)
    member_forms = [
        ("/account", {"current": "", "new": ""}),
        ("/account/verwijderen", {"password": "", "reviews": "remove"}),
        ("/mijn-kaarten", {"title": "", "note": ""}),
        (f"/plek/{slug}/speld", {"lat": "200", "lon": "x"}),
        (f"/plek/{slug}/ervaring", {"text": "kort"}),
        (f"/ervaring/{review_id}/melden", {"reason": ""}),
        (f"/moderatie/ervaring/{review_id}/redigeren", {"text": "", "reason": ""}),
        ("/plek-voorstellen", {"name": ""}),
        (f"/plek/{slug}/bewerken", {**BAD_HOURS, "version": "1"}),
        (f"/plek/{slug}/bewerken", {**BAD_HOURS, "opening_hours": "", "version": "1", "hours_rows": "1",
                                   "hours_original": "", "h-2-0-open": "10:00"}),
    ]
    seen = {}
    for url, data in member_forms:
        response = client.post(url, data=data)
        assert response.status_code in (200, 400, 422), (url, response.status_code)
        seen[url] = _summary_links(response.get_data(as_text=True))
    assert any("Vul een begin- en eindtijd in" in m for m in seen[f"/plek/{slug}/bewerken"])

    contact = reviews_member("member", pseudonym="wegwijzer-wil")
    client.post("/beheer/leden", data={"member_id": contact, "role": "member", "contact_place_id": place_id})
    reviews_login(client, contact)
    assert _summary_links(client.post(f"/ervaring/{review_id}/reageren", data={"text": ""}).get_data(as_text=True))

"""The moderator's place edit page: roles, every field stored with history, bad hours, geocoding, reports, XSS, CSRF."""
import random
from datetime import date

import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.moderation.models import AuditEntry, InfoReport
from ervaringswijzer.places.models import Place, PlaceChange
from tests.conftest import reviews_login
from tests.xss_corpus import PAYLOADS, assert_response_safe

SLUG = "huiskamer-de-kapstok-utrecht"
URL = f"/plek/{SLUG}/bewerken"

FULL_FORM = {
    "name": "Huiskamer De Kapstok Noord", "description": "Soep op dinsdag.\nIedereen is welkom.",
    "categories": ["walk_in_centre", "food_coffee"],
    "street": "Zamenhofdreef 5a", "postcode": "3562jt", "city": "Utrecht", "wijk": "Overvecht-Noord",
    "phone": "030 123 45 67", "email": "info@kapstok.nl", "website": "https://kapstok.nl",
    "contact_name": "Sanne", "contact_role": "ervaringsdeskundige",
    "walk_in": "y", "no_referral": "y", "client_run": "y", "quiet_space": "y",
    "opening_hours": "mo-fr 10:00-16:00; Sa 12:00-15:00",
    "first_arrival": "Je loopt zo binnen, de koffie staat klaar.", "first_greeter": "Een vrijwilliger",
    "first_coffee_free": "yes", "first_signup_required": "no",
    "first_quiet_times": "ochtend", "first_busy_times": "rond de lunch",
    "languages": "nl, en,ar", "participation_rung": "3", "status": "published", "last_checked": "2026-01-05",
    "version": "1",
}


@pytest.fixture
def edit_geo(app, geocoder_server):
    """The app talks to the local Nominatim look-alike, quickly."""
    app.config.update(GEOCODER_URL=geocoder_server.url, GEOCODER_TIMEOUT=0.5, GEOCODER_MIN_DELAY=0,
                      GEOCODER_USER_AGENT="Ervaringswijzer-tests/1.0")
    geocoder_server.requests.clear()
    return geocoder_server


@pytest.fixture
def moderator_client(client, reviews_member):
    reviews_login(client, reviews_member("moderator", pseudonym="mod-mila"))
    return client


def _place(app, place_id) -> Place:
    with app.app_context():
        place = db.session.get(Place, place_id)
        db.session.expunge(place)
        return place


def _history(app, place_id) -> list[PlaceChange]:
    with app.app_context():
        return list(db.session.scalars(sa.select(PlaceChange).where(PlaceChange.place_id == place_id)
                                       .order_by(PlaceChange.id)))


@pytest.mark.parametrize("role, status", [(None, 302), ("member", 403), ("peer_expert", 403),
                                          ("social_worker", 403), ("moderator", 200), ("admin", 200)])
def test_only_moderators_and_admins_edit_places(app, client, make_place, reviews_member, role, status):
    """Anonymous goes to the login page, members without the role get 403 (GET and POST), staff see the form."""
    place_id = make_place()
    reviews_login(client, reviews_member(role) if role else None)
    page = client.get(URL)
    assert page.status_code == status
    if status == 302:
        assert "/inloggen" in page.headers["Location"]
    if status == 200:
        html = page.get_data(as_text=True)
        assert 'value="Huiskamer De Kapstok"' in html and 'value="Gambiaweg 12"' in html
        assert 'value="Mo-Fr 10:00-16:00"' in html
        detail = client.get(f"/plek/{SLUG}").get_data(as_text=True)
        assert f'href="{URL}"' in detail and "Bewerken" in detail
    else:
        posted = client.post(URL, data={**FULL_FORM, "name": "Overgenomen"})
        assert posted.status_code == status
        assert _place(app, place_id).name == "Huiskamer De Kapstok"
        assert "Bewerken" not in client.get(f"/plek/{SLUG}").get_data(as_text=True)


def test_edit_stores_every_field_and_records_history(app, moderator_client, make_place, edit_geo):
    """One save changes every field, geocodes the new address and keeps a history row naming the moderator."""
    place_id = make_place()
    response = moderator_client.post(URL, data=FULL_FORM)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plek/{SLUG}")
    place = _place(app, place_id)
    assert (place.name, place.description) == ("Huiskamer De Kapstok Noord", "Soep op dinsdag.\nIedereen is welkom.")
    assert place.categories == ["food_coffee", "walk_in_centre"]
    assert (place.street, place.house_number, place.postcode, place.city, place.wijk) == (
        "Zamenhofdreef", "5a", "3562 JT", "Utrecht", "Overvecht-Noord")
    assert (place.phone, place.email, place.website) == ("030 123 45 67", "info@kapstok.nl", "https://kapstok.nl")
    assert (place.contact_name, place.contact_role) == ("Sanne", "ervaringsdeskundige")
    assert place.flags == {"walk_in": True, "no_referral": True, "free": False, "client_run": True,
                           "peer_experts": False, "wheelchair": False, "bring_someone": False,
                           "look_first": False, "quiet_space": True}
    assert place.opening_hours == "Mo-Fr 10:00-16:00; Sa 12:00-15:00"
    assert (place.first_arrival, place.first_greeter, place.first_coffee_free, place.first_signup_required,
            place.first_quiet_times, place.first_busy_times) == (
        "Je loopt zo binnen, de koffie staat klaar.", "Een vrijwilliger", True, False, "ochtend", "rond de lunch")
    assert (place.languages, place.participation_rung, place.status) == ("nl,en,ar", 3, "published")
    assert place.last_checked == date(2026, 1, 5)
    assert (place.lat, place.lon, place.location_status) == (52.0907, 5.1214, "ok")
    change = _history(app, place_id)[-1]
    assert change.action == "updated" and change.member.pseudonym == "mod-mila"
    assert change.changes["name"] == ["Huiskamer De Kapstok", "Huiskamer De Kapstok Noord"]
    assert change.changes["lat"] == [52.1135, 52.0907] and change.changes["location_status"] == ["manual", "ok"]
    assert {"phone", "first_arrival", "languages", "participation_rung", "last_checked"} <= set(change.changes)
    assert edit_geo.requests[0]["params"]["q"] == "zamenhofdreef 5a, 3562 jt utrecht"
    page = moderator_client.get(f"/plek/{SLUG}").get_data(as_text=True)
    assert "Het nieuwe adres is gevonden" in page and "Zamenhofdreef 5a" in page


def test_ticking_checked_sets_today(app, moderator_client, make_place):
    """'Ik heb de gegevens vandaag gecontroleerd' sets last_checked to today, whatever the date field says."""
    place_id = make_place(last_checked="2024-02-02")
    form = {**FULL_FORM, "street": "Gambiaweg 12", "postcode": "3564 BN", "checked_today": "y"}
    assert moderator_client.post(URL, data=form).status_code == 302
    assert _place(app, place_id).last_checked == date.today()


def test_bad_hours_keep_everything_typed_and_point_at_the_mistake(app, moderator_client, make_place):
    """A malformed expression shows the Dutch message and a ^ under the wrong spot; nothing is stored."""
    place_id = make_place()
    before = len(_history(app, place_id))
    form = {**FULL_FORM, "opening_hours": "Mo-Fr 10.00-16.00", "email": "geen-adres"}
    response = moderator_client.post(URL, data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Schrijf tijden met een dubbele punt" in html and "dit is geen geldig e-mailadres" in html
    assert '<pre class="hours-pointer">Mo-Fr 10.00-16.00\n      ^</pre>' in html
    for value in ("Huiskamer De Kapstok Noord", "Zamenhofdreef 5a", "3562jt", "Overvecht-Noord", "030 123 45 67",
                  "geen-adres", "https://kapstok.nl", "Sanne", "ochtend", "nl, en,ar", "Mo-Fr 10.00-16.00",
                  "2026-01-05"):
        assert f'value="{value}"' in html, value
    assert "Soep op dinsdag.\nIedereen is welkom.</textarea>" in html
    assert '<input checked id="categories-9" name="categories" type="checkbox" value="food_coffee">' in html
    assert '<option selected value="3">' in html and '<option selected value="yes">' in html
    assert 'id="client_run" name="client_run" type="checkbox" value="y"' in html
    assert "checked" in html.split('id="client_run"')[0].rsplit("<input", 1)[1]
    assert _place(app, place_id).name == "Huiskamer De Kapstok"
    assert len(_history(app, place_id)) == before


def test_geocoder_down_still_saves_and_says_how_the_pin_follows(app, moderator_client, make_place, edit_geo):
    """A 500 from the geocoder: the place is saved with location 'pending' and the editor reads the command."""
    place_id = make_place()
    response = moderator_client.post(URL, data={**FULL_FORM, "street": "Kapotstraat 1"}, follow_redirects=True)
    place = _place(app, place_id)
    assert (place.street, place.lat, place.lon, place.location_status) == ("Kapotstraat", None, None, "pending")
    html = response.get_data(as_text=True)
    assert "De kaartdienst gaf geen antwoord" in html and "flask --app ervaringswijzer geocode pending" in html
    assert len(edit_geo.requests) == 1


def test_geocoder_too_slow_saves_as_pending(app, moderator_client, make_place, edit_geo):
    """A geocoder slower than the timeout: the save still happens, pin pending."""
    place_id = make_place()
    moderator_client.post(URL, data={**FULL_FORM, "street": "Traagstraat 1"})
    place = _place(app, place_id)
    assert (place.street, place.location_status, place.lat) == ("Traagstraat", "pending", None)


def test_unknown_address_saves_as_not_found(app, moderator_client, make_place, edit_geo):
    """An empty answer: saved, location 'not_found', and the editor is asked to check the address."""
    place_id = make_place()
    response = moderator_client.post(URL, data={**FULL_FORM, "street": "Leegstraat 1"}, follow_redirects=True)
    place = _place(app, place_id)
    assert (place.street, place.location_status, place.lat) == ("Leegstraat", "not_found", None)
    assert "We konden het nieuwe adres niet vinden" in response.get_data(as_text=True)


def test_manual_pin_kept_when_address_unchanged(app, moderator_client, make_place, edit_geo):
    """Changing name and hours but not the address keeps a pin set by hand, and asks no geocoder."""
    place_id = make_place()
    form = {**FULL_FORM, "street": "Gambiaweg 12", "postcode": "3564 BN", "city": "Utrecht"}
    assert moderator_client.post(URL, data=form).status_code == 302
    place = _place(app, place_id)
    assert (place.lat, place.lon, place.location_status, place.wijk) == (52.1135, 5.112, "manual", "Overvecht-Noord")
    assert edit_geo.requests == []


def test_fixing_a_report_through_the_edit_page(app, client, make_place, reviews_member):
    """The queue links a wrong-information report to the edit page; saving there fixes it and moves last_checked."""
    place_id = make_place(last_checked="2025-03-03")
    client.post(f"/plek/{SLUG}/klopt-niet", data={"kind": "phone", "remark": "Nummer is veranderd"})
    with app.app_context():
        report_id = db.session.scalar(sa.select(InfoReport.id))
    reviews_login(client, reviews_member("moderator"))
    queue = client.get("/moderatie").get_data(as_text=True)
    link = f"/plek/{SLUG}/bewerken?melding={report_id}"
    assert f'href="{link}"' in queue and "Verbeter de plek" in queue
    page = client.get(link).get_data(as_text=True)
    assert "Nummer is veranderd" in page and f'name="report_id" type="hidden" value="{report_id}"' in page
    form = {**FULL_FORM, "street": "Gambiaweg 12", "postcode": "3564 BN", "phone": "030 999 00 00",
            "last_checked": "2025-03-03", "report_id": str(report_id)}
    response = client.post(URL, data=form, follow_redirects=True)
    assert "De melding staat op opgelost" in response.get_data(as_text=True)
    place = _place(app, place_id)
    assert (place.phone, place.last_checked) == ("030 999 00 00", date.today())
    with app.app_context():
        assert db.session.get(InfoReport, report_id).status == "fixed"
        assert db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "place.report_fixed"
    assert [c.action for c in _history(app, place_id)][-2:] == ["updated", "checked"]
    assert "Nummer is veranderd" not in client.get("/moderatie").get_data(as_text=True)


def test_report_of_another_place_is_not_closed(app, moderator_client, make_place):
    """A report id belonging to a different place is ignored: the report stays open."""
    make_place()
    other = make_place(name="Buurthuis De Boog")
    with app.app_context():
        report = InfoReport(place_id=other, kind="hours")
        db.session.add(report)
        db.session.commit()
        report_id = report.id
    form = {**FULL_FORM, "street": "Gambiaweg 12", "postcode": "3564 BN", "report_id": str(report_id)}
    assert moderator_client.post(URL, data=form).status_code == 302
    with app.app_context():
        assert db.session.get(InfoReport, report_id).status == "open"


def _xss_sample() -> list[str]:
    """60 payloads, every kind represented, the same ones on every run."""
    return random.Random(20261114).sample(PAYLOADS, 60)


TEXT_FIELDS = ("name", "description", "street", "city", "wijk", "phone", "email", "website", "contact_name",
               "contact_role", "first_arrival", "first_greeter", "first_quiet_times", "first_busy_times",
               "languages", "last_checked", "opening_hours", "postcode")


def test_edit_page_rerender_with_hostile_values_is_safe(app, moderator_client, make_place):
    """Every text field filled with a hostile string, re-rendered with errors (hours pointer too): nothing executable."""
    make_place()
    for payload in _xss_sample():
        form = {**FULL_FORM, **{key: payload for key in TEXT_FIELDS}, "categories": [payload, "sport"],
                "report_id": payload, "status": payload, "participation_rung": payload,
                "first_coffee_free": payload}
        response = moderator_client.post(URL, data=form)
        assert response.status_code == 200
        assert_response_safe(response, f"edit page re-render with {payload!r}")


def test_edit_page_with_hostile_stored_values_is_safe(app, moderator_client, make_place):
    """A place whose stored text is hostile renders safely in the edit form (and the report box)."""
    for i, payload in enumerate(_xss_sample()[:12]):
        slug = f"xss-{i}"
        place_id = make_place(slug=slug, name=payload.replace("\x00", "")[:200], description=payload,
                              address={"street": payload[:150] + " 1", "city": "Utrecht", "wijk": payload[:100]},
                              contact_person={"name": payload[:100]}, first_visit={"arrival": payload})
        with app.app_context():
            report = InfoReport(place_id=place_id, kind="closed", remark=payload.replace("\x00", ""))
            db.session.add(report)
            db.session.commit()
            report_id = report.id
        response = moderator_client.get(f"/plek/{slug}/bewerken?melding={report_id}")
        assert response.status_code == 200
        assert_response_safe(response, f"stored {payload!r}")


def test_csrf_is_enforced_on_the_edit_form(app, moderator_client, make_place):
    """With CSRF on, a post without the token is refused and changes nothing; with the page's token it saves."""
    place_id = make_place()
    app.config["WTF_CSRF_ENABLED"] = True
    form = {**FULL_FORM, "street": "Gambiaweg 12", "postcode": "3564 BN"}
    assert moderator_client.post(URL, data=form).status_code == 400
    assert _place(app, place_id).name == "Huiskamer De Kapstok"
    page = moderator_client.get(URL).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert moderator_client.post(URL, data={**form, "csrf_token": token}).status_code == 302
    assert _place(app, place_id).name == "Huiskamer De Kapstok Noord"


def test_suggested_place_can_be_edited_and_unknown_slug_is_404(app, moderator_client, make_place):
    """Editors reach places not yet on the map; a slug that does not exist gives 404."""
    make_place(slug="nog-niet-zichtbaar", status="suggested")
    page = moderator_client.get("/plek/nog-niet-zichtbaar/bewerken").get_data(as_text=True)
    assert '<option selected value="suggested">' in page
    assert moderator_client.get("/plek/bestaat-niet/bewerken").status_code == 404

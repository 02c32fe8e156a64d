"""Going along the first time and looking first: the plan per place, the shared map showing it, reminders,
and a contact person answering a look-first request by a mailed single-use link (a real SMTP server)."""
import re
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from ervaringswijzer.accounts.models import Member
from ervaringswijzer.core.time import today
from ervaringswijzer.experts.models import ExpertRequest
from ervaringswijzer.extensions import db
from ervaringswijzer.maps.lookfirst import LookFirstRequest
from ervaringswijzer.maps.shared import SharedMap, SharedMapItem, add_place, create_shared_map
from ervaringswijzer.notices.models import Notice
from ervaringswijzer.places.models import Place, PlaceChange
from ervaringswijzer.places.services import upsert_place
from tests.conftest import reviews_login
from tests.smtp_server import parts

PLACE = {"name": "Huiskamer De Kapstok", "categories": ["walk_in_centre"], "description": "Koffie en een praatje.",
         "address": {"street": "Gambiaweg 12", "postcode": "3564 BN", "city": "Utrecht", "wijk": "Overvecht"},
         "location": {"lat": 52.1135, "lon": 5.112}, "flags": {"walk_in": True, "free": True},
         "opening_hours": "Mo-Fr 10:00-16:00",
         "first_visit": {"arrival": "Je wordt begroet bij de bar.", "greeter": "Een gastvrouw", "coffee_free": True},
         "contact_person": {"name": "Ingrid", "role": "coördinator", "phone": "030-1234567",
                            "email": "ingrid@kapstok.example"}}


def _member(app, role, pseudonym, email=None) -> int:
    with app.app_context():
        member = Member(pseudonym=pseudonym, pseudonym_key=pseudonym.lower(), role=role, email=email,
                        password_hash=generate_password_hash("wachtwoord-123", method="pbkdf2:sha256:1000"))
        db.session.add(member)
        db.session.commit()
        return member.id


def _map_with_place(app, owner_id) -> tuple[int, int, str]:
    with app.app_context():
        place, errors, _created = upsert_place(PLACE)
        assert not errors, errors
        shared, _errors = create_shared_map(owner_id, "Voor J.", "Begin bij nummer 1.")
        add_place(shared, place)
        db.session.commit()
        return shared.id, place.id, shared.token


def test_plan_shows_on_the_shared_map_its_print_and_embed(app, client):
    """Note, going-along day and an expert going along (a meegaan request) appear with the first-visit card and chips."""
    worker = _member(app, "social_worker", "wijkteam-anna")
    map_id, place_id, token = _map_with_place(app, worker)
    reviews_login(client, worker)
    going = today() + timedelta(days=3)
    response = client.post(f"/mijn-kaarten/{map_id}/plek/{place_id}", data={
        "note": "Vraag naar Petra, zij weet dat je komt.", "going_along_on": going.isoformat(),
        "expert_along": "y", "client_initial": "J", "follow_up_on": (today() + timedelta(days=10)).isoformat()})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        request = db.session.scalar(sa.select(ExpertRequest))
        assert (request.kind, request.place_id, request.client_initial, request.wanted_on) == ("meegaan", place_id, "J", going)
    plan = client.get(f"/mijn-kaarten/{map_id}/plek/{place_id}").get_data(as_text=True)
    assert "Er is een verzoek aan de databank" in plan and "(Nieuw)" in plan
    for url in (f"/k/{token}", f"/k/{token}/afdrukken", f"/embed/k/{token}"):
        page = client.get(url).get_data(as_text=True)
        assert "Vraag naar Petra, zij weet dat je komt." in page, url
        assert "Je eerste keer" in page and "Je wordt begroet bij de bar." in page and "Gratis" in page, url
        assert 'class="badges"' in page and "Een ervaringsdeskundige gaat mee." in page, url
    coming = client.get("/mijn-kaarten").get_data(as_text=True)
    assert "meegaan naar Huiskamer De Kapstok" in coming and "nabellen over Huiskamer De Kapstok" in coming


def test_a_bsn_in_the_note_is_refused_and_kept(app, client):
    worker = _member(app, "social_worker", "wijkteam-bo")
    map_id, place_id, _token = _map_with_place(app, worker)
    reviews_login(client, worker)
    response = client.post(f"/mijn-kaarten/{map_id}/plek/{place_id}", data={"note": "BSN 123456782"})
    assert response.status_code == 400
    assert "burgerservicenummer" in response.get_data(as_text=True)
    assert "BSN 123456782" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(SharedMapItem.worker_note)) == ""


def test_follow_up_reminder_the_day_before_once(app, client):
    """The cron command tells the worker the day before the follow-up, and only once however often it runs."""
    worker = _member(app, "social_worker", "wijkteam-cas")
    map_id, place_id, _token = _map_with_place(app, worker)
    with app.app_context():
        item = db.session.scalar(sa.select(SharedMapItem))
        item.follow_up_on = today() + timedelta(days=1)
        db.session.commit()
    runner = app.test_cli_runner()
    assert "1 herinnering" in runner.invoke(args=["maps", "remind-follow-ups"]).output
    assert "0 herinnering" in runner.invoke(args=["maps", "remind-follow-ups"]).output
    with app.app_context():
        notices = list(db.session.scalars(sa.select(Notice).where(Notice.member_id == worker)))
        assert [n.kind for n in notices] == ["follow_up_reminder"]
    reviews_login(client, worker)
    assert "Huiskamer De Kapstok" in client.get("/berichten").get_data(as_text=True)


def test_look_first_by_mail_single_use_without_an_account(mail_app, smtp_server):
    """The contact gets a mail with a 256-bit link; accepting a moment tells the worker by inbox and mail; the link then dies."""
    client = mail_app.test_client()
    worker = _member(mail_app, "social_worker", "wijkteam-dee", email="dee@wijkteam.example")
    map_id, place_id, token = _map_with_place(mail_app, worker)
    reviews_login(client, worker)
    first = (datetime.now() + timedelta(days=2)).replace(hour=14, minute=0)
    second = first + timedelta(days=1)
    response = client.post(f"/mijn-kaarten/{map_id}/plek/{place_id}/eerst-kijken", data={
        "moment_1": first.strftime("%Y-%m-%dT%H:%M"), "moment_2": second.strftime("%Y-%m-%dT%H:%M"),
        "client_initial": "J"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "ingrid@kapstok.example"
    text, html = parts(mail)
    link = re.search(r"http://ervaringswijzer.test/eerst-kijken/(\S+)", text).group(0)
    assert len(link.rsplit("/", 1)[1]) >= 43  # 32 random bytes, URL-safe
    assert "Huiskamer De Kapstok" in text and "14:00" in text and link in html
    path = link.replace("http://ervaringswijzer.test", "")
    answer = client.get(path)
    assert answer.status_code == 200 and "Mag een cliënt eerst komen kijken?" in answer.get_data(as_text=True)
    assert client.post(path, data={"choice": "1"}).status_code == 200
    assert client.get(path).status_code == 410
    assert client.post(path, data={"choice": "0"}).status_code == 410
    [_contact, to_worker] = smtp_server.wait_for(2)
    assert to_worker["To"] == "dee@wijkteam.example"
    assert "Antwoord van Huiskamer De Kapstok" in to_worker["Subject"]
    with mail_app.app_context():
        found = db.session.scalar(sa.select(LookFirstRequest))
        assert (found.status, found.chosen) == ("accepted", 1)
    assert "zegt ja" in client.get("/berichten").get_data(as_text=True)
    shared = client.get(f"/k/{token}").get_data(as_text=True)
    assert "Eerst komen kijken:" in shared and "14:00" in shared


def test_an_expired_look_first_link_is_refused(app, client):
    worker = _member(app, "social_worker", "wijkteam-eef")
    map_id, place_id, _token = _map_with_place(app, worker)
    reviews_login(client, worker)
    moments = [(datetime.now() + timedelta(days=d)).strftime("%Y-%m-%dT%H:%M") for d in (2, 3, 4)]
    client.post(f"/mijn-kaarten/{map_id}/plek/{place_id}/eerst-kijken",
                data={"moment_1": moments[0], "moment_2": moments[1], "moment_3": moments[2]})
    with app.app_context():
        found = db.session.scalar(sa.select(LookFirstRequest))
        assert len(found.moments) == 3
        found.expires_at = datetime.now(timezone.utc) - timedelta(minutes=1)
        db.session.commit()
    # The token is only in the mail; an expired request refuses any token, and a guessed one is refused too.
    assert client.get("/eerst-kijken/" + "A" * 43).status_code == 410


def test_contact_person_private_part_only_for_workers_and_coordinators(app, client, make_place):
    """The public sees name and role; social workers and coordinators also phone and e-mail; history keeps them out."""
    with app.app_context():
        place, _e, _c = upsert_place(PLACE)
        db.session.commit()
        slug = place.slug
    for role, sees in (("social_worker", True), ("coordinator", True), ("member", False), ("peer_expert", False)):
        reviews_login(client, _member(app, role, f"kijker-{role}"))
        page = client.get(f"/plek/{slug}").get_data(as_text=True)
        assert "Ingrid" in page
        assert ("030-1234567" in page) is sees and ("ingrid@kapstok.example" in page) is sees, role
    reviews_login(client, None)
    assert "030-1234567" not in client.get(f"/plek/{slug}").get_data(as_text=True)
    assert "ingrid@kapstok.example" not in client.get(f"/plek/{slug}/geschiedenis").get_data(as_text=True)
    assert "ingrid@kapstok.example" not in client.get(f"/api/v1/places?q=Kapstok").get_data(as_text=True)
    with app.app_context():
        for change in db.session.scalars(sa.select(PlaceChange)):
            assert "contact_email" not in change.changes and "contact_phone" not in change.changes


def test_editors_set_the_private_contact_in_the_place_form(app, client, make_place, reviews_member):
    """The edit form stores the contact person's own phone and e-mail, refuses a wrong address keeping the typing."""
    from tests.places.test_edit import FULL_FORM, URL

    place_id = make_place()
    reviews_login(client, reviews_member("moderator"))
    bad = client.post(URL, data={**FULL_FORM, "contact_phone": "06-12345678", "contact_email": "geen-adres"})
    assert bad.status_code == 200 and "geen geldig e-mailadres" in bad.get_data(as_text=True)
    assert 'value="06-12345678"' in bad.get_data(as_text=True)
    response = client.post(URL, data={**FULL_FORM, "contact_phone": "06-12345678", "contact_email": "sanne@kapstok.nl"})
    assert response.status_code == 302
    with app.app_context():
        place = db.session.get(Place, place_id)
        assert (place.contact_phone, place.contact_email) == ("06-12345678", "sanne@kapstok.nl")
    assert 'value="sanne@kapstok.nl"' in client.get(URL).get_data(as_text=True)


def test_plan_and_look_first_in_the_workers_data_export(app, client):
    from ervaringswijzer.accounts.privacy import export_member_data

    worker = _member(app, "social_worker", "wijkteam-fem")
    map_id, place_id, _token = _map_with_place(app, worker)
    reviews_login(client, worker)
    client.post(f"/mijn-kaarten/{map_id}/plek/{place_id}", data={"note": "Vraag naar Petra."})
    moments = [(datetime.now() + timedelta(days=d)).strftime("%Y-%m-%dT%H:%M") for d in (2, 3)]
    client.post(f"/mijn-kaarten/{map_id}/plek/{place_id}/eerst-kijken",
                data={"moment_1": moments[0], "moment_2": moments[1], "client_initial": "K"})
    with app.app_context():
        [shared] = export_member_data(db.session.get(Member, worker))["shared_maps"]
        assert shared["places"][0]["note"] == "Vraag naar Petra."
        assert shared["look_first_requests"][0]["client_initial"] == "K"

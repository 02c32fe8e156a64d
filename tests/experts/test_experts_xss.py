"""Every XSS payload stored in profiles, requests, notes, a worker's map notes and look-first answers renders
inert on every page that shows them, and in both parts of every databank and look-first mail."""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from ervaringswijzer.accounts.models import Member
from ervaringswijzer.experts.models import ExpertProfile, ExpertRequest, Proposal, RequestNote
from ervaringswijzer.extensions import db
from ervaringswijzer.mail.compose import render_mail
from ervaringswijzer.maps.lookfirst import LookFirstRequest
from ervaringswijzer.maps.shared import SharedMapItem, create_shared_map
from ervaringswijzer.notices import notify
from tests.conftest import reviews_login
from tests.xss_corpus import PAYLOADS, assert_response_safe, assert_safe

CLEAN = [p.replace("\x00", "") for p in PAYLOADS]
HASH = generate_password_hash("x" * 12, method="pbkdf2:sha256:1000")


def _store(app, place_ids) -> dict:
    with app.app_context():
        worker = Member(pseudonym="wijkteam-xss", pseudonym_key="wijkteam-xss", role="social_worker", password_hash=HASH)
        db.session.add(worker)
        db.session.flush()
        profiles, requests = [], []
        for i, payload in enumerate(CLEAN):
            member = Member(pseudonym=payload[:40], pseudonym_key=f"xss-{i}", role="peer_expert", password_hash=HASH)
            db.session.add(member)
            db.session.flush()
            profile = ExpertProfile(member_id=member.id, display_name=payload[:60], region=payload[:200],
                                    availability=payload[:200], text=payload, contact=payload[:200],
                                    offers="meegaan", visible=True, public=i % 2 == 0)
            request = ExpertRequest(requester_id=worker.id, kind="meegaan", topic=payload[:200],
                                    audience=payload[:200], place_text=payload[:200], period=payload[:200],
                                    client_initial=payload[:20], details=payload, contact=payload[:200],
                                    status="gedaan")
            db.session.add_all([profile, request])
            db.session.flush()
            request.proposals.append(Proposal(profile_id=profile.id, status="agreed"))
            request.notes.append(RequestNote(author_id=worker.id, side="requester", text=payload))
            profiles.append(profile.id)
            requests.append(request.id)
        tokens = []
        for start in range(0, len(CLEAN), len(place_ids)):
            shared, _errors = create_shared_map(worker.id, "Kaart")
            for offset, place_id in enumerate(place_ids):
                if start + offset >= len(CLEAN):
                    break
                payload = CLEAN[start + offset]
                db.session.add(SharedMapItem(shared_map_id=shared.id, place_id=place_id, position=offset,
                                             worker_note=payload))
                db.session.add(LookFirstRequest(
                    shared_map_id=shared.id, place_id=place_id, worker_id=worker.id, client_initial=payload[:20],
                    moments=[datetime(2027, 1, 5, 14, tzinfo=timezone.utc).isoformat()], status="accepted",
                    chosen=0, suggestion=payload[:300], token_hash=f"{start}-{offset}",
                    expires_at=datetime.now(timezone.utc) + timedelta(days=1)))
            tokens.append(shared.token)
        for payload in CLEAN[:40]:
            notify(worker, "expert_answered", endpoint="experts.my_requests", name=payload, topic=payload,
                   accepted=True)
            notify(worker, "look_first_answered", endpoint="maps.my_maps", place=payload, moment="",
                   suggestion=payload)
        db.session.commit()
        return {"worker": worker.id, "profiles": profiles, "requests": requests, "tokens": tokens,
                "expert": db.session.scalar(sa.select(ExpertProfile.member_id).where(ExpertProfile.id == profiles[0]))}


def _half(request, items: list) -> list:
    """Each backend renders half of the one-payload pages (SQLite the even, PostgreSQL the odd ones): every
    payload passes through every page once, in half the time."""
    return items[request.node.callspec.params.get("app", "sqlite") != "sqlite"::2]


def test_every_payload_is_inert_in_profiles_requests_notes_and_maps(request, app, client, make_place,
                                                                      reviews_member):
    place_ids = [make_place(name=f"Plek {n}", slug=f"plek-{n}") for n in range(30)]
    stored = _store(app, place_ids)
    reviews_login(client, None)
    assert_response_safe(client.get("/ervaringsdeskundigen"), "public list")
    reviews_login(client, reviews_member("coordinator"))
    pages = ["/ervaringsdeskundigen", "/databank", "/databank/overzicht"]
    pages += [f"/ervaringsdeskundigen/{pid}" for pid in _half(request, stored["profiles"])]
    pages += [f"/verzoeken/{rid}" for rid in _half(request, stored["requests"])]
    pages += [f"/databank/verzoek/{stored['requests'][0]}"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_response_safe(response, url)
    reviews_login(client, stored["expert"])
    assert_response_safe(client.get("/mijn-voorstellen"), "proposals")
    assert_response_safe(client.get("/mijn-profiel"), "own profile form")
    with app.app_context():  # every profile held by the crisis check: the moderator's page shows them all
        for profile in db.session.scalars(sa.select(ExpertProfile)):
            profile.held_at = datetime.now(timezone.utc)
        db.session.commit()
    reviews_login(client, reviews_member("moderator"))
    assert_response_safe(client.get("/moderatie/profielen"), "held profiles")
    reviews_login(client, stored["worker"])
    for url in ["/verzoeken", "/berichten", "/mijn-kaarten"] + [
            u for token in stored["tokens"] for u in (f"/k/{token}", f"/k/{token}/afdrukken", f"/embed/k/{token}")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_response_safe(response, url)


def test_every_payload_is_inert_in_both_parts_of_every_mail(request, app):
    """Notices of the databank and of looking first, and the mail to a place's contact: text and HTML parts."""
    kinds = {"expert_proposed": {"request_kind": "meegaan"}, "expert_answered": {"accepted": True},
             "expert_agreed": {}, "expert_request_status": {"status": "gedaan"},
             "look_first_answered": {"moment": ""}, "follow_up_reminder": {}}
    with app.test_request_context():
        for payload in _half(request, CLEAN):
            for kind, extra in kinds.items():
                params = {"topic": payload, "name": payload, "place": payload, "title": payload,
                          "suggestion": payload, "link": "http://ervaringswijzer.test/x", **extra}
                subject, text, html = render_mail("notices/mail", kind=kind, **params)
                assert "\n" not in subject and "\r" not in subject
                assert_safe(html, f"{kind} {payload!r}")
            subject, text, html = render_mail("mail/look_first", place=payload, worker=payload[:40],
                                              client_initial=payload[:20], moments=[payload], expires=payload,
                                              link="http://ervaringswijzer.test/eerst-kijken/x")
            assert "\n" not in subject
            assert_safe(html, f"look_first {payload!r}")

"""Every XSS payload stored as review text, response, pseudonym, report reason and suggestion field renders inert."""
import pytest
import sqlalchemy as sa

from ervaringswijzer.accounts.models import Member
from ervaringswijzer.extensions import db
from ervaringswijzer.moderation.models import InfoReport, ReviewReport
from ervaringswijzer.moderation.services import record
from ervaringswijzer.places.models import Place
from ervaringswijzer.places.suggestions import suggest_place
from ervaringswijzer.reviews.models import Review, ReviewResponse
from ervaringswijzer.reviews.sanitize import clean_html
from tests.conftest import reviews_login
from tests.xss_corpus import PAYLOADS, assert_response_safe, assert_safe, contains_marker_intact

SLUG = "huiskamer-de-kapstok-utrecht"
STATUSES = ("published", "published", "pending", "hidden")


def test_corpus_is_big_enough():
    """The corpus covers at least 150 payloads."""
    assert len(PAYLOADS) >= 150


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitiser_output_is_inert_for_every_payload(payload):
    """What clean_html keeps of a payload has no executable element, handler or bad URL."""
    assert_safe(clean_html(payload), repr(payload))


def _store_hostile_data(app, place_id: int) -> list[int]:
    """Members, reviews, responses, reports, info reports, suggestions and audit rows, all hostile; returns member ids."""
    from datetime import date

    from werkzeug.security import generate_password_hash

    hashed = generate_password_hash("x" * 12, method="pbkdf2:sha256:1000")
    member_ids = []
    with app.app_context():
        author = None
        for i, payload in enumerate(PAYLOADS):
            payload = payload.replace("\x00", "")  # PostgreSQL cannot store NUL; the services drop it too
            # Pseudonyms hold 40 characters; a longer payload is stored as far as it fits.
            member = Member(pseudonym=payload[:40], pseudonym_key=f"xss-{i}", password_hash=hashed,
                            role="peer_expert" if i % 2 else "member")
            db.session.add(member)
            db.session.flush()
            member_ids.append(member.id)
            # Raw into the database, around the services: output must be safe on its own.
            review = Review(place_id=place_id, member_id=member.id, welcome=3, respect=3, calm=3, access=3,
                            recommend=True, text=payload, visit_month=date(2026, 1, 1),
                            status=STATUSES[i % len(STATUSES)])
            if i % 3 == 0:
                review.response = ReviewResponse(member_id=member.id, text=payload)
            db.session.add(review)
            db.session.flush()
            db.session.add(ReviewReport(review_id=review.id, reason=payload))
            db.session.add(InfoReport(place_id=place_id, kind="hours", remark=payload))
            record(member, "review.hide", "review", review.id, payload, note=payload[:50])
            author = author or member
            suggested, errors = suggest_place({
                "name": payload[:200], "description": payload, "categories": ["sport"],
                "address": {"street": payload[:150] + " 1", "city": "Utrecht", "wijk": payload[:100]},
                "contact": {"phone": payload[:40]}}, author)
            assert not errors, (i, errors)
        db.session.commit()
    return member_ids


def test_every_payload_is_inert_wherever_reviews_and_reports_appear(app, client, make_place):
    """Place page, review list, member pages, report page, moderation queue, audit log, suggestions, member admin, API."""
    place_id = make_place()
    member_ids = _store_hostile_data(app, place_id)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Review.id))) == len(PAYLOADS)
        assert db.session.scalar(sa.select(sa.func.count(Place.id)).where(Place.status == "suggested")) == len(PAYLOADS)
        first_review = db.session.scalar(sa.select(Review.id).where(Review.status == "published").limit(1))

    pages = [f"/plek/{SLUG}", "/ervaringen", f"/ervaring/{first_review}/melden", f"/plek/{SLUG}/geschiedenis"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_response_safe(response, url)
    for i, member_id in enumerate(member_ids):
        response = client.get(f"/lid/{member_id}")
        if STATUSES[i % len(STATUSES)] != "published":  # no public page without a published review
            assert response.status_code == 404, member_id
            continue
        assert_response_safe(response, f"/lid/{member_id}")
        assert contains_marker_intact(response.get_data(as_text=True), PAYLOADS[i].replace("\x00", "")[:40]), i

    staff = {}
    with app.app_context():
        for role in ("moderator", "admin", "peer_expert"):
            member = Member(pseudonym=f"{role}-staff", pseudonym_key=f"{role}-staff", password_hash="x", role=role)
            db.session.add(member)
            db.session.flush()
            staff[role] = member.id
        db.session.commit()
    for role, urls in (("moderator", ["/moderatie", "/moderatie/logboek"]),
                       ("admin", ["/beheer/leden"]), ("peer_expert", ["/voorstellen"])):
        reviews_login(client, staff[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_response_safe(response, url)
    reviews_login(client, staff["moderator"])
    page = client.get("/moderatie").get_data(as_text=True)
    assert contains_marker_intact(page, PAYLOADS[0])  # a report reason is shown as text

    for url in (f"/api/v1/places/{place_id}", "/api/v1/places?per_page=100"):
        response = client.get(url)
        assert response.mimetype == "application/json" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/api/v1/places/{place_id}").get_json()["rating"]["count"] == len(
        [s for i, s in zip(range(len(PAYLOADS)), STATUSES * len(PAYLOADS)) if s == "published"])

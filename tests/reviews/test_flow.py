"""The whole review story over HTTP: register, review, edit, report, hide; each step in the audit log."""
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.core.audit import AuditEntry
from ervaringswijzer.reviews.models import Review
from ervaringswijzer.reviews.services import published_review_texts
from tests.conftest import REVIEW_FORM, reviews_login

SLUG = "huiskamer-de-kapstok-utrecht"


def _audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_peer_expert_reviews_member_reports_moderator_hides(app, client, make_place, reviews_member):
    """Register → admin grants peer expert → review → edit → report → hide: gone from page, API and search texts."""
    place_id = make_place()
    admin, moderator, reader = reviews_member("admin"), reviews_member("moderator"), reviews_member("member")

    response = client.post("/aanmelden", data={"pseudonym": "Ervaren Eva", "password": "lang-genoeg-1"})
    assert response.status_code == 302
    with app.app_context():
        eva_id = db.session.scalar(sa.text("SELECT id FROM member WHERE pseudonym_key = 'ervaren eva'"))

    reviews_login(client, admin)
    client.post("/beheer/leden", data={"member_id": eva_id, "role": "peer_expert", "reason": "gesprek gehad"})

    reviews_login(client, eva_id)
    bad = client.post(f"/plek/{SLUG}/ervaring", data={**REVIEW_FORM, "welcome": "", "text": "Te kort"})
    html = bad.get_data(as_text=True)
    assert "Kies 1 tot en met 5 sterren." in html and "Schrijf minstens 20 tekens" in html
    assert "Te kort</textarea>" in html and 'value="2026-09"' in html  # what was typed is still there

    assert client.post(f"/plek/{SLUG}/ervaring", data=REVIEW_FORM).status_code == 302
    edited = {**REVIEW_FORM, "calm": "2", "text": "Welkom, maar het was die middag erg druk en rumoerig."}
    assert client.post(f"/plek/{SLUG}/ervaring", data=edited).status_code == 302
    with app.app_context():
        reviews = list(db.session.scalars(sa.select(Review)))
        assert len(reviews) == 1 and reviews[0].calm == 2 and reviews[0].status == "published"
        review_id = reviews[0].id
    page = client.get(f"/plek/{SLUG}").get_data(as_text=True)
    assert "erg druk en rumoerig" in page and "ervaringsdeskundige" in page
    assert client.get(f"/api/v1/places/{place_id}").get_json()["rating"]["count"] == 1

    reviews_login(client, reader)
    assert client.post(f"/ervaring/{review_id}/melden", data={"reason": "Noemt een medewerker"}).status_code == 302

    reviews_login(client, moderator)
    queue = client.get("/moderatie").get_data(as_text=True)
    assert "Noemt een medewerker" in queue and "erg druk en rumoerig" in queue
    refused = client.post(f"/moderatie/ervaring/{review_id}", data={"action": "hide", "reason": ""})
    assert refused.status_code == 302
    with app.app_context():
        assert db.session.get(Review, review_id).status == "published"  # no reason, no hiding
    client.post(f"/moderatie/ervaring/{review_id}", data={"action": "hide", "reason": "naam van medewerker"})

    with app.app_context():
        assert db.session.get(Review, review_id).status == "hidden"
        assert published_review_texts(db.session, [place_id]) == {place_id: []}
    reviews_login(client, None)
    assert "erg druk en rumoerig" not in client.get(f"/plek/{SLUG}").get_data(as_text=True)
    assert client.get(f"/api/v1/places/{place_id}").get_json()["rating"] == {
        "count": 0, "recommend_pct": None, "aspects": {"welcome": None, "respect": None, "calm": None, "access": None}}
    assert "erg druk" not in client.get("/ervaringen").get_data(as_text=True)

    assert _audit_actions(app) == ["member.role", "review.report", "review.hide"]
    reviews_login(client, moderator)
    log = client.get("/moderatie/logboek").get_data(as_text=True)
    assert "naam van medewerker" in log and "gesprek gehad" in log


def test_hidden_review_can_be_restored_and_edits_do_not_unhide(app, client, make_place, reviews_member, reviews_review):
    """Restoring brings a hidden review back; the writer editing a hidden review leaves it hidden."""
    place_id = make_place()
    writer, moderator = reviews_member("peer_expert"), reviews_member("moderator")
    review_id = reviews_review(writer, place_id, status="hidden")
    reviews_login(client, writer)
    client.post(f"/plek/{SLUG}/ervaring", data=REVIEW_FORM)
    with app.app_context():
        assert db.session.get(Review, review_id).status == "hidden"
    reviews_login(client, moderator)
    client.post(f"/moderatie/ervaring/{review_id}", data={"action": "restore", "reason": "toch in orde"})
    with app.app_context():
        assert db.session.get(Review, review_id).status == "published"
    assert _audit_actions(app) == ["review.restore"]


def test_new_member_waits_for_moderator_and_crisis_text_shows_help(app, client, make_place, reviews_member):
    """A week-old member's review is pending; crisis words hold it and the writer sees 113 and the huisarts."""
    make_place()
    newcomer, regular = reviews_member("member", days_old=0), reviews_member("member", days_old=30)
    reviews_login(client, newcomer)
    client.post(f"/plek/{SLUG}/ervaring", data=REVIEW_FORM)
    reviews_login(client, regular)
    crisis = {**REVIEW_FORM, "text": "Fijne mensen, maar ik zie het niet meer zitten de laatste tijd."}
    response = client.post(f"/plek/{SLUG}/ervaring", data=crisis)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "0800-0113" in html and "huisartsenpost" in html
    with app.app_context():
        held = {r.member_id: (r.status, r.hold_reason) for r in db.session.scalars(sa.select(Review))}
    assert held == {newcomer: ("pending", "new_member"), regular: ("pending", "crisis")}
    assert "Nog niemand heeft een ervaring gedeeld" in client.get(f"/plek/{SLUG}").get_data(as_text=True)


def test_verified_contact_responds_once_and_others_cannot(app, client, make_place, reviews_member, reviews_review):
    """Only the place's verified contact may answer, and only once; the answer shows under the review."""
    place_id = make_place()
    admin, contact, stranger = reviews_member("admin"), reviews_member("member"), reviews_member("member")
    review_id = reviews_review(reviews_member("member"), place_id)
    reviews_login(client, stranger)
    assert client.get(f"/ervaring/{review_id}/reageren").status_code == 403
    reviews_login(client, admin)
    client.post("/beheer/leden", data={"member_id": contact, "role": "member", "contact_place_id": place_id})
    reviews_login(client, contact)
    assert "Reageren als plek" in client.get(f"/plek/{SLUG}").get_data(as_text=True)
    client.post(f"/ervaring/{review_id}/reageren", data={"text": "Dank voor je bericht, we letten erop."})
    second = client.post(f"/ervaring/{review_id}/reageren", data={"text": "Nog een keer."})
    assert "al een reactie" in second.get_data(as_text=True)
    page = client.get(f"/plek/{SLUG}").get_data(as_text=True)
    assert page.count("we letten erop") == 1 and "Reactie van Huiskamer De Kapstok" in page
    assert "member.contact_place" in _audit_actions(app)


def test_ratings_aggregate_per_aspect_and_rank_by_bayesian_average(app, make_place, reviews_member, reviews_review):
    """place_ratings averages published reviews only; one 5-star place ranks below a place with many 4.5s."""
    from ervaringswijzer.reviews.services import place_ratings, ranking_scores, top_places

    solo = make_place(name="Eén Keer Top")
    busy = make_place(name="Vaak Goed")
    reviews_review(reviews_member(), solo, welcome=5, respect=5, calm=5, access=5)
    for i in range(12):
        reviews_review(reviews_member(), busy, welcome=5 if i % 2 else 4, respect=5 if i % 2 else 4,
                       calm=5 if i % 2 else 4, access=5 if i % 2 else 4, recommend=i % 3 != 0)
    reviews_review(reviews_member(), busy, status="hidden", welcome=1, respect=1, calm=1, access=1)
    plain = make_place(name="Gewoon Oké")  # sets a realistic site-wide mean for the prior
    for _ in range(10):
        reviews_review(reviews_member(), plain, welcome=3, respect=3, calm=3, access=3)
    with app.app_context():
        ratings = place_ratings([solo, busy])
        assert ratings[busy] == {"count": 12, "recommend_pct": 67,
                                 "aspects": {"welcome": 4.5, "respect": 4.5, "calm": 4.5, "access": 4.5}}
        assert ratings[solo]["aspects"]["welcome"] == 5.0
        scores = ranking_scores()
        assert scores[busy] > scores[solo]
        assert [p.name for p, _s in top_places()] == ["Vaak Goed", "Eén Keer Top", "Gewoon Oké"]


def test_review_refusals_are_english_on_an_english_page(app, client, make_place, reviews_member):
    """The review service's refusals show in English on an English page, with the numbers filled in."""
    make_place()
    reviews_login(client, reviews_member("peer_expert"))
    client.get(f"/plek/{SLUG}?lang=en")
    html = client.post(f"/plek/{SLUG}/ervaring", data={**REVIEW_FORM, "welcome": "", "text": "Te kort"}).get_data(as_text=True)
    assert "Choose 1 to 5 stars." in html and "Write at least 20 characters about your experience (now 7)." in html
    assert "Kies 1 tot en met 5 sterren." not in html and "Schrijf minstens" not in html

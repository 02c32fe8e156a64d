"""Reports of wrong place information, suggested places with peer confirmation, and the place history."""
from datetime import date

import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.core.audit import AuditEntry
from ervaringswijzer.moderation.models import InfoReport
from ervaringswijzer.places.models import Place, PlaceChange
from tests.conftest import reviews_login

SLUG = "huiskamer-de-kapstok-utrecht"
SUGGESTION = {"name": "Buurtkamer Zonnestraal", "category": "walk_in_centre", "description": "Koffie en een praatje",
              "street": "Zonstraat 3", "postcode": "3511ab", "city": "Utrecht", "walk_in": "y"}


def test_anyone_reports_wrong_hours_and_fixing_updates_last_checked(app, client, make_place, reviews_member):
    """An anonymous one-tap report reaches the queue; 'fixed' sets last_checked to today and records history."""
    place_id = make_place(last_checked="2025-01-01")
    assert client.post(f"/plek/{SLUG}/klopt-niet", data={"kind": "hours", "remark": ""}).status_code == 302
    assert client.post(f"/plek/{SLUG}/klopt-niet", data={"kind": "weird"}).status_code == 302
    moderator = reviews_member("moderator")
    reviews_login(client, moderator)
    assert "Openingstijden kloppen niet" in client.get("/moderatie").get_data(as_text=True)
    with app.app_context():
        reports = list(db.session.scalars(sa.select(InfoReport)))
        assert [(r.kind, r.reporter_id) for r in reports] == [("hours", None)]
    client.post(f"/moderatie/melding/{reports[0].id}", data={"action": "fixed", "reason": "gebeld"})
    with app.app_context():
        place = db.session.get(Place, place_id)
        assert place.last_checked == date.today()
        change = db.session.scalars(sa.select(PlaceChange).order_by(PlaceChange.id.desc())).first()
        assert change.action == "checked" and change.member_id == moderator
        assert change.changes["last_checked"] == ["2025-01-01", date.today().isoformat()]
        assert db.session.get(InfoReport, reports[0].id).status == "fixed"
    history = client.get(f"/plek/{SLUG}/geschiedenis").get_data(as_text=True)
    assert "gecontroleerd" in history and "moderator-" in history


def test_suggestion_published_after_two_other_peer_experts_confirm(app, client, reviews_member):
    """A member suggests; the suggester cannot confirm; two peer experts confirm and the place goes live."""
    suggester = reviews_member("peer_expert")
    first, second = reviews_member("peer_expert"), reviews_member("peer_expert")
    reviews_login(client, suggester)
    bad = client.post("/plek-voorstellen", data={**SUGGESTION, "name": "", "postcode": "12"})
    html = bad.get_data(as_text=True)
    assert "naam ontbreekt" in html and 'value="Zonstraat 3"' in html
    assert client.post("/plek-voorstellen", data=SUGGESTION).status_code == 302
    with app.app_context():
        place = db.session.scalar(sa.select(Place).where(Place.name == "Buurtkamer Zonnestraal"))
        assert (place.status, place.suggested_by_id, place.postcode, place.walk_in) == (
            "suggested", suggester, "3511 AB", True)
        place_id, slug = place.id, place.slug
    assert client.get(f"/plek/{slug}").status_code == 404
    client.post(f"/voorstellen/{place_id}/bevestigen")
    assert client.post(f"/voorstellen/{place_id}/bevestigen").status_code == 403
    for expert in (first, second):
        reviews_login(client, expert)
        client.post(f"/voorstellen/{place_id}/bevestigen")
    assert client.get(f"/plek/{slug}").status_code == 200
    with app.app_context():
        actions = [c.action for c in db.session.scalars(
            sa.select(PlaceChange).where(PlaceChange.place_id == place_id).order_by(PlaceChange.id))]
        assert actions == ["suggested", "published"]
        audit = list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))
        assert audit == ["place.confirm", "place.confirm", "place.publish"]


def test_moderator_publishes_or_rejects_with_reason(app, client, reviews_member):
    """A moderator can publish a suggestion at once, and rejecting needs a reason."""
    reviews_login(client, reviews_member("member"))
    client.post("/plek-voorstellen", data=SUGGESTION)
    client.post("/plek-voorstellen", data={**SUGGESTION, "name": "Tweede Plek"})
    reviews_login(client, reviews_member("moderator"))
    with app.app_context():
        first, second = db.session.scalars(sa.select(Place.id).order_by(Place.id)).all()
    client.post(f"/moderatie/plek/{first}", data={"action": "publish"})
    client.post(f"/moderatie/plek/{second}", data={"action": "reject", "reason": ""})
    with app.app_context():
        assert db.session.get(Place, first).status == "published"
        assert db.session.get(Place, second).status == "suggested"
    client.post(f"/moderatie/plek/{second}", data={"action": "reject", "reason": "bestaat al"})
    with app.app_context():
        assert db.session.get(Place, second).status == "archived"


def test_updates_keep_history_of_who_and_what_and_reimport_adds_nothing(app, reviews_member):
    """upsert_place records the changed fields with the actor; the same data again adds no history row."""
    from ervaringswijzer.accounts.models import Member
    from ervaringswijzer.places.services import place_history, upsert_place

    editor = reviews_member("moderator")
    data = {"slug": "de-plek", "name": "De Plek", "categories": ["sport"], "address": {"city": "Utrecht"}}
    with app.app_context():
        place, errors, _ = upsert_place(data)
        assert not errors
        upsert_place(data)
        upsert_place({**data, "name": "De Nieuwe Plek"}, actor=db.session.get(Member, editor))
        db.session.commit()
        history = place_history(place.id)
        assert [(c.action, c.member_id) for c in history] == [("updated", editor), ("created", None)]
        assert history[0].changes == {"name": ["De Plek", "De Nieuwe Plek"]}


def test_moderator_approves_pending_and_redacts_a_staff_name(app, client, make_place, reviews_member, reviews_review):
    """Approving publishes a waiting review; redacting rewrites the text (sanitised) and both are audited."""
    from ervaringswijzer.reviews.models import Review

    place_id = make_place()
    writer, moderator = reviews_member("member"), reviews_member("moderator")
    review_id = reviews_review(writer, place_id, status="pending", hold_reason="new_member",
                               text="<p>Medewerker Jan de Vries was onaardig.</p>")
    reviews_login(client, moderator)
    assert "Nieuw lid." in client.get("/moderatie").get_data(as_text=True)
    form = client.get(f"/moderatie/ervaring/{review_id}/redigeren").get_data(as_text=True)
    assert "Jan de Vries" in form
    no_reason = client.post(f"/moderatie/ervaring/{review_id}/redigeren", data={"text": "x y", "reason": ""})
    assert "Schrijf kort waarom" in no_reason.get_data(as_text=True)
    client.post(f"/moderatie/ervaring/{review_id}/redigeren",
                data={"text": "Een medewerker [naam weggehaald] was onaardig.<script>x</script>", "reason": "naam"})
    client.post(f"/moderatie/ervaring/{review_id}", data={"action": "approve", "reason": ""})
    with app.app_context():
        review = db.session.get(Review, review_id)
        assert review.status == "published" and review.hold_reason == ""
        assert review.text == "<p>Een medewerker [naam weggehaald] was onaardig.</p>"
        assert list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id))) == [
            "review.redact", "review.approve"]
    assert "Jan de Vries" not in client.get(f"/plek/{SLUG}").get_data(as_text=True)


def test_info_report_refusal_is_english_on_an_english_page(client, make_place):
    """A report without a choice is refused in English on an English page, not in the service's Dutch."""
    make_place()
    client.get(f"/plek/{SLUG}?lang=en")
    html = client.post(f"/plek/{SLUG}/klopt-niet", data={"kind": "weird"}, follow_redirects=True).get_data(as_text=True)
    assert "Choose what is wrong." in html and "Kies wat er niet klopt." not in html


def test_rejecting_without_reason_is_refused_in_english_on_an_english_page(app, client, reviews_member):
    """Rejecting a suggestion without a reason is refused in English on an English page."""
    reviews_login(client, reviews_member("member"))
    client.post("/plek-voorstellen", data=SUGGESTION)
    reviews_login(client, reviews_member("moderator"))
    client.get("/moderatie?lang=en")
    with app.app_context():
        place_id = db.session.scalar(sa.select(Place.id))
    html = client.post(f"/moderatie/plek/{place_id}", data={"action": "reject", "reason": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "That did not work: Write briefly why the place does not go on the map." in html
    assert "Schrijf kort waarom" not in html

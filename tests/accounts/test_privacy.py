"""A member downloads all their data, changes the password, and deletes the account (reviews removed or kept)."""
import json

import sqlalchemy as sa

from ervaringswijzer.accounts.models import Member
from ervaringswijzer.extensions import db
from ervaringswijzer.core.audit import AuditEntry
from ervaringswijzer.moderation.models import ReviewReport
from ervaringswijzer.places.models import Place
from ervaringswijzer.reviews.models import Review
from tests.conftest import reviews_login


def _setup(app, client, make_place, reviews_member, reviews_review):
    place_id = make_place()
    me = reviews_member("member", pseudonym="Privé Piet", password="wachtwoord-123")
    review_id = reviews_review(me, place_id, text="<p>Mijn eigen ervaring hier.</p>")
    other_review = reviews_review(reviews_member("member"), place_id)
    reviews_login(client, me)
    client.post(f"/ervaring/{other_review}/melden", data={"reason": "scheldwoord erin"})
    client.post("/plek/huiskamer-de-kapstok-utrecht/klopt-niet", data={"kind": "hours", "remark": "dicht op ma"})
    return place_id, me, review_id


def test_data_export_holds_everything_about_the_member(app, client, make_place, reviews_member, reviews_review):
    """The JSON download has the account, the review with its text, the reports and the audit rows, nothing of others."""
    _place_id, _me, _review_id = _setup(app, client, make_place, reviews_member, reviews_review)
    response = client.get("/account/mijn-gegevens.json")
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["member"]["pseudonym"] == "Privé Piet" and data["member"]["role"] == "member"
    assert "password_hash" not in json.dumps(data)
    assert [r["text"] for r in data["reviews"]] == ["<p>Mijn eigen ervaring hier.</p>"]
    assert data["reviews"][0]["aspects"] == {"welcome": 4, "respect": 4, "calm": 4, "access": 4}
    assert [r["reason"] for r in data["review_reports"]] == ["scheldwoord erin"]
    assert [(r["kind"], r["remark"]) for r in data["place_reports"]] == [("hours", "dicht op ma")]
    assert {a["action"] for a in data["audit_entries"]} == {"review.report", "place.report"}


def test_delete_account_keeping_reviews_anonymously(app, client, make_place, reviews_member, reviews_review):
    """Kept reviews stay published without any link to the writer and show as 'oud-lid'; reports lose the link."""
    _place_id, me, review_id = _setup(app, client, make_place, reviews_member, reviews_review)
    wrong = client.post("/account/verwijderen", data={"reviews": "keep", "password": "fout"})
    assert wrong.status_code == 400 and "niet verwijderd" in wrong.get_data(as_text=True)
    response = client.post("/account/verwijderen", data={"reviews": "keep", "password": "wachtwoord-123"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Member, me) is None
        review = db.session.get(Review, review_id)
        assert review.member_id is None and review.status == "published"
        assert db.session.scalar(sa.select(sa.func.count()).where(ReviewReport.reporter_id.is_not(None))) == 0
        assert db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.actor_id == me)) == 0
    page = client.get("/plek/huiskamer-de-kapstok-utrecht").get_data(as_text=True)
    assert "Mijn eigen ervaring hier." in page and "oud-lid" in page and "Privé Piet" not in page
    assert client.get("/account").status_code == 302  # logged out


def test_delete_account_removing_reviews(app, client, make_place, reviews_member, reviews_review):
    """Choosing removal deletes the member's reviews and nothing else."""
    _place_id, me, review_id = _setup(app, client, make_place, reviews_member, reviews_review)
    client.post("/account/verwijderen", data={"reviews": "remove", "password": "wachtwoord-123"})
    with app.app_context():
        assert db.session.get(Review, review_id) is None
        assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 1


def test_change_password_needs_the_current_one(app, client, reviews_member):
    """A wrong current password changes nothing; the right one makes the new password work."""
    me = reviews_member("member", pseudonym="Wissel", password="wachtwoord-123")
    reviews_login(client, me)
    bad = client.post("/account", data={"current": "fout", "new": "nieuw-wachtwoord-9"})
    assert "klopt niet" in bad.get_data(as_text=True)
    short = client.post("/account", data={"current": "wachtwoord-123", "new": "kort"})
    assert "minstens 10 tekens" in short.get_data(as_text=True)
    assert client.post("/account", data={"current": "wachtwoord-123", "new": "nieuw-wachtwoord-9"}).status_code == 302
    with app.app_context():
        member = db.session.get(Member, me)
        assert member.check_password("nieuw-wachtwoord-9") and not member.check_password("wachtwoord-123")


def test_admin_cannot_change_own_role_and_role_changes_are_audited(app, client, reviews_member):
    """A role change lands in the audit log with before/after; an admin cannot demote themself."""
    admin, member = reviews_member("admin"), reviews_member("member")
    reviews_login(client, admin)
    client.post("/beheer/leden", data={"member_id": admin, "role": "member"})
    client.post("/beheer/leden", data={"member_id": member, "role": "moderator", "reason": "nieuw in team"})
    with app.app_context():
        assert db.session.get(Member, admin).role == "admin"
        assert db.session.get(Member, member).role == "moderator"
        entry = db.session.scalar(sa.select(AuditEntry))
        assert (entry.action, entry.actor_id, entry.target_id, entry.reason, entry.detail) == (
            "member.role", admin, member, "nieuw in team", {"before": "member", "after": "moderator"})


def test_export_of_a_social_worker_holds_their_shared_maps_and_no_one_elses(app, client, make_place, reviews_member):
    """A worker's download has each of their shared maps (title, note, places in order, link) and not a colleague's map."""
    from ervaringswijzer.maps.shared import add_place, create_shared_map

    first = make_place(name="Huiskamer De Kapstok")
    second = make_place(name="Buurtkamer Het Anker")
    me = reviews_member("social_worker", pseudonym="Wijkteam Wim")
    colleague = reviews_member("social_worker", pseudonym="Wijkteam Wendy")
    with app.app_context():
        mine, _errors = create_shared_map(me, "Plekken voor Sam", "Begin bij nummer 1.")
        for place_id in (second, first):
            add_place(mine, db.session.get(Place, place_id))
        theirs, _errors = create_shared_map(colleague, "Plekken voor Noor", "Geheim van Wendy.")
        add_place(theirs, db.session.get(Place, first))
        token = mine.token
        db.session.commit()
    reviews_login(client, me)
    data = json.loads(client.get("/account/mijn-gegevens.json").get_data(as_text=True))
    assert [(m["title"], m["note"], m["link"], m["state"]) for m in data["shared_maps"]] == [
        ("Plekken voor Sam", "Begin bij nummer 1.", f"/k/{token}", "active")]
    assert [(p["position"], p["name"]) for p in data["shared_maps"][0]["places"]] == [
        (1, "Buurtkamer Het Anker"), (2, "Huiskamer De Kapstok")]
    assert "Plekken voor Noor" not in json.dumps(data) and "Geheim van Wendy" not in json.dumps(data)

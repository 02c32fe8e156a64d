"""The change history, the audit log and the place page show words, not stored keys."""
from ervaringswijzer.accounts.models import Member
from ervaringswijzer.accounts.services import set_role
from ervaringswijzer.extensions import db
from ervaringswijzer.places.services import upsert_place

from ..conftest import reviews_login


def test_history_page_shows_labels_and_yes_no(app, client, make_place):
    """The public history reads 'Eerste kop koffie gratis: — → ja', never 'first_coffee_free' or 'True'."""
    make_place(slug="kapstok", languages=["nl"])
    with app.app_context():
        _place, errors, _created = upsert_place({
            "slug": "kapstok", "name": "Huiskamer De Kapstok", "categories": ["walk_in_centre"],
            "address": {"street": "Gambiaweg 12", "postcode": "3564 BN", "city": "Utrecht", "wijk": "Overvecht"},
            "location": {"lat": 52.1135, "lon": 5.112}, "flags": {"walk_in": True, "free": True},
            "opening_hours": "Mo-Fr 10:00-16:00", "languages": ["nl", "en"], "first_visit": {"coffee_free": True}})
        assert not errors
        db.session.commit()
    page = client.get("/plek/kapstok/geschiedenis").get_data(as_text=True)
    assert "Eerste kop koffie gratis: — → ja" in page
    assert "Talen: Nederlands → Nederlands, Engels" in page
    assert "first_coffee_free" not in page and "True" not in page and "<code>" not in page
    english = client.get("/plek/kapstok/geschiedenis?lang=en").get_data(as_text=True)
    assert "First cup of coffee free: — → yes" in english and "Languages: Dutch → Dutch, English" in english


def test_place_page_names_languages(client, make_place):
    """'Talen: nl, en' becomes 'Nederlands, Engels', and 'Dutch, English' on the English page."""
    make_place(slug="kapstok", languages=["nl", "en"])
    assert "Nederlands, Engels" in client.get("/plek/kapstok").get_data(as_text=True)
    assert "Dutch, English" in client.get("/plek/kapstok?lang=en").get_data(as_text=True)


def test_audit_log_reads_as_sentences(app, client, reviews_member):
    """A role change shows 'Rol van lid N: lid → ervaringsdeskundige' instead of 'member.role before=...'."""
    admin_id, member_id = reviews_member("admin"), reviews_member("member")
    with app.app_context():
        set_role(db.session.get(Member, member_id), "peer_expert", db.session.get(Member, admin_id), "kent de wijk")
        db.session.commit()
    reviews_login(client, admin_id)
    page = client.get("/moderatie/logboek").get_data(as_text=True)
    assert f"Rol van lid {member_id}: lid → ervaringsdeskundige" in page
    assert "member.role" not in page and "before=" not in page

"""New passwords: common and guessable ones are refused kindly; an unknown pseudonym costs a real hash check."""
import pytest
import sqlalchemy as sa
from werkzeug import security as werkzeug_security

from ervaringswijzer.accounts import services
from ervaringswijzer.accounts.models import Member
from ervaringswijzer.extensions import db

WEAK = ["wachtwoord", "1234567890", "qwertyuiop", "Wachtwoord1!", "ervaringswijzer", "welkom12345"]


@pytest.mark.parametrize("password", WEAK)
def test_common_passwords_are_refused_at_registration(client, app, password):
    """Registration refuses a common password with a Dutch explanation, keeps the pseudonym typed, stores nobody."""
    response = client.post("/aanmelden", data={"pseudonym": "Zwak Wachtwoord", "password": password})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "te makkelijk te raden" in page and 'value="Zwak Wachtwoord"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Member.id))) == 0


def test_pseudonym_as_password_is_refused(client, app):
    """The pseudonym itself (also without spaces, with digits after it) is no password."""
    for password in ("Koffie Kees", "koffiekees12", "KoffieKees2026"):
        page = client.post("/aanmelden", data={"pseudonym": "Koffie Kees", "password": password}).get_data(as_text=True)
        assert "lijkt op je schuilnaam" in page, password
    response = client.post("/aanmelden", data={"pseudonym": "Koffie Kees", "password": "paarse fiets op zolder"})
    assert response.status_code == 302


def test_password_change_refuses_weak_passwords(client, app, reviews_member):
    """Changing to a common password is refused and the old one keeps working; the demo password still logs in."""
    from tests.conftest import reviews_login

    me = reviews_member("member", pseudonym="Wissel Wim", password="demo-wachtwoord")
    reviews_login(client, me)
    page = client.post("/account", data={"current": "demo-wachtwoord", "new": "qwertyuiop"}).get_data(as_text=True)
    assert "te makkelijk te raden" in page
    short = client.post("/account", data={"current": "demo-wachtwoord", "new": "kort"}).get_data(as_text=True)
    assert "minstens 10 tekens" in short
    with app.app_context():
        assert db.session.get(Member, me).check_password("demo-wachtwoord")
    reviews_login(client, None)
    assert client.post("/inloggen", data={"pseudonym": "Wissel Wim", "password": "demo-wachtwoord"}).status_code == 302


def test_unknown_pseudonym_verifies_a_dummy_hash_of_the_real_kind(app, monkeypatch):
    """Logging in with an unknown pseudonym checks a password against a hash made like a real member's."""
    checked = []
    real_check = werkzeug_security.check_password_hash

    def recording_check(pwhash, password):
        checked.append(pwhash)
        return real_check(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", recording_check)
    with app.app_context():
        member, errors = services.register_member("Echte Eva", "paarse fiets op zolder")
        assert not errors
        db.session.flush()
        assert services.authenticate("Niemand Hier", "paarse fiets op zolder") is None
        assert checked == [services.dummy_password_hash()]
        method = lambda h: h.split("$", 1)[0]  # noqa: E731 - e.g. "scrypt:32768:8:1"
        assert method(checked[0]) == method(member.password_hash)
        assert services.authenticate("Echte Eva", "paarse fiets op zolder") == member
        db.session.rollback()

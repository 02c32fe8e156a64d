"""Signed session cookies end with logout, password change, role change and account deletion; CSRF renews at login."""
import re

import pytest
import sqlalchemy as sa

from ervaringswijzer.accounts.models import Member
from ervaringswijzer.extensions import db

from ..conftest import _make_app

PASSWORD = "paarse-fiets-op-zolder"


@pytest.fixture
def member(app):
    """A registered member 'Sessie Sam' (real password hash) and two devices: the member's and a copy."""
    from ervaringswijzer.accounts.services import register_member

    with app.app_context():
        member, errors = register_member("Sessie Sam", PASSWORD, "sam@example.org")
        assert not errors, errors
        db.session.commit()
        return member.id


def _login(client, pseudonym="Sessie Sam", password=PASSWORD):
    response = client.post("/inloggen", data={"pseudonym": pseudonym, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def _copy_cookie(app, source):
    """A second client carrying the same session cookie, as an attacker who copied it would."""
    copy = app.test_client()
    cookie = source.get_cookie("session", domain="localhost")
    copy.set_cookie("session", cookie.value, domain="localhost")
    return copy


def _opens_account(client) -> bool:
    page = client.get("/account")
    return page.status_code == 200 and "Sessie Sam" in page.get_data(as_text=True)


def test_copied_cookie_dies_at_logout(app, client, member):
    """After logout a copied cookie opens neither /account nor the data export."""
    _login(client)
    copy = _copy_cookie(app, client)
    assert _opens_account(copy) and copy.get("/account/mijn-gegevens.json").status_code == 200
    client.post("/uitloggen")
    assert not _opens_account(copy)
    export = copy.get("/account/mijn-gegevens.json")
    assert export.status_code == 302 and "sam@example.org" not in export.get_data(as_text=True)


def test_password_change_logs_out_other_devices_but_not_this_one(app, client, member):
    """The device that changed the password stays in; a second device with the old cookie is out."""
    _login(client)
    other = _copy_cookie(app, client)
    response = client.post("/account", data={"current": PASSWORD, "new": "groene-boot-in-de-gracht"})
    assert response.status_code == 302
    assert _opens_account(client)
    assert not _opens_account(other)


def test_log_out_everywhere_button(app, client, member):
    """The /account button ends every session, this one included; logging in again works."""
    _login(client)
    other = _copy_cookie(app, client)
    page = client.get("/account").get_data(as_text=True)
    assert 'action="/account/overal-uitloggen"' in page and "Log uit op alle apparaten" in page
    response = client.post("/account/overal-uitloggen", follow_redirects=True)
    assert "Je bent uitgelogd op alle apparaten" in response.get_data(as_text=True)
    assert not _opens_account(client) and not _opens_account(other)
    _login(client)
    assert _opens_account(client)


def test_role_change_and_deletion_end_sessions(app, client, member, reviews_member):
    """A role given by an admin ends the member's old sessions; so does deleting the account."""
    from tests.conftest import reviews_login

    _login(client)
    admin = app.test_client()
    reviews_login(admin, reviews_member("admin"))
    assert admin.post("/beheer/leden", data={"member_id": member, "role": "peer_expert"}).status_code == 302
    assert not _opens_account(client)

    _login(client)
    copy = _copy_cookie(app, client)
    client.post("/account/verwijderen", data={"reviews": "remove", "password": PASSWORD})
    assert copy.get("/account").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Member.id)).where(Member.pseudonym_key == "sessie sam")) == 0


def test_session_cookie_of_a_reused_id_opens_nothing(app, client, member):
    """A cookie naming only the member id (as before session secrets) or a wrong secret is not a login."""
    with client.session_transaction() as session:
        session["_user_id"] = str(member)
    assert not _opens_account(client)
    with client.session_transaction() as session:
        session["_user_id"] = f"{member}:not-the-secret"
    assert not _opens_account(client)


def test_csrf_secret_is_renewed_at_login_and_logout(request, tmp_path):
    """The CSRF secret a visitor had before logging in is dropped at login, and again at logout."""
    from ervaringswijzer.accounts.services import register_member

    app = _make_app(request, tmp_path, demo=False, extra={"WTF_CSRF_ENABLED": True})
    with app.app_context():
        register_member("Sessie Sam", PASSWORD)
        db.session.commit()
    client = app.test_client()

    def token_on(path):
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                         client.get(path).get_data(as_text=True)).group(1)

    def secret():
        with client.session_transaction() as session:
            return session.get("csrf_token")

    form_token = token_on("/inloggen")
    before = secret()
    response = client.post("/inloggen", data={"pseudonym": "Sessie Sam", "password": PASSWORD,
                                              "csrf_token": form_token})
    assert response.status_code == 302
    assert secret() is None or secret() != before
    after_login = token_on("/account")
    assert secret() not in (None, before)
    client.post("/uitloggen", data={"csrf_token": after_login})
    assert secret() is None
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_pages_for_a_logged_in_member_are_not_stored(app, client, member):
    """Every answer to a logged-in member says Cache-Control: no-store; an anonymous home page does not."""
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    _login(client)
    for path in ("/", "/account", "/account/mijn-gegevens.json", "/ervaringen"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path

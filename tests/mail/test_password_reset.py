"""Wachtwoord vergeten: one answer for everyone, a mailed link that works once and for 30 minutes only."""
import re
import time
from datetime import timedelta

import sqlalchemy as sa

from ervaringswijzer.accounts.models import Member, PasswordReset
from ervaringswijzer.core.time import utcnow
from ervaringswijzer.extensions import db
from tests.smtp_server import parts

NEW = "Lange-zomeravond-1987"


def _member(app, reviews_member, email="eva@example.org"):
    member_id = reviews_member("member", pseudonym="Eva")
    with app.app_context():
        db.session.get(Member, member_id).email = email
        db.session.commit()
    return member_id


def _link(message) -> str:
    text, html = parts(message)
    links = re.findall(r"http://ervaringswijzer\.test/wachtwoord-herstellen/\S+", text)
    assert len(links) == 1 and f'href="{links[0]}"' in html
    return links[0].removeprefix("http://ervaringswijzer.test")


def test_the_link_sets_a_new_password_once(app, client, reviews_member, smtp_server):
    """Ask → mail with a link → new password works, old one not; the same link a second time is refused."""
    member_id = _member(app, reviews_member)
    answer = client.post("/wachtwoord-vergeten", data={"pseudonym": "eva"}).get_data(as_text=True)
    assert "Als deze schuilnaam bij ons bekend is" in answer
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "eva@example.org" and message["Subject"] == "Een nieuw wachtwoord voor Ervaringswijzer"
    link = _link(message)
    token = link.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalar(sa.select(PasswordReset))
        assert stored.member_id == member_id and token not in stored.token_hash and len(stored.token_hash) == 64

    assert client.get(link).status_code == 200
    weak = client.post(link, data={"new": "kort"})
    assert "minstens 10 tekens" in weak.get_data(as_text=True) and 'class="error-summary"' in weak.get_data(as_text=True)
    done = client.post(link, data={"new": NEW})
    assert done.status_code == 302 and done.headers["Location"].endswith("/inloggen")
    told = smtp_server.wait_for(2)[1]  # a change the member did not make must not go unnoticed
    assert told["Subject"] == "Je wachtwoord voor Ervaringswijzer is veranderd" and told["To"] == "eva@example.org"
    assert client.post("/inloggen", data={"pseudonym": "Eva", "password": NEW}).status_code == 302
    client.post("/uitloggen")
    assert client.post("/inloggen", data={"pseudonym": "Eva", "password": "wachtwoord-123"}).status_code == 200

    again = client.post(link, data={"new": "Nog-een-ander-wachtwoord-9"})
    assert again.status_code == 410 and "Deze link werkt niet meer" in again.get_data(as_text=True)
    assert client.post("/inloggen", data={"pseudonym": "Eva", "password": NEW}).status_code == 302


def test_an_expired_or_forged_link_opens_nothing(app, client, reviews_member, smtp_server):
    """Past 30 minutes (stored expiry or signed age) or with a changed token, the link is refused."""
    _member(app, reviews_member)
    client.post("/wachtwoord-vergeten", data={"pseudonym": "Eva"})
    link = _link(smtp_server.wait_for(1)[0])
    assert client.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB")).status_code == 410
    assert client.get("/wachtwoord-herstellen/" + "x" * 60).status_code == 410
    with app.app_context():
        db.session.execute(sa.update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.post(link, data={"new": NEW}).status_code == 410
    with app.app_context():
        db.session.execute(sa.update(PasswordReset).values(expires_at=utcnow() + timedelta(minutes=30)))
        db.session.commit()
    app.config["PASSWORD_RESET_MINUTES"] = 0  # the signed timestamp alone also ends it
    time.sleep(1.1)
    assert client.get(link).status_code == 410


def test_the_same_answer_whether_or_not_the_pseudonym_exists(app, client, reviews_member, smtp_server):
    """Known with address, known without address, unknown: the same page, in similar time; one mail only."""
    _member(app, reviews_member)
    reviews_member("member", pseudonym="Zonder Mail")
    pages, times = {}, {}
    floor = app.config["PASSWORD_RESET_ANSWER_SECONDS"]
    assert floor >= 0.2  # longer than looking up a pseudonym and handing a mail over
    for name in ("Eva", "Zonder Mail", "Niemand Bekend"):
        for _ in range(3):
            started = time.monotonic()
            page = client.post("/wachtwoord-vergeten", data={"pseudonym": name}).get_data(as_text=True)
            times.setdefault(name, []).append(time.monotonic() - started)
        pages[name] = page.replace(name, "")
    assert pages["Eva"] == pages["Zonder Mail"] == pages["Niemand Bekend"]
    # Every answer is held back to the same floor, so a quick "unknown" cannot tell who exists (a lower
    # bound: a busy machine makes answers slower, never quicker). Spread is measured, not asserted here.
    assert min(min(samples) for samples in times.values()) >= floor, times
    assert len(smtp_server.wait_for(3)) == 3
    time.sleep(0.2)
    assert {m["To"] for m in smtp_server.messages} == {"eva@example.org"}  # three asks, three mails to Eva only


def test_a_link_carries_at_least_128_random_bits(app, client, reviews_member, smtp_server):
    """Two links for one member share nothing guessable: the random part is 256 bits (43 base64 characters)."""
    _member(app, reviews_member)
    client.post("/wachtwoord-vergeten", data={"pseudonym": "Eva"})
    client.post("/wachtwoord-vergeten", data={"pseudonym": "Eva"})
    first, second = (_link(m).rsplit("/", 1)[1] for m in smtp_server.wait_for(2))
    assert first != second
    assert len(first.split(".")[0]) >= 22  # the signed payload holds 43 characters of token_urlsafe(32)

"""Writers hear what happened to their review, place contacts hear of new reviews: in the inbox and by mail."""
import sqlalchemy as sa

from ervaringswijzer.accounts.models import Member, PlaceContact
from ervaringswijzer.extensions import db
from ervaringswijzer.notices.models import Notice
from tests.conftest import REVIEW_FORM, reviews_login
from tests.smtp_server import parts

SLUG = "huiskamer-de-kapstok-utrecht"


def _set(app, member_id, **values):
    with app.app_context():
        member = db.session.get(Member, member_id)
        for key, value in values.items():
            setattr(member, key, value)
        db.session.commit()


def _kinds(app, member_id):
    with app.app_context():
        return list(db.session.scalars(sa.select(Notice.kind).where(Notice.member_id == member_id).order_by(Notice.id)))


def test_held_approved_hidden_each_reach_the_writer_and_the_contact_hears_once(app, client, make_place,
                                                                              reviews_member, smtp_server):
    """New member's review: held → approved → hidden with reason; mails and inbox say so; the contact is told once."""
    place_id = make_place()
    writer = reviews_member("member", days_old=0)
    contact, moderator = reviews_member("member"), reviews_member("moderator")
    _set(app, writer, email="schrijver@example.org")
    with app.app_context():
        db.session.add(PlaceContact(member_id=contact, place_id=place_id))
        db.session.get(Member, contact).email = "plek@example.org"
        db.session.commit()

    reviews_login(client, writer)
    assert client.post(f"/plek/{SLUG}/ervaring", data=REVIEW_FORM).status_code == 302
    held = smtp_server.wait_for(1)[0]
    assert held["To"] == "schrijver@example.org"
    assert held["Subject"] == "Je ervaring over Huiskamer De Kapstok wacht op een moderator"
    assert "Een moderator leest hem eerst" in parts(held)[0]
    assert "0800-0113" not in parts(held)[0]  # no crisis words: no help block

    with app.app_context():
        review_id = db.session.scalar(sa.text("SELECT id FROM review"))
    reviews_login(client, moderator)
    client.post(f"/moderatie/ervaring/{review_id}", data={"action": "approve", "reason": ""})
    mails = smtp_server.wait_for(3)
    by_to = {m["To"]: m for m in mails[1:]}
    assert by_to["schrijver@example.org"]["Subject"] == "Je ervaring over Huiskamer De Kapstok staat online"
    assert f"http://ervaringswijzer.test/plek/{SLUG}#ervaring-{review_id}" in parts(by_to["schrijver@example.org"])[0]
    assert by_to["plek@example.org"]["Subject"] == "Nieuwe ervaring over Huiskamer De Kapstok"

    client.post(f"/moderatie/ervaring/{review_id}", data={"action": "hide", "reason": "Noemt een medewerker bij naam"})
    hidden = smtp_server.wait_for(4)[3]
    text, html = parts(hidden)
    assert hidden["Subject"] == "Je ervaring over Huiskamer De Kapstok is verborgen"
    assert "De reden van de moderator: Noemt een medewerker bij naam" in text
    assert "Noemt een medewerker bij naam" in html
    client.post(f"/moderatie/ervaring/{review_id}", data={"action": "restore", "reason": "toch goed"})
    smtp_server.wait_for(5)
    assert _kinds(app, writer) == ["review_held", "review_published", "review_hidden", "review_published"]
    assert _kinds(app, contact) == ["place_review"]  # a restore is not news to the place

    reviews_login(client, writer)
    account = client.get("/account").get_data(as_text=True)
    assert "Huiskamer De Kapstok</strong>:" in account and "staat online." in account
    assert "Een moderator heeft ernaar gekeken op" in account
    page = client.get("/berichten").get_data(as_text=True)
    assert "4 nieuw" in page and page.count('class="notice-item notice-unread"') == 4
    assert "Noemt een medewerker bij naam" in page
    assert "nieuw</span>" not in client.get("/berichten").get_data(as_text=True).split("<main")[0]


def test_a_member_without_email_gets_the_notice_in_the_inbox_only(app, client, make_place, reviews_member,
                                                                   smtp_server):
    """No address: no mail is queued, the inbox still tells it."""
    make_place()
    writer = reviews_member("member")
    reviews_login(client, writer)
    client.post(f"/plek/{SLUG}/ervaring", data=REVIEW_FORM)
    assert _kinds(app, writer) == ["review_published"]
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM outgoing_mail")) == 0
    assert "1 nieuw" in client.get("/account").get_data(as_text=True)


def test_an_english_member_gets_english_mail(app, client, make_place, reviews_member, smtp_server):
    """A member who chose English on /account gets the notice in English, whatever the page language."""
    make_place()
    writer = reviews_member("member")
    _set(app, writer, email="reader@example.org")
    reviews_login(client, writer)
    assert client.post("/account/taal", data={"language": "en"}).status_code == 302
    with client.session_transaction() as session:
        session["lang"] = "nl"
    client.post(f"/plek/{SLUG}/ervaring", data=REVIEW_FORM)
    message = smtp_server.wait_for(1)[0]
    assert message["Subject"] == "Your review of Huiskamer De Kapstok is online"
    assert "Thank you for sharing it" in parts(message)[0]


def test_notices_are_in_the_data_download_and_go_with_the_account(app, client, make_place, reviews_member,
                                                                   smtp_server):
    """The export lists the inbox (subject in the reader's words); deleting the account deletes notices and queued mail."""
    make_place()
    writer = reviews_member("member", days_old=0)
    _set(app, writer, email="weg@example.org")
    app.config["MAIL_SEND_AFTER_COMMIT"] = False  # the mail stays queued: it must go with the account
    reviews_login(client, writer)
    client.post(f"/plek/{SLUG}/ervaring", data=REVIEW_FORM)
    export = client.get("/account/mijn-gegevens.json").get_json()
    assert [n["subject"] for n in export["notices"]] == ["Je ervaring over Huiskamer De Kapstok wacht op een moderator"]
    assert export["member"]["language"] == "nl"
    client.post("/account/verwijderen", data={"password": "wachtwoord-123", "reviews": "remove"})
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM notice")) == 0
        assert db.session.scalar(sa.text("SELECT count(*) FROM outgoing_mail")) == 0
    assert smtp_server.messages == []

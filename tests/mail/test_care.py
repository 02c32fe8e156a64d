"""Care for the writer: held texts show help at once and in the mail; moderators extend the list; responses too."""
import sqlalchemy as sa

from ervaringswijzer.accounts.models import Member, PlaceContact
from ervaringswijzer.extensions import db
from ervaringswijzer.reviews.models import Review, ReviewResponse
from tests.conftest import REVIEW_FORM, reviews_login
from tests.smtp_server import parts

SLUG = "huiskamer-de-kapstok-utrecht"
QUOTED = ["ik denk erover om er een eind aan te maken", "ik zie het echt niet meer zitten",
          "ik heb geen zin meer om te leven", "ik wou dat ik dood was"]
HELP = ["113 Zelfmoordpreventie", "0800-0113", "huisarts", "huisartsenpost", "112"]


def _help_shown(html: str) -> bool:
    return all(word in html for word in HELP)


def test_the_quoted_texts_are_held_with_help_in_page_mail_and_inbox(app, client, make_place, reviews_member,
                                                                   smtp_server):
    """The four texts that once went online at once are held; the writer sees the same help everywhere."""
    make_place()
    writers = []
    for n, sentence in enumerate(QUOTED):
        writer = reviews_member("peer_expert")  # trusted: only the crisis check can hold it
        with app.app_context():
            db.session.get(Member, writer).email = f"schrijver{n}@example.org"
            db.session.commit()
        reviews_login(client, writer)
        page = client.post(f"/plek/{SLUG}/ervaring",
                           data={**REVIEW_FORM, "text": f"Fijne mensen hier. Maar {sentence}."}).get_data(as_text=True)
        assert _help_shown(page), sentence
        writers.append(writer)
    with app.app_context():
        assert set(db.session.scalars(sa.select(Review.hold_reason))) == {"crisis"}
    mails = smtp_server.wait_for(4)
    for message in mails:
        text, html = parts(message)
        assert _help_shown(text) and _help_shown(html)
        assert "0800-0113" in text and 'href="tel:08000113"' in html
    inbox = client.get("/berichten").get_data(as_text=True)
    assert _help_shown(inbox)

    moderator = reviews_member("moderator")
    with app.app_context():
        review_id = db.session.scalar(sa.select(Review.id).where(Review.member_id == writers[-1]))
    reviews_login(client, moderator)
    client.post(f"/moderatie/ervaring/{review_id}", data={"action": "approve", "reason": ""})
    reviews_login(client, writers[-1])
    account = client.get("/account").get_data(as_text=True)
    assert "Een moderator heeft ernaar gekeken op" in account and "staat online." in account


def test_a_moderator_adds_a_phrase_and_the_next_text_is_held(app, client, make_place, reviews_member, smtp_server):
    """The moderation page adds a phrase in the list's syntax; it is used at once; a broken one is refused kindly."""
    make_place()
    moderator, writer, member = reviews_member("moderator"), reviews_member("peer_expert"), reviews_member("member")
    reviews_login(client, member)
    assert client.get("/moderatie/crisiszinnen").status_code == 403
    reviews_login(client, moderator)
    bad = client.post("/moderatie/crisiszinnen", data={"phrase": "@ONBEKEND dood"}).get_data(as_text=True)
    assert "Deze zin kunnen we niet lezen" in bad and 'value="@ONBEKEND dood"' in bad
    assert client.post("/moderatie/crisiszinnen", data={"phrase": "zit diep|heel in de put"}).status_code == 302
    again = client.post("/moderatie/crisiszinnen", data={"phrase": "zit  diep|heel in de put"})
    assert "Deze zin staat al in de lijst." in again.get_data(as_text=True)
    tried = client.post("/moderatie/crisiszinnen", data={"tekst": "Ik zit echt diep in de put."})
    assert "Deze tekst zou wachten op een moderator" in tried.get_data(as_text=True)

    reviews_login(client, writer)
    page = client.post(f"/plek/{SLUG}/ervaring", data={**REVIEW_FORM, "text": "Aardige mensen, maar ik zit diep in de put."})
    assert _help_shown(page.get_data(as_text=True))

    reviews_login(client, moderator)
    with app.app_context():
        phrase_id = db.session.scalar(sa.text("SELECT id FROM crisis_phrase"))
    assert client.post(f"/moderatie/crisiszinnen/{phrase_id}/weg").status_code == 302
    log = client.get("/moderatie/logboek").get_data(as_text=True)
    assert "zit diep|heel in de put" in log


def test_a_response_with_crisis_words_is_held_and_the_place_writer_sees_help(app, client, make_place, reviews_member,
                                                                            reviews_review, smtp_server):
    """A place's answer runs through the same check: held, help shown, public only after a moderator publishes it."""
    place_id = make_place()
    writer, contact, moderator = reviews_member("member"), reviews_member("member"), reviews_member("moderator")
    review_id = reviews_review(writer, place_id)
    with app.app_context():
        db.session.add(PlaceContact(member_id=contact, place_id=place_id))
        db.session.commit()
    reviews_login(client, contact)
    page = client.post(f"/ervaring/{review_id}/reageren",
                       data={"text": "Dank je. Eerlijk gezegd zie ik het zelf ook niet meer zitten."})
    assert _help_shown(page.get_data(as_text=True))
    assert "zie ik het zelf ook niet meer zitten" not in client.get(f"/plek/{SLUG}").get_data(as_text=True)
    assert "wacht op een moderator." in client.get("/account").get_data(as_text=True)

    reviews_login(client, moderator)
    assert "zie ik het zelf ook niet meer zitten" in client.get("/moderatie").get_data(as_text=True)
    with app.app_context():
        response_id = db.session.scalar(sa.select(ReviewResponse.id))
    client.post(f"/moderatie/reactie/{response_id}", data={"action": "approve", "reason": ""})
    assert "zie ik het zelf ook niet meer zitten" in client.get(f"/plek/{SLUG}").get_data(as_text=True)
    reviews_login(client, contact)
    account = client.get("/account").get_data(as_text=True)
    assert "Mijn reacties als plek" in account and "Een moderator heeft ernaar gekeken op" in account
    assert "Je reactie over Huiskamer De Kapstok staat online" in client.get("/berichten").get_data(as_text=True)

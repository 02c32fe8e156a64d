"""Kept page parts (core.caching.fragment) never show an old place, review, member, language or script nonce."""
import re

import sqlalchemy as sa

from ervaringswijzer.accounts.models import Member
from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import PlaceCounter
from ervaringswijzer.places.services import upsert_place
from ervaringswijzer.reviews.models import Review
from ervaringswijzer.reviews.services import respond_to_review

from ..conftest import reviews_login

NONCE = re.compile(r'<script nonce="([^"]+)">')


def page(client, slug: str = "kapstok", lang: str = "") -> str:
    return client.get(f"/plek/{slug}" + (f"?lang={lang}" if lang else "")).get_data(as_text=True)


def test_an_edited_place_shows_its_new_text_at_once(app, client, make_place):
    """The kept place part follows the place's version: an edit shows on the next view."""
    make_place(slug="kapstok", description="Koffie en een praatje.")
    assert "Koffie en een praatje." in page(client)
    assert "Koffie en een praatje." in page(client)  # now from the kept part
    with app.app_context():
        _place, errors, _created = upsert_place({"slug": "kapstok", "name": "Huiskamer De Kapstok",
                                                 "description": "Soep op vrijdag.", "categories": ["walk_in_centre"],
                                                 "opening_hours": "Mo-Fr 10:00-16:00"})
        assert not errors
        db.session.commit()
    html = page(client)
    assert "Soep op vrijdag." in html and "Koffie en een praatje." not in html


def test_reviews_and_their_authors_are_never_shown_stale(app, client, make_place, reviews_member, reviews_review):
    """A new review, a hidden one, a new badge: each shows on the next view of the kept review cards."""
    place_id = make_place(slug="kapstok")
    member_id = reviews_member(pseudonym="Kees")
    first = reviews_review(member_id, place_id, text="<p>Rustig en welkom.</p>")
    assert "Rustig en welkom." in page(client) and "badge-peer" not in page(client)
    with app.app_context():
        db.session.get(Member, member_id).role = "peer_expert"
        db.session.commit()
    assert "badge-peer" in page(client)
    other = reviews_member(pseudonym="Anna")
    reviews_review(other, place_id, text="<p>Lekkere soep.</p>")
    assert "Lekkere soep." in page(client)
    with app.app_context():
        db.session.get(Review, first).status = "hidden"
        db.session.commit()
    html = page(client)
    assert "Rustig en welkom." not in html and "Lekkere soep." in html


def test_each_language_and_each_reader_gets_their_own_parts(client, make_place, reviews_member, reviews_review):
    """English readers never get the kept Dutch part, and a logged-in reader's review part is their own."""
    place_id = make_place(slug="kapstok", languages=["nl", "en"])
    reviews_review(reviews_member(), place_id)
    assert "Nederlands, Engels" in page(client)
    english = page(client, lang="en")
    assert "Dutch, English" in english and "Nederlands, Engels" not in english
    reviews_login(client, reviews_member(pseudonym="Lid"))
    page(client, lang="nl")
    assert "Deel je ervaring" in page(client)


def test_the_script_nonce_is_new_on_every_answer(client, make_place):
    """The small map's inline script is kept with the place part, but carries this answer's nonce (CSP)."""
    make_place(slug="kapstok")
    nonces = []
    for _ in range(2):
        response = client.get("/plek/kapstok")
        found = NONCE.findall(response.get_data(as_text=True))
        assert found and len(set(found)) == 1
        assert f"'nonce-{found[0]}'" in response.headers["Content-Security-Policy"]
        nonces.append(found[0])
    assert nonces[0] != nonces[1]


HOURS_TABLE = re.compile(r'<table class="hours">.*?</table>', re.S)


def test_places_with_the_same_hours_share_a_week_but_never_another_ones(client, make_place):
    """The week table is kept per hours text and day: each place shows its own hours, also after another's."""
    make_place(slug="kapstok", opening_hours="Mo-Fr 10:00-16:00")
    make_place(slug="zwaan", name="Buurthuis De Zwaan", opening_hours="Mo-Fr 10:00-16:00")
    make_place(slug="soep", name="Soepcafé", opening_hours="Sa 12:00-14:00")
    weekdays = HOURS_TABLE.search(page(client)).group()
    saturday = HOURS_TABLE.search(page(client, "soep")).group()
    assert "10:00" in weekdays and "12:00" not in weekdays
    assert "12:00" in saturday and "10:00" not in saturday
    assert HOURS_TABLE.search(page(client, "zwaan")).group() == weekdays
    assert HOURS_TABLE.search(page(client)).group() == weekdays


def test_the_kept_menu_is_never_a_signed_in_readers(app, client, make_place, reviews_member):
    """An anonymous reader's menu is kept; a signed-in reader gets their own, and it is never kept for others."""
    make_place(slug="kapstok")
    assert "Inloggen" in page(client)
    reviews_login(client, reviews_member(pseudonym="Jolanda"))
    signed_in = page(client)
    assert "Uitloggen (Jolanda)" in signed_in and ">Inloggen<" not in signed_in
    other = app.test_client()
    anonymous = page(other)
    assert ">Inloggen<" in anonymous and "Jolanda" not in anonymous and "Uitloggen" not in anonymous


def test_star_counts_follow_each_places_own_reviews(client, make_place, reviews_member, reviews_review):
    """The aspect bars are kept per numbers: each place shows the counts of its own reviews."""
    first = make_place(slug="kapstok")
    second = make_place(slug="zwaan", name="Buurthuis De Zwaan")
    reviews_review(reviews_member(), first, welcome=5)
    reviews_review(reviews_member(), second, welcome=2)
    assert "(5★ 1 · 4★ 0 · 3★ 0 · 2★ 0 · 1★ 0)" in page(client)
    html = page(client, "zwaan")
    assert "(5★ 0 · 4★ 0 · 3★ 0 · 2★ 1 · 1★ 0)" in html and "(5★ 1 · 4★ 0" not in html


# --- whole pages kept for visitors without a session (core.caching.shared_page) ---------------------

def statements_for(app, client, url: str) -> tuple[int, str]:
    """(SQL statements, body) of one GET."""
    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda *_args: seen.append(1)  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        body = client.get(url).get_data(as_text=True)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    return len(seen), body


def test_a_kept_page_is_answered_without_loading_the_place_and_every_view_is_counted(app, client, make_place):
    place_id = make_place(slug="kapstok", description="Soep op vrijdag.")
    first, html = statements_for(app, client, "/plek/kapstok")
    again, kept = statements_for(app, client, "/plek/kapstok")
    assert "Soep op vrijdag." in html and "Soep op vrijdag." in kept
    # The second answer asks only for the data version (tests read it on every request), then the
    # views are written: no place, review or rating statement.
    assert first > again
    with app.app_context():
        views = db.session.scalar(sa.select(sa.func.sum(PlaceCounter.page_views))
                                  .where(PlaceCounter.place_id == place_id))
    assert views == 2


def test_an_answer_under_a_review_shows_on_the_next_kept_page(app, client, make_place, reviews_member,
                                                             reviews_review):
    """An answer has no updated_at of its own; its search outbox row changes the data version."""
    place_id = make_place(slug="kapstok")
    member_id = reviews_member(pseudonym="Kees")
    review_id = reviews_review(member_id, place_id, text="<p>Rustig en welkom.</p>")
    assert "Dank je wel, Kees" not in page(client)
    with app.app_context():
        answer, errors = respond_to_review(db.session.get(Member, member_id), db.session.get(Review, review_id),
                                           "Dank je wel, Kees!")
        assert answer is not None, errors
        db.session.commit()
    assert "Dank je wel, Kees!" in page(client)


def test_members_never_get_a_kept_page_nor_leave_theirs_behind(app, client, make_place, reviews_member):
    """A coordinator sees the contact person's own number; nobody else does, whoever asked first."""
    make_place(slug="kapstok", contact_person={"name": "Anja", "phone": "06 1234 5678"})
    assert "Anja" in page(client) and "06 1234 5678" not in page(client)  # kept now, for visitors without a session
    reviews_login(client, reviews_member(role="coordinator", pseudonym="Coordinator"))
    assert "06 1234 5678" in page(client)
    assert "06 1234 5678" in page(client)  # a member's page is built for them each time
    assert "06 1234 5678" not in page(app.test_client())


def test_a_page_that_put_something_in_the_session_is_not_kept(app):
    """A form's CSRF token lives in the visitor's session: such a body is personal, never handed on."""
    from flask_wtf.csrf import generate_csrf

    from ervaringswijzer.core.caching import shared_page

    builds = []

    @app.route("/_test/form")
    def form_page():
        def build():
            builds.append(1)
            return f"<form><input name=csrf_token value={generate_csrf()}></form>", None
        return shared_page("v1", build)[0]

    @app.route("/_test/plain")
    def plain_page():
        def build():
            builds.append(1)
            return "<p>Voor iedereen hetzelfde.</p>", None
        return shared_page("v1", build)[0]

    first, second = app.test_client(), app.test_client()
    assert first.get("/_test/form").get_data(as_text=True) != second.get("/_test/form").get_data(as_text=True)
    assert len(builds) == 2
    for client in (app.test_client(), app.test_client()):
        assert client.get("/_test/plain").get_data(as_text=True) == "<p>Voor iedereen hetzelfde.</p>"
    assert len(builds) == 3  # built once, then kept for the next visitor
    assert first.get("/_test/plain").get_data(as_text=True) == "<p>Voor iedereen hetzelfde.</p>"
    assert len(builds) == 4  # a visitor with a session gets a page built for them

"""Reviews that are pending or hidden are out of reach: no answering, no reporting, no member page without one."""
import pytest

from tests.conftest import reviews_login


@pytest.mark.parametrize("status", ["pending", "hidden"])
def test_place_contact_cannot_read_or_answer_unpublished_review(app, client, make_place, reviews_member,
                                                                reviews_review, status):
    """GET and POST /ervaring/<id>/reageren on a held review give 404 without its text or the writer's name."""
    from ervaringswijzer.accounts.models import PlaceContact
    from ervaringswijzer.extensions import db
    from ervaringswijzer.reviews.models import ReviewResponse

    place_id = make_place()
    writer = reviews_member("member", pseudonym="Verborgen Vera")
    contact = reviews_member("member")
    review_id = reviews_review(writer, place_id, status=status, text="<p>Ik wil er niet meer zijn, geheim.</p>")
    with app.app_context():
        db.session.add(PlaceContact(member_id=contact, place_id=place_id))
        db.session.commit()
    reviews_login(client, contact)
    for response in (client.get(f"/ervaring/{review_id}/reageren"),
                     client.post(f"/ervaring/{review_id}/reageren", data={"text": "Wij reageren graag hierop."})):
        page = response.get_data(as_text=True)
        assert response.status_code == 404
        assert "geheim" not in page and "Verborgen Vera" not in page
    with app.app_context():
        assert db.session.query(ReviewResponse).count() == 0
    assert client.get(f"/ervaring/{review_id}/melden").status_code == 404


def test_member_page_only_for_members_with_a_published_review(app, client, make_place, reviews_member, reviews_review):
    """/lid/<n> is 404 for a member with nothing published (or only a held review), and shows one who has."""
    place_id = make_place()
    silent = reviews_member("member", pseudonym="Stille Sien")
    held = reviews_member("member", pseudonym="Wachtende Wim")
    reviews_review(held, place_id, status="pending")
    writer = reviews_member("member", pseudonym="Schrijver Sam")
    reviews_review(writer, place_id)
    for member_id, name in ((silent, "Stille Sien"), (held, "Wachtende Wim"), (999, "")):
        response = client.get(f"/lid/{member_id}")
        assert response.status_code == 404 and (not name or name not in response.get_data(as_text=True))
    assert "Schrijver Sam" in client.get(f"/lid/{writer}").get_data(as_text=True)

"""Writes that a unique constraint keeps single answer a double submit like a single one, never with a 500."""
import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.maps.shared import SharedMap, SharedMapItem
from ervaringswijzer.places.models import Place, PlaceConfirmation
from ervaringswijzer.reviews.models import Review
from tests.conftest import BACKENDS, REVIEW_FORM, maps_login, reviews_login
from tests.concurrency import at_once, runs_first

SLUG = "huiskamer-de-kapstok-utrecht"
POSTGRES_ONLY = pytest.mark.parametrize("app", [BACKENDS[1]], indirect=True)


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _review_client(app, member_id):
    client = app.test_client()
    reviews_login(client, member_id)
    return client


def test_review_sent_again_while_the_first_is_being_saved_becomes_one_review(app, make_place, reviews_member):
    """Replayed race: the same review is stored by another request just before this one inserts; one row, no 500."""
    place_id = make_place()
    member = reviews_member()
    first, second = _review_client(app, member), _review_client(app, member)
    text = "Tweede keer verstuurd, maar het blijft één ervaring over deze plek."
    with runs_first(app, "review", lambda: first.post(f"/plek/{SLUG}/ervaring", data={**REVIEW_FORM, "text": text})) \
            as fired:
        response = second.post(f"/plek/{SLUG}/ervaring", data={**REVIEW_FORM, "text": text, "calm": "5"},
                               follow_redirects=True)
    assert fired and response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Je ervaring staat op de pagina." in html and text in html
    with app.app_context():
        reviews = list(db.session.scalars(sa.select(Review).where(Review.place_id == place_id)))
        assert [(r.member_id, r.calm, r.status) for r in reviews] == [(member, 5, "published")]  # the later one is an edit


def test_review_sent_twice_in_a_row_is_one_review(app, make_place, reviews_member):
    """Sequential double submit: both answers show the saved review and there is one row."""
    place_id = make_place()
    client = _review_client(app, reviews_member())
    pages = [client.post(f"/plek/{SLUG}/ervaring", data=REVIEW_FORM, follow_redirects=True) for _ in range(2)]
    for page in pages:
        assert page.status_code == 200 and REVIEW_FORM["text"] in page.get_data(as_text=True)
    assert _count(app, Review, Review.place_id == place_id) == 1


@POSTGRES_ONLY
def test_sixteen_identical_reviews_at_once_on_postgresql(app, make_place, reviews_member):
    """16 concurrent posts of one member's review: no 5xx, exactly one row, every answer shows the saved review."""
    place_id = make_place()
    member = reviews_member()
    clients = [_review_client(app, member) for _ in range(16)]
    results = at_once(16, lambda i: clients[i].post(f"/plek/{SLUG}/ervaring", data=REVIEW_FORM,
                                                    follow_redirects=True))
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:2]
    assert [r.status_code for r in results] == [200] * 16
    for response in results:
        html = response.get_data(as_text=True)
        assert "Je ervaring staat op de pagina." in html and REVIEW_FORM["text"] in html
    assert _count(app, Review, Review.place_id == place_id) == 1


def _suggested_place(app, reviews_member) -> tuple[int, int]:
    from ervaringswijzer.places.suggestions import suggest_place

    suggester = reviews_member("peer_expert")
    with app.app_context():
        from ervaringswijzer.accounts.models import Member
        place, errors = suggest_place({"name": "Buurtkamer Zonnestraal", "categories": ["walk_in_centre"],
                                       "address": {"street": "Zonstraat 3", "postcode": "3511 AB",
                                                   "city": "Utrecht"}}, db.session.get(Member, suggester))
        assert not errors, errors
        db.session.commit()
        return place.id, suggester


def test_confirming_twice_counts_once_and_answers_thanks(app, reviews_member):
    """A peer expert's confirmation replayed during its own save, then again: one row, one audit entry, thanks."""
    from ervaringswijzer.moderation.models import AuditEntry

    place_id, _suggester = _suggested_place(app, reviews_member)
    expert = reviews_member("peer_expert")
    first, second = _review_client(app, expert), _review_client(app, expert)
    with runs_first(app, "place_confirmation", lambda: first.post(f"/voorstellen/{place_id}/bevestigen")) as fired:
        answer = second.post(f"/voorstellen/{place_id}/bevestigen", follow_redirects=True)
    again = second.post(f"/voorstellen/{place_id}/bevestigen", follow_redirects=True)
    assert fired
    for response in (answer, again):
        assert response.status_code == 200 and "Dank je wel voor je bevestiging." in response.get_data(as_text=True)
    assert _count(app, PlaceConfirmation, PlaceConfirmation.place_id == place_id) == 1
    assert _count(app, AuditEntry, AuditEntry.action == "place.confirm") == 1
    with app.app_context():
        assert db.session.get(Place, place_id).status == "suggested"


@POSTGRES_ONLY
def test_sixteen_confirmations_at_once_on_postgresql(app, reviews_member):
    """16 concurrent confirmations by one peer expert: no 5xx, one row, the place is still waiting for a second."""
    place_id, _suggester = _suggested_place(app, reviews_member)
    expert = reviews_member("peer_expert")
    clients = [_review_client(app, expert) for _ in range(16)]
    results = at_once(16, lambda i: clients[i].post(f"/voorstellen/{place_id}/bevestigen", follow_redirects=True))
    assert not [r for r in results if isinstance(r, Exception)]
    assert all("Dank je wel voor je bevestiging." in r.get_data(as_text=True) for r in results)
    assert _count(app, PlaceConfirmation, PlaceConfirmation.place_id == place_id) == 1


def _worker_with_map(app, maps_member) -> tuple[int, "object"]:
    maps_member("wijkteam-anna")
    client = app.test_client()
    maps_login(client, "wijkteam-anna")
    response = client.post("/mijn-kaarten", data={"title": "Plekken voor Sam"})
    return int(response.location.rsplit("/", 1)[1]), client


def test_place_added_to_a_map_while_the_same_add_is_saved_is_there_once(app, make_place, maps_member):
    """Replayed race: the same 'Zet op mijn kaart' lands first from another request; one item, a success message."""
    place_id = make_place()
    map_id, client = _worker_with_map(app, maps_member)
    other = app.test_client()
    maps_login(other, "wijkteam-anna")
    with runs_first(app, "shared_map_item",
                    lambda: other.post("/mijn-kaarten/toevoegen", data={"map_id": map_id, "place_id": place_id})) \
            as fired:
        response = client.post("/mijn-kaarten/toevoegen", data={"map_id": map_id, "place_id": place_id},
                               follow_redirects=True)
    assert fired and response.status_code == 200
    assert "1 plek op de kaart ‘Plekken voor Sam’ gezet." in response.get_data(as_text=True)
    assert _count(app, SharedMapItem, SharedMapItem.shared_map_id == map_id) == 1


@POSTGRES_ONLY
def test_sixteen_adds_of_one_place_at_once_on_postgresql(app, make_place, maps_member):
    """16 concurrent adds of the same place to one map: no 5xx and the place is on the map once."""
    place_id = make_place()
    map_id, _client = _worker_with_map(app, maps_member)
    clients = []
    for _ in range(16):
        client = app.test_client()
        maps_login(client, "wijkteam-anna")
        clients.append(client)
    results = at_once(16, lambda i: clients[i].post("/mijn-kaarten/toevoegen",
                                                    data={"map_id": map_id, "place_id": place_id}))
    assert not [r for r in results if isinstance(r, Exception)]
    assert [r.status_code for r in results] == [302] * 16
    assert _count(app, SharedMapItem, SharedMapItem.shared_map_id == map_id) == 1
    with app.app_context():
        assert [i.place_id for i in db.session.get(SharedMap, map_id).items] == [place_id]



def test_report_sent_twice_by_a_member_is_one_report(app, make_place, reviews_member, reviews_review):
    """A member's report of a review, replayed during its own save and then again: one open report, thanks each time."""
    from ervaringswijzer.moderation.models import AuditEntry, ReviewReport

    place_id = make_place()
    review_id = reviews_review(reviews_member(), place_id)
    reporter = reviews_member()
    first, second = _review_client(app, reporter), _review_client(app, reporter)
    form = {"reason": "Hier staat de naam van een medewerker in."}
    with runs_first(app, "review_report", lambda: first.post(f"/ervaring/{review_id}/melden", data=form)) as fired:
        answers = [second.post(f"/ervaring/{review_id}/melden", data=form, follow_redirects=True)]
    answers.append(second.post(f"/ervaring/{review_id}/melden", data=form, follow_redirects=True))
    assert fired
    for response in answers:
        assert "Dank je wel voor je melding." in response.get_data(as_text=True)
    assert _count(app, ReviewReport, ReviewReport.review_id == review_id) == 1
    assert _count(app, AuditEntry, AuditEntry.action == "review.report") == 1


@POSTGRES_ONLY
def test_sixteen_identical_info_reports_at_once_on_postgresql(app, make_place, reviews_member):
    """16 concurrent 'klopt niet' taps by one member: no 5xx, one open report, every answer thanks."""
    from ervaringswijzer.moderation.models import InfoReport

    place_id = make_place()
    member = reviews_member()
    clients = [_review_client(app, member) for _ in range(16)]
    results = at_once(16, lambda i: clients[i].post(f"/plek/{SLUG}/klopt-niet", data={"kind": "hours"},
                                                    follow_redirects=True))
    assert not [r for r in results if isinstance(r, Exception)]
    assert all("Dank je wel! We zoeken het uit" in r.get_data(as_text=True) for r in results)
    assert _count(app, InfoReport, InfoReport.place_id == place_id) == 1

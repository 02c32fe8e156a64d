"""Two editors of one place: the later save never silently overwrites the earlier one (optimistic locking)."""
import threading
import time
from datetime import date

import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.editing import EditConflict, save_edit
from ervaringswijzer.places.forms import PlaceEditForm, edit_place_data
from ervaringswijzer.places.models import Place, PlaceChange
from tests.conftest import reviews_login
from tests.places.test_edit import FULL_FORM, SLUG, URL

CONFLICT = "Iemand anders heeft deze plek net aangepast"
SAME_ADDRESS = {"street": "Gambiaweg 12", "postcode": "3564 BN", "city": "Utrecht"}


@pytest.fixture
def editors(app, reviews_member):
    """Two moderators, each in their own browser."""
    first, second = app.test_client(), app.test_client()
    reviews_login(first, reviews_member("moderator", pseudonym="mod-anna"))
    reviews_login(second, reviews_member("moderator", pseudonym="mod-bram"))
    return first, second


def _version_on_page(html: str) -> str:
    return html.split('id="version" name="version" type="hidden" value="')[1].split('"')[0]


def _stored(app) -> Place:
    with app.app_context():
        place = db.session.scalar(sa.select(Place).where(Place.slug == SLUG))
        db.session.expunge(place)
        return place


def test_second_save_shows_both_versions_and_keeps_what_was_typed(app, editors, make_place):
    """Both open the form; the second save gets a 409 with the field-by-field difference, typed text kept."""
    make_place()
    anna, bram = editors
    version = _version_on_page(anna.get(URL).get_data(as_text=True))
    assert version == _version_on_page(bram.get(URL).get_data(as_text=True)) == "1"

    saved = anna.post(URL, data={**FULL_FORM, **SAME_ADDRESS, "name": "De Kapstok (Anna)", "version": version})
    assert saved.status_code == 302
    answer = bram.post(URL, data={**FULL_FORM, **SAME_ADDRESS, "name": "De Kapstok (Bram)",
                                  "description": "Bram zijn tekst", "version": version})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert CONFLICT in html
    assert ("<tr><th scope=\"row\">Naam van de plek</th><td>De Kapstok (Bram)</td>"
            "<td>De Kapstok (Anna)</td></tr>") in html
    assert html.count('<tr><th scope="row">') == 2  # name, description: not spelling or order
    assert 'value="De Kapstok (Bram)"' in html and "Bram zijn tekst</textarea>" in html
    assert _stored(app).name == "De Kapstok (Anna)"
    assert _version_on_page(html) == "2"

    again = bram.post(URL, data={**FULL_FORM, **SAME_ADDRESS, "name": "De Kapstok (Bram)", "version": "2"})
    assert again.status_code == 302
    assert _stored(app).name == "De Kapstok (Bram)" and _stored(app).version == 3


def test_save_made_while_the_geocoder_answers_is_not_overwritten(app, editors, make_place, geocoder_server):
    """Bram's save waits on the geocoder (transaction ended); Anna saves meanwhile; Bram gets the conflict."""
    app.config.update(GEOCODER_URL=geocoder_server.url, GEOCODER_TIMEOUT=5, GEOCODER_MIN_DELAY=0,
                      GEOCODER_USER_AGENT="Ervaringswijzer-tests/1.0")
    place_id = make_place()
    anna, bram = editors
    answers = {}
    slow = threading.Thread(target=lambda: answers.update(bram=bram.post(URL, data={
        **FULL_FORM, "street": "Traagstraat 1", "name": "Naam van Bram", "version": "1"})))
    slow.start()
    deadline = time.monotonic() + 5
    while not geocoder_server.requests and time.monotonic() < deadline:
        time.sleep(0.02)
    assert geocoder_server.requests, "Bram's save never reached the geocoder"
    assert anna.post(URL, data={**FULL_FORM, **SAME_ADDRESS, "name": "Naam van Anna",
                                "version": "1"}).status_code == 302
    slow.join(10)

    assert answers["bram"].status_code == 409
    assert "Traagstraat 1" in answers["bram"].get_data(as_text=True)
    stored = _stored(app)
    assert (stored.name, stored.street) == ("Naam van Anna", "Gambiaweg")
    with app.app_context():
        authors = db.session.scalars(sa.select(PlaceChange.member_id).where(
            PlaceChange.place_id == place_id, PlaceChange.action == "updated")).all()
    assert len(authors) == 1


def test_update_racing_past_the_check_is_refused_by_the_database(app, make_place):
    """A save that passed the version check but lost the race to another commit raises EditConflict."""
    place_id = make_place()
    data = {**FULL_FORM, **SAME_ADDRESS, "name": "Mijn naam"}
    with app.test_request_context(method="POST", data=data):
        place = db.session.get(Place, place_id)
        assert place.version == 1  # checked and still in memory; no row lock is held
        with db.engine.begin() as other:  # another request commits meanwhile
            other.execute(sa.update(Place.__table__).where(Place.__table__.c.id == place_id)
                          .values(name="Ander", version=2))
        with pytest.raises(EditConflict):
            save_edit(place, edit_place_data(PlaceEditForm(), date.today()), None, version=1)
        db.session.rollback()
        assert db.session.get(Place, place_id).name == "Ander"

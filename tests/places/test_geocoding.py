"""Geocoding through geopy's real HTTP code against a local Nominatim look-alike: answers, failures, cache, CLI."""

import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.geocoding import GeocodeCache, address_query, geocode, geocode_pending
from ervaringswijzer.places.models import Place


@pytest.fixture
def geo_app(app, geocoder_server):
    app.config.update(GEOCODER_URL=geocoder_server.url, GEOCODER_TIMEOUT=0.5, GEOCODER_MIN_DELAY=0,
                      GEOCODER_USER_AGENT="Ervaringswijzer-tests/1.0")
    geocoder_server.requests.clear()
    return app


def pending_place(make_place, **address):
    """A place with an address but no pin yet."""
    data = {"street": "Gambiaweg 12", "postcode": "3564 BN", "city": "Utrecht", "wijk": "Overvecht"}
    data.update(address)
    return make_place(name=f"Plek {data['street']}", address=data, location=None)


def test_address_query_uses_postcode_and_number_alone():
    """Postcode + house number is enough: without a street the query is 'postcode number, city'."""
    assert address_query("", "12", "3564 BN", "Utrecht") == "3564 bn 12, utrecht"
    assert address_query("Gambiaweg", "12", "3564 BN", "Utrecht") == "gambiaweg 12, 3564 bn utrecht"


def test_good_answer_is_used_and_cached(geo_app, geocoder_server):
    """A found address gives lat/lon, sends our User-Agent, and a second lookup comes from the database."""
    with geo_app.app_context():
        first = geocode("Gambiaweg 12, 3564 BN Utrecht")
        second = geocode("  gambiaweg 12,  3564 bn utrecht ")
        cached = db.session.get(GeocodeCache, "gambiaweg 12, 3564 bn utrecht")
    assert (first.status, first.lat, first.lon, first.cached) == ("ok", 52.0907, 5.1214, False)
    assert second.cached and second.lat == 52.0907
    assert cached.found and cached.display_name == "Utrecht, Nederland"
    assert len(geocoder_server.requests) == 1
    request = geocoder_server.requests[0]
    assert request["path"] == "/search"
    assert request["user_agent"] == "Ervaringswijzer-tests/1.0"
    assert request["params"]["countrycodes"] == "nl"


def test_empty_answer_is_not_found_and_remembered(geo_app, geocoder_server):
    """An empty list means 'no such address': reported as not_found and cached as such."""
    with geo_app.app_context():
        result = geocode("Leegstraat 1, Utrecht")
        again = geocode("Leegstraat 1, Utrecht")
    assert result.status == "not_found" and "niet vinden" in result.message
    assert again.status == "not_found" and again.cached
    assert len(geocoder_server.requests) == 1


@pytest.mark.parametrize("street, detail", [
    ("Kapotstraat 1", "GeocoderServiceError"),
    ("Onzinweg 3", "GeocoderParseError"),
    ("Drukstraat 5", "GeocoderRateLimited"),
])
def test_service_failures_are_errors_and_not_cached(geo_app, geocoder_server, street, detail):
    """HTTP 500, malformed JSON and 429 give status 'error' with a plain message; nothing is cached."""
    with geo_app.app_context():
        result = geocode(f"{street}, Utrecht")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(GeocodeCache)) == 0
    assert result.status == "error" and result.detail == detail
    assert "later vanzelf op de kaart" in result.message


def test_timeout_is_an_error_within_the_timeout(geo_app, geocoder_server):
    """A slow service is given up on after GEOCODER_TIMEOUT seconds, without raising."""
    with geo_app.app_context():
        result = geocode("Traagweg 9, Utrecht")
    # The server does answer, with a good result, after SLOW_SECONDS: an error proves the wait was cut off.
    assert result.status == "error" and result.detail in ("GeocoderTimedOut", "GeocoderUnavailable")
    assert len(geocoder_server.requests) == 1  # one attempt, no hidden retries


def test_unreachable_service_keeps_the_place_pending(app, make_place):
    """With nothing listening on the geocoder port, geocode pending leaves the place saved and pending."""
    app.config.update(GEOCODER_URL="http://127.0.0.1:9", GEOCODER_TIMEOUT=0.5, GEOCODER_MIN_DELAY=0)
    place_id = pending_place(make_place)
    with app.app_context():
        counts = geocode_pending()
        place = db.session.get(Place, place_id)
        assert (place.location_status, place.lat, place.name) == ("pending", None, "Plek Gambiaweg 12")
    assert counts == {"ok": 0, "not_found": 0, "error": 1}


def test_cli_geocodes_pending_places_and_leaves_failures_for_later(geo_app, make_place):
    """`flask geocode pending` pins found places, marks unknown ones, and keeps failed ones pending."""
    found = pending_place(make_place, street="Gambiaweg 12")
    unknown = pending_place(make_place, street="Leegstraat 1")
    broken = pending_place(make_place, street="Kapotstraat 1")
    manual = make_place(name="Met de hand", location={"lat": 52.2, "lon": 5.2})
    result = geo_app.test_cli_runner().invoke(args=["geocode", "pending"])
    assert result.exit_code == 0, result.output
    assert "1 gevonden, 1 niet gevonden, 1 nog in de wacht" in result.output
    with geo_app.app_context():
        rows = {p.id: p for p in db.session.scalars(sa.select(Place))}
    assert (rows[found].location_status, rows[found].lat, rows[found].lon) == ("ok", 52.0907, 5.1214)
    assert (rows[unknown].location_status, rows[unknown].lat) == ("not_found", None)
    assert (rows[broken].location_status, rows[broken].lat) == ("pending", None)
    assert (rows[manual].location_status, rows[manual].lat) == ("manual", 52.2)


def test_address_change_clears_the_pin_until_geocoded(geo_app, make_place):
    """Changing the address makes the location pending again; geocoding then sets the new pin."""
    from ervaringswijzer.places.services import upsert_place

    place_id = make_place(slug="verhuisd", location={"lat": 52.0, "lon": 5.0})
    with geo_app.app_context():
        place, errors, _ = upsert_place({"slug": "verhuisd", "name": "Huiskamer De Kapstok",
                                         "categories": ["walk_in_centre"],
                                         "address": {"street": "Nieuwe Gracht 3", "postcode": "3512 LB",
                                                     "city": "Utrecht"}})
        assert not errors
        db.session.commit()
        assert (place.location_status, place.lat) == ("pending", None)
        geocode_pending()
        place = db.session.get(Place, place_id)
        assert (place.location_status, place.lat) == ("ok", 52.0907)

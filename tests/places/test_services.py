"""Validation and storage of places."""
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place
from ervaringswijzer.places.services import split_street, upsert_place, validate_place_data


def test_split_street_keeps_number_and_suffix():
    """A street line splits into street and house number, suffixes included."""
    assert split_street("Gambiaweg 12") == ("Gambiaweg", "12")
    assert split_street("Lange  Nieuwstraat 7 A") == ("Lange Nieuwstraat", "7 A")
    assert split_street("Oudegracht 245-bis") == ("Oudegracht", "245-bis")
    assert split_street("Plein 1944 3") == ("Plein 1944", "3")
    assert split_street("Stationsplein") == ("Stationsplein", "")


def test_validation_reports_every_bad_field():
    """Unknown categories and flags, a bad postcode and bad hours are each named."""
    _clean, errors = validate_place_data({
        "name": "", "categories": ["pub"], "flags": {"walk_in": "ja", "dogs": True},
        "address": {"postcode": "ABC"}, "opening_hours": "Mo-Fx 10:00-12:00",
        "participation_rung": 9, "contact": {"email": "nope", "website": "javascript:alert(1)"},
    })
    assert set(errors) >= {"name", "categories", "flags", "flags.walk_in", "address.postcode",
                           "opening_hours", "participation_rung", "contact.email", "contact.website"}
    assert "pub" in errors["categories"]


def test_upsert_by_slug_updates_instead_of_adding(ctx):
    """Importing the same slug twice changes the place and adds no twin."""
    data = {"slug": "de-kapstok", "name": "De Kapstok", "categories": ["walk_in_centre"]}
    first, errors, created = upsert_place(data)
    assert not errors and created
    second, errors, created = upsert_place({**data, "name": "De Kapstok (nieuw)"})
    assert not errors and not created and second.id == first.id
    db.session.commit()
    names = db.session.scalars(sa.select(Place.name)).all()
    assert names == ["De Kapstok (nieuw)"]


def test_new_place_without_location_waits_for_geocoding(ctx):
    """A place without a pin is stored with its location pending, never lost."""
    place, errors, _ = upsert_place({"name": "Buurthuis Zuilen", "categories": ["community_centre"],
                                     "address": {"street": "Prins Hendriklaan 4", "city": "Utrecht"}})
    assert not errors
    assert place.location_status == "pending" and place.lat is None
    assert place.slug == "buurthuis-zuilen-utrecht"
    assert (place.street, place.house_number) == ("Prins Hendriklaan", "4")

"""Opening hours typed the Dutch way become OSM syntax; what cannot be read gets a plain Dutch message."""
import pytest

from ervaringswijzer.places.dutch_hours import dutch_to_osm, hours_from_input
from ervaringswijzer.places.hours import HoursError


@pytest.mark.parametrize(("typed", "stored"), [
    ("ma-vr 9-17", "Mo-Fr 09:00-17:00"),
    ("zo 17:00-19:00", "Su 17:00-19:00"),
    ("dagelijks 10-16", "Mo-Su 10:00-16:00"),
    ("ma t/m vr 9:00 tot 17:00", "Mo-Fr 09:00-17:00"),
    ("za en zo 10-14", "Sa,Su 10:00-14:00"),
    ("maandag 9-12 en 13-17", "Mo 09:00-12:00,13:00-17:00"),
    ("ma-vr 9-17; za 10-14", "Mo-Fr 09:00-17:00; Sa 10:00-14:00"),
    ("ma-vr 9-17, za 10-14", "Mo-Fr 09:00-17:00; Sa 10:00-14:00"),
    ("ma-vr 9-17\nza 10-14", "Mo-Fr 09:00-17:00; Sa 10:00-14:00"),
    ("ma, wo en vr 9.30-12.00", "Mo,We,Fr 09:30-12:00"),
    ("Maandag tot en met vrijdag 9 - 17 uur", "Mo-Fr 09:00-17:00"),
    ("werkdagen van 9 tot 5 uur", "Mo-Fr 09:00-17:00"),
    ("elke dag 10:00-16:00", "Mo-Su 10:00-16:00"),
    ("weekend 11-15", "Sa,Su 11:00-15:00"),
    ("vr 20-2", "Fr 20:00-02:00"),
    ("di: 13-17", "Tu 13:00-17:00"),
    ("ma-vr 9-17; zo gesloten", "Mo-Fr 09:00-17:00; Su closed"),
    ("ma-vr 9-17; feestdagen gesloten", "Mo-Fr 09:00-17:00; PH closed"),
    ("Mo-Fr 09:00-17:00", "Mo-Fr 09:00-17:00"),
    ("", None),
])
def test_typed_hours_are_stored_as_osm(typed, stored):
    """Dutch shapes are converted; OSM stays as it is; empty means unknown."""
    assert hours_from_input(typed) == stored


@pytest.mark.parametrize(("typed", "words"), [
    ("ma-vr 9-17 koffie", "begrijpen we niet"),
    ("ma 25-26", '"25" is geen tijd'),
    ("9-17 ma-vr", "begrijpen we niet"),
])
def test_unreadable_dutch_gets_a_plain_dutch_message(typed, words):
    """Dutch hours we cannot read whole are refused with a Dutch message and an example."""
    with pytest.raises(HoursError) as caught:
        hours_from_input(typed)
    assert words in caught.value.message and "ma-vr 9-17" in caught.value.message


def test_osm_errors_stay_osm_errors():
    """Text without Dutch day words keeps the OSM parser's own hint."""
    assert dutch_to_osm("Mo-Fr 25:00-26:00") is None
    with pytest.raises(HoursError) as caught:
        hours_from_input("Mo-Fr 9.00-17.00")
    assert "dubbele punt" in caught.value.message


def test_form_stores_the_osm_expression(app, make_place):
    """A place saved with 'ma-vr 9-17' keeps the OSM expression, so exports stay OSM."""
    from ervaringswijzer.extensions import db
    from ervaringswijzer.places.models import Place

    pid = make_place(opening_hours="ma t/m vr 9:00 tot 17:00")
    with app.app_context():
        assert db.session.get(Place, pid).opening_hours == "Mo-Fr 09:00-17:00"

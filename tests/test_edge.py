"""Hostile values that once broke a page now get the plain answer: a 404, a 400 or a Dutch message, and nothing is lost."""
import pytest
import sqlalchemy as sa

from ervaringswijzer.edge import MAX_ID, parse_id, safe_next
from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place
from ervaringswijzer.places.services import validate_place_data
from tests.conftest import reviews_login
from tests.places.test_edit import FULL_FORM, SLUG, URL

BIG_IDS = ["2147483648", "9223372036854775808", "18446744073709551616", "9" * 400]


@pytest.mark.parametrize("value, expected", [
    ("1", 1), ("2147483647", MAX_ID), (str(MAX_ID + 1), None), ("9223372036854775808", None), ("0", None),
    ("-1", None), ("²", None), ("١", None), ("1.5", None), (" 7", None), ("", None), (None, None), (42, 42),
    (True, None), ("9" * 5000, None)])
def test_parse_id_takes_only_ascii_whole_numbers_in_range(value, expected):
    """'²' and Arabic-Indic digits pass str.isdigit(); they, and ids past 2^31 - 1, are not ids."""
    assert parse_id(value) == expected


@pytest.mark.parametrize("target", [
    "/plekken\r\nSet-Cookie: x=1", "/a\nb", "//evil.example", "/\\evil.example", "https://evil.example/",
    "javascript:alert(1)", "/" + "a" * 600, "plekken", "", None, "/\t/evil.example"])
def test_safe_next_refuses_other_sites_control_characters_and_long_targets(target):
    """Only a single-line, same-site, bounded path is followed; everything else goes to the default."""
    assert safe_next(target, "/") == "/"


def test_safe_next_keeps_a_normal_path_with_its_query():
    """A plain path with query and fragment is followed unchanged."""
    assert safe_next("/plekken?q=koffie&city=Utrecht#lijst", "/") == "/plekken?q=koffie&city=Utrecht#lijst"


@pytest.mark.parametrize("big", BIG_IDS)
def test_api_answers_a_json_404_for_ids_past_the_column(client, big):
    """The API contract: an unknown id, however large, is a 404 JSON error, not a 500."""
    response = client.get(f"/api/v1/places/{big}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert response.get_json()["error"]["message"]


@pytest.mark.parametrize("path", [f"/lid/{BIG_IDS[1]}", "/lid/-1", "/lid/0", "/plek/a%00b", "/kaart/Utr%00echt"])
def test_pages_with_impossible_ids_or_nul_in_the_path_are_plain_404s(client, path):
    """Ids out of range and NUL bytes in a path segment never reach a view: the Dutch 404 page."""
    response = client.get(path)
    assert response.status_code == 404
    assert "niet gevonden" in response.get_data(as_text=True).lower()


@pytest.mark.parametrize("at", ["9999-12-31", "0001-01-01", "2100-01-01T00:00:00"])
def test_api_refuses_dates_outside_the_window_naming_the_parameter(client, make_place, at):
    """at=9999-12-31 overflowed the opening-hours code; now it is a 400 that names 'at'."""
    place_id = make_place()
    for url in (f"/api/v1/places?at={at}", f"/api/v1/places/{place_id}?at={at}"):
        response = client.get(url)
        assert response.status_code == 400
        assert response.get_json()["error"]["message"].startswith("at:")


def test_list_and_map_pages_answer_for_a_far_date(client, make_place):
    """The anonymous list and map pages with at=9999-12-31 still show the place (the date is ignored)."""
    make_place()
    for url in ("/plekken?at=9999-12-31", "/kaart?at=9999-12-31"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Huiskamer De Kapstok" in response.get_data(as_text=True)


def test_login_with_a_crlf_next_lands_home(client, reviews_member):
    """After a good login, a next target with CR/LF (header injection) is replaced by the home page."""
    reviews_member("member", pseudonym="lid-lotte")
    response = client.post("/inloggen?next=/plekken%0d%0aSet-Cookie:%20x=1",
                           data={"pseudonym": "lid-lotte", "password": "wachtwoord-123"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "x=1" not in response.headers.get("Set-Cookie", "")


def test_nul_bytes_are_removed_from_form_fields_and_stored_text(app, client, make_place, reviews_member):
    """A NUL in a place name and a login pseudonym is dropped at the edge (PostgreSQL refuses NUL)."""
    place_id = make_place()
    reviews_login(client, reviews_member("moderator", pseudonym="mod-nina"))
    response = client.post(URL, data={**FULL_FORM, "name": "De\x00 Kapstok", "street": "Gambiaweg 12",
                                      "postcode": "3564 BN"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Place, place_id).name == "De Kapstok"
    reviews_login(client, None)
    page = client.post("/inloggen", data={"pseudonym": "mod-\x00nina", "password": "fout-fout-fout"})
    assert page.status_code == 200 and "klopt niet" in page.get_data(as_text=True)
    assert client.get("/plekken?q=kap\x00stok&city=Utr\x00echt").status_code == 200


@pytest.mark.parametrize("field, key, limit", [
    ("contact_name", "contact_person.name", 100), ("contact_role", "contact_person.role", 100),
    ("first_quiet_times", "first_visit.quiet_times", 200), ("first_busy_times", "first_visit.busy_times", 200)])
def test_edit_form_refuses_text_longer_than_its_column_and_keeps_it(app, client, make_place, reviews_member,
                                                                     field, key, limit):
    """One character past the column is a Dutch message on that field; everything typed stays in the form."""
    make_place()
    reviews_login(client, reviews_member("moderator", pseudonym="mod-otto"))
    too_long = "w" * (limit + 1)
    response = client.post(URL, data={**FULL_FORM, field: too_long})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"is te lang (hoogstens {limit} tekens)" in html
    assert too_long in html and "Huiskamer De Kapstok Noord" in html
    ok = client.post(URL, data={**FULL_FORM, field: "w" * limit})
    assert ok.status_code == 302


def test_house_number_and_languages_fit_their_columns():
    """A 21-character house number and 26 language codes are refused with a message, not by the database."""
    base = {"name": "Plek", "categories": ["sport"], "address": {"street": "Lange weg " + "1" * 21}}
    _clean, errors = validate_place_data(base)
    assert errors["address.street"] == "het huisnummer is te lang (hoogstens 20 tekens)"
    _clean, errors = validate_place_data({**base, "address": {"street": "Lange weg 1"},
                                          "languages": [f"x{chr(97 + i)}{chr(97 + i)}" for i in range(26)]})
    assert errors["languages"].startswith("te veel talen")


def test_pin_form_refuses_snan_with_a_message(app, client, make_place, reviews_member):
    """lat=sNaN (a Decimal that cannot be compared) gives a Dutch message and keeps the other value."""
    make_place()
    reviews_login(client, reviews_member("moderator", pseudonym="mod-pim"))
    response = client.post(f"/plek/{SLUG}/speld", data={"lat": "sNaN", "lon": "5.12142"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vul een gewoon getal in" in html and 'value="5.12142"' in html


def test_shared_map_expiry_past_the_window_is_a_message(app, client, reviews_member):
    """A map that 'works until 9999-12-31' gets a message with the allowed window; the title stays."""
    reviews_login(client, reviews_member("social_worker", pseudonym="sw-sam"))
    response = client.post("/mijn-kaarten", data={"title": "Kaart voor Sam", "expires_on": "9999-12-31"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kies een datum tussen 2000-01-01 en 2099-12-31." in html and 'value="Kaart voor Sam"' in html
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM shared_map")) == 0

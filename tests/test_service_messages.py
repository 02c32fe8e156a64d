"""Messages made by the service layer (accounts, places, opening hours) reach an English visitor in English
and a Dutch visitor in Dutch; without a request (import, CLI) they stay Dutch."""
import re

from ervaringswijzer.places.hours import HoursError, normalize_hours
from ervaringswijzer.places.services import validate_place_data

from tests.conftest import reviews_login

BAD_PLACE = {"name": "De Kapstok", "category": "walk_in_centre", "city": "Utrecht", "postcode": "35",
             "website": "kapstok.nl", "opening_hours": "Mo-Fr 10:00-16:00; SH off"}


def _errors(html: str) -> list[str]:
    return [m.strip() for m in re.findall(r'class="field-error"[^>]*>([^<]*)<', html)]


def test_english_visitor_reads_service_messages_in_english(client, reviews_member):
    """Registration, a suggested place with a bad postcode, website and hours, and a wrong password: all English."""
    client.get("/?lang=en")
    html = client.post("/aanmelden", data={"pseudonym": "eva@@@", "password": "lang-genoeg-wachtwoord-123"}).get_data(as_text=True)
    assert "Choose a pseudonym of 3 to 40 letters, digits or spaces." in _errors(html)

    reviews_login(client, reviews_member("peer_expert", pseudonym="ervaren-eva"))
    client.get("/?lang=en")
    errors = _errors(client.post("/plek-voorstellen", data=BAD_PLACE).get_data(as_text=True))
    assert "a postcode is four digits and two letters, like 3564 BN" in errors
    assert "a website starts with http:// or https://" in errors
    assert any(e.startswith("We cannot use school holidays (SH).") for e in errors), errors
    html = client.post("/account", data={"current": "fout-wachtwoord", "new": "nieuw-lang-wachtwoord-42"}).get_data(as_text=True)
    assert "Your current password is not right." in _errors(html)

    client.get("/?lang=nl")
    errors = _errors(client.post("/plek-voorstellen", data=BAD_PLACE).get_data(as_text=True))
    assert "een postcode is vier cijfers en twee letters, zoals 3564 BN" in errors


def test_without_a_request_messages_stay_dutch(ctx):
    """An import or a CLI command has no visitor: the messages are the Dutch source text."""
    try:
        normalize_hours("Mo-Fr 25:00-16:00")
    except HoursError as exc:
        assert str(exc.message).startswith("De openingstijden kloppen niet vanaf teken")
    _clean, errors = validate_place_data({"name": "Plek", "categories": ["sport"], "address": {"postcode": "35"}})
    assert str(errors["address.postcode"]) == "een postcode is vier cijfers en twee letters, zoals 3564 BN"

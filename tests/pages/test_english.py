"""English only when asked (?lang=en, then kept in the session), and then really English."""
import re

import pytest

from tests.conftest import REVIEW_FORM, reviews_login

from ervaringswijzer.extensions import db as _db
from tests.conftest import TRANSLATIONS


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def assert_english(html: str, english: tuple[str, ...], dutch: tuple[str, ...]) -> None:
    assert html_lang(html) == "en"
    for text in english:
        assert text in html, f"missing English text {text!r}"
    for text in dutch:
        assert text not in html, f"Dutch text {text!r} still on the English page"


def test_home_in_english(demo_client):
    html = demo_client.get("/?lang=en").get_data(as_text=True)
    assert_english(
        html,
        english=("Places where you are welcome", "What are you looking for?", "Walk-in & living room",
                 "Day activities", "Skip to content", "About us", "113 Zelfmoordpreventie",
                 "0800-0113", 'hreflang="nl">Nederlands</a>'),
        dutch=("Plekken waar je welkom bent", "Wat zoek je?", "Inloop & huiskamer", "Dagbesteding",
               "Ga naar de inhoud", "Over ons", "dag en nacht", ">English</a>"),
    )
    assert re.search(r"\d+ places\b", html)


def test_place_list_in_english(demo_client):
    html = demo_client.get("/plekken?lang=en").get_data(as_text=True)
    assert_english(
        html,
        english=("Filters", "What matters to you?", "All neighbourhoods", "Show places", "Next"),
        dutch=("Wat is belangrijk?", "Alle wijken", "Toon plekken", "Volgende", "plekken gevonden"),
    )
    assert re.search(r"\d+ places found", html)


def test_place_page_in_english(client, make_place):
    make_place(name="Huiskamer De Kapstok", opening_hours=None)
    html = client.get("/plek/huiskamer-de-kapstok-utrecht?lang=en").get_data(as_text=True)
    assert_english(
        html,
        english=("Address and contact", "Neighbourhood: Overvecht", "Walk in without an appointment",
                 "Opening hours unknown — give them a call", "Back to all places"),
        dutch=("Adres en contact", "Wijk: Overvecht", "Binnenlopen zonder afspraak", "bel even",
               "Terug naar alle plekken"),
    )
    # What places wrote about themselves stays as written.
    assert "Koffie, thee en een praatje." in html


def test_decimals_follow_the_language(client, make_place, reviews_member, reviews_review):
    """An average of 3.5 reads '3,5 van 5' in Dutch and '3.5 out of 5' in English."""
    place_id = make_place(name="Huiskamer De Kapstok")
    reviews_review(reviews_member(), place_id, welcome=3)
    reviews_review(reviews_member(), place_id, welcome=4)
    dutch = client.get("/plek/huiskamer-de-kapstok-utrecht").get_data(as_text=True)
    assert ">3,5 van 5<" in dutch
    english = client.get("/plek/huiskamer-de-kapstok-utrecht?lang=en").get_data(as_text=True)
    assert ">3.5 out of 5<" in english and "3,5" not in english


def test_crisis_help_is_whole_sentences(client, make_place, reviews_member):
    """After a worrying review the help lines read as whole sentences, the phone links unchanged, in both languages."""
    make_place(name="Huiskamer De Kapstok")
    crisis = {**REVIEW_FORM, "text": "Fijne mensen, maar ik zie het niet meer zitten de laatste tijd."}
    reviews_login(client, reviews_member())
    dutch = client.post("/plek/huiskamer-de-kapstok-utrecht/ervaring", data=crisis).get_data(as_text=True)
    assert 'bel <a href="tel:08000113">0800-0113</a> (gratis, dag en nacht) of chat via 113.nl.' in dutch
    assert '<strong>Direct gevaar?</strong> Bel <a href="tel:112">112</a>.' in dutch
    reviews_login(client, reviews_member())
    html = client.post("/plek/huiskamer-de-kapstok-utrecht/ervaring?lang=en", data=crisis).get_data(as_text=True)
    assert 'call <a href="tel:08000113">0800-0113</a> (free, day and night) or chat at 113.nl.' in html
    assert '<strong>In danger right now?</strong> Call <a href="tel:112">112</a>.' in html


def test_map_popups_get_both_words_for_experiences(demo_client):
    """The map script picks '1 experience' or '2 experiences'; the page hands it both words, translated."""
    dutch = demo_client.get("/kaart/Utrecht").get_data(as_text=True)
    assert 'data-label-review="ervaring" data-label-reviews="ervaringen"' in dutch
    english = demo_client.get("/kaart/Utrecht?lang=en").get_data(as_text=True)
    assert 'data-label-review="experience" data-label-reviews="experiences"' in english


def test_about_in_english(client):
    html = client.get("/over?lang=en").get_data(as_text=True)
    assert_english(
        html,
        english=("About Ervaringswijzer", "How do the experiences work?", "pseudonym", "We do not track you"),
        dutch=("Over Ervaringswijzer", "Hoe werken de ervaringen?", "schuilnaam", "We volgen je niet"),
    )


def test_login_in_english(client):
    html = client.get("/inloggen?lang=en").get_data(as_text=True)
    assert_english(
        html,
        english=("Log in", "Pseudonym", "Password", "No account yet?", "Sign up"),
        dutch=("Inloggen", "Schuilnaam", "Wachtwoord", "Nog geen account?", "Meld je aan"),
    )


def test_dutch_unless_asked_then_remembered(client):
    """Accept-Language does not switch; ?lang=en does, and the session keeps it until ?lang=nl."""
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert html_lang(html) == "nl" and "Plekken waar je welkom bent" in html
    assert 'href="/?lang=en" lang="en" hreflang="en">English</a>' in html

    client.get("/?lang=en")
    html = client.get("/over").get_data(as_text=True)
    assert html_lang(html) == "en" and "About Ervaringswijzer" in html

    client.get("/?lang=xx")  # unknown languages are ignored, the choice stays
    assert html_lang(client.get("/over").get_data(as_text=True)) == "en"

    client.get("/over?lang=nl")
    html = client.get("/over").get_data(as_text=True)
    assert html_lang(html) == "nl" and "Over Ervaringswijzer" in html


def test_language_link_keeps_the_search(demo_client):
    html = demo_client.get("/plekken?q=koffie&city=Utrecht").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" lang="en" hreflang="en">English</a>', html).group(1)
    assert link.startswith("/plekken?") and "q=koffie" in link and "city=Utrecht" in link and "lang=en" in link


def test_no_english_claimed_without_a_catalog(tmp_path):
    """Without a compiled catalog the site stays Dutch, says so, and does not offer English."""
    from ervaringswijzer import create_app

    from ..conftest import base_config

    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'unused.sqlite'}")
    config["BABEL_TRANSLATION_DIRECTORIES"] = str(tmp_path / "no-translations")
    app = create_app(config)
    try:
        html = app.test_client().get("/over?lang=en").get_data(as_text=True)
    finally:
        with app.app_context():  # Python 3.13 warns about SQLite connections left to the collector
            _db.engine.dispose()
    assert html_lang(html) == "nl" and "Over Ervaringswijzer" in html
    assert ">English</a>" not in html


@pytest.mark.parametrize("po", sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")), ids=lambda p: p.parts[-3])
def test_catalog_is_complete(po):
    """Every message translated, none fuzzy, placeholders and plural forms kept."""
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert not problems, f"untranslated or fuzzy in {po.name}: {problems}"
    broken = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
    assert not broken, broken

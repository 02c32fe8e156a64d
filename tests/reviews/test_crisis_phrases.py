"""The crisis check on phrases: how people really say it is held, everyday Dutch passes. Plain functions, no app."""
import pytest

from ervaringswijzer.reviews.crisis import crisis_matches, find, parse_list, phrase_problem, tokens
from tests.reviews.crisis_texts import HELD, PASS


def test_the_sets_are_large_and_distinct():
    """At least 60 texts of each kind, none in both."""
    assert len(HELD) >= 60 and len(PASS) >= 60
    assert not set(HELD) & set(PASS)


@pytest.mark.parametrize("text", HELD)
def test_held(text):
    """Each way of saying it that a peer might write is found."""
    assert crisis_matches(text), text


@pytest.mark.parametrize("text", PASS)
def test_passes(text):
    """Everyday Dutch with death words, trains and endings is not held."""
    assert crisis_matches(text) == [], text


def test_spelling_variants_of_one_phrase():
    """Capitals, no diacritics or extra ones, split and hyphenated compounds, words in between all match."""
    for text in ("ZELFMOORD", "Zelfmóórd", "zelf moord", "zelf-moord", "Zelf Moord Gedachten", "suïcidaal",
                 "suicidaal", "Ik zie het écht niet meer zitten", "ik zie het nu echt niet meer zitten",
                 "ik ben bang dat ik mezelf iets aan doe"):
        assert crisis_matches(text), text


def test_a_phrase_never_spans_two_sentences():
    """Punctuation ends a sentence: 'wil. Dood' is two thoughts."""
    assert crisis_matches("Ik wil dood.") and not crisis_matches("Wat ik wil? Dood gewone koffie.")
    assert tokens("Zelf-móórd? Nee.") == [["zelf", "moord"], ["nee"]]


def test_groups_alternatives_and_negatives_in_a_list():
    """@GROUP, a|b, * and !not-next work in any list, and a broken line is reported, not crashed on."""
    phrases, macros = parse_list(["@ZIJN = ben|is|was", "heel|erg verdrietig @ZIJN", "wil dood !graag", "angst*"])
    assert find(phrases, "Ik ben ERG verdrietig, echt waar") == []  # wrong order
    assert find(phrases, "heel verdrietig en dat is zo") == ["heel verdrietig en dat is"]  # three words between
    assert find(phrases, "heel verdrietig en toen ging het is") == []  # four is too far
    assert find(phrases, "ik was erg verdrietig") == []
    assert find(phrases, "erg verdrietig was ik") == ["erg verdrietig was"]
    assert find(phrases, "wil dood") == ["wil dood"] and find(phrases, "wil dood graag") == []
    assert find(phrases, "angstaanvallen") == ["angstaanvallen"]
    assert phrase_problem("@ONBEKEND dood") and phrase_problem("!niet eerst")
    assert phrase_problem("wil|wou niet meer @WIL") is None


def test_an_own_list_file_replaces_the_shipped_one(tmp_path):
    """EW_REVIEW_CRISIS_WORDS_FILE: only that list counts; extra lines are added to it."""
    words = tmp_path / "woorden.txt"
    words.write_text("# eigen lijst\nheel verdrietig\n", encoding="utf-8")
    assert crisis_matches("ik ben héél verdrietig", words) == ["heel verdrietig"]
    assert crisis_matches("zelfmoord", words) == []
    assert crisis_matches("ik zit in de put", words, extra=["zit in de put", "@KAPOT broken"]) == ["zit in de put"]

"""Stored keys as plain words, without a request: history lines, audit sentences, language names."""
from ervaringswijzer.places.wording import audit_text, change_lines, language_names, value_text


def test_history_lines_use_labels_and_words():
    """Field names become Dutch labels, True becomes 'ja', status keys and categories become words."""
    lines = change_lines({"location_status": [None, "manual"], "first_coffee_free": [None, True],
                          "walk_in": [True, False], "street": ["Markt 1", "Breestraat 2"],
                          "categories": [[], ["sport"]], "status": ["pending", "published"]})
    assert lines == ["Plek op de kaart: — → zelf op de kaart gezet", "Eerste kop koffie gratis: — → ja",
                     "Binnenlopen zonder afspraak: ja → nee", "Straat: Markt 1 → Breestraat 2",
                     "Soort plek: — → Sport & bewegen", "Status: wacht op controle → gepubliceerd"]
    assert value_text("unknown_field", False) == "nee" and value_text("name", "") == "—"


def test_language_codes_become_names_in_the_page_language():
    """'nl,en' reads 'Nederlands, Engels' on a Dutch page and 'Dutch, English' on an English one."""
    assert language_names(["nl", "en", "ar"], "nl") == ["Nederlands", "Engels", "Arabisch"]
    assert language_names(["nl", "en"], "en") == ["Dutch", "English"]
    assert language_names(["xx", " "], "nl") == ["xx"]
    assert value_text("languages", "nl,en") == "Nederlands, Engels"


def test_audit_sentences_name_roles_and_statuses():
    """A role change reads 'Rol van lid 7: lid → ervaringsdeskundige'; unknown actions stay readable."""
    assert audit_text("member.role", 7, {"before": "member", "after": "peer_expert"}) == \
        "Rol van lid 7: lid → ervaringsdeskundige"
    assert audit_text("review.hide", 3, {"before": "published", "after": "hidden"}) == \
        "Ervaring 3 verborgen: gepubliceerd → verborgen"
    assert audit_text("place.report", 4, {"kind": "hours"}) == "Fout gemeld bij plek 4 (openingstijden kloppen niet)"
    assert audit_text("something.new", 5, None) == "something.new 5"

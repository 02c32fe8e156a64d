"""Accent folding is one definition, shared by the search index, queries, filters and crisis words."""
from ervaringswijzer.reviews.crisis import crisis_matches
from ervaringswijzer.search.analysis import exact_analyzer, words
from ervaringswijzer.text import fold

# Precomposed and decomposed accents, a Dutch ĳ ligature, letters without a decomposition.
TRICKY = "Café Cafe\u0301 ĳsbaan Øvre Łódź naïef coöperatie ﬁets"


def test_fold_takes_off_accents_of_every_kind():
    """Decomposed accents, ligatures and letters like ø and ł all fold to plain letters."""
    assert fold(TRICKY) == "cafe cafe ijsbaan ovre lodz naief cooperatie fiets"
    assert fold("Huiskamer De Kapstok") == "huiskamer de kapstok"


def test_index_words_equal_query_words():
    """The analyzer that builds the index folds a text into the same words as a query does."""
    indexed = [token.text for token in exact_analyzer()(TRICKY)]
    assert indexed == words(TRICKY) == ["cafe", "cafe", "ijsbaan", "ovre", "lodz", "naief", "cooperatie", "fiets"]


def test_crisis_words_fold_like_search(tmp_path):
    """A crisis phrase written with a decomposed accent is still found."""
    words_file = tmp_path / "words.txt"
    words_file.write_text("zelfmoord\n", encoding="utf-8")
    assert crisis_matches("Ik denk aan zelfmo\u0301o\u0301rd", words_file) == ["zelfmoord"]

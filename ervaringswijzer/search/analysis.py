"""Dutch text analysis for the index and for queries: folding, stemming, stop words, synonyms (no Flask)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from whoosh.analysis import Filter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stopwords_for_language

from ..text import fold

SYNONYM_FILE = Path(__file__).with_name("synonyms.txt")
# Words are letters and digits; "repair-café" and "a&b" fall apart into words, as a reader would.
WORD = re.compile(r"\w+", re.UNICODE)
# Whoosh's Dutch list plus the words every search for a place contains ("waar wil ik een plek zoeken").
STOP_WORDS = frozenset(stopwords_for_language("nl")) | {"wil", "waar", "zoek", "plek", "plekken"}


# Section weights travel inside the text as a mark the tokenizer keeps whole: U+E000 (a private-use
# character, never a word character) and the weight in hundredths. Text from places, suggestions and
# reviews goes through plain_text(), which takes that character out, so no user text can set a weight.
BOOST_CHAR = "\ue000"
TOKEN_PATTERN = BOOST_CHAR + r"[0-9]+|\w+"
_BOOST_TOKEN = re.compile(BOOST_CHAR + r"([0-9]+)")


def boost_mark(boost: float) -> str:
    return f" {BOOST_CHAR}{round(boost * 100)} "


def plain_text(text: str | None) -> str:
    """User text as it may enter the index: without anything the analyzer reads as a weight."""
    return (text or "").replace(BOOST_CHAR, " ")


class SectionBoostFilter(Filter):
    """Gives every word the weight of the section it is in (name, description, reviews).

    One field with weighted sections instead of one field per section: a query word then reads
    one posting list instead of five, which is most of the cost of a search.
    """

    def __call__(self, tokens):
        boost = 1.0
        for token in tokens:
            mark = _BOOST_TOKEN.fullmatch(token.text)
            if mark:
                boost = int(mark.group(1)) / 100
                continue
            token.boost = boost
            yield token


class FoldFilter(Filter):
    """Lower case and accents off, exactly as fold() does for queries, filters and crisis words."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            yield token


def stemmed_analyzer():
    """Lowercase, fold accents (café = cafe), drop stop words, Dutch snowball stem."""
    return (RegexTokenizer(TOKEN_PATTERN) | SectionBoostFilter() | FoldFilter()
            | StopFilter(stoplist=STOP_WORDS, minsize=2) | StemFilter(lang="nl", cachesize=50000))


def exact_analyzer():
    """The same without stemming: exact words score higher, and typos are measured against real words."""
    return (RegexTokenizer(TOKEN_PATTERN) | SectionBoostFilter() | FoldFilter()
            | StopFilter(stoplist=STOP_WORDS, minsize=2))


def key(value: str) -> str:
    """Wijk and city are matched case- and accent-insensitively, as the SQL filters do."""
    return fold(value.strip())


def words(text: str) -> list[str]:
    """Folded words of a query without stop words and one-letter words (numbers stay); anything that
    is not a letter or digit is a gap."""
    return [w for w in WORD.findall(fold(text)) if w not in STOP_WORDS and len(w) > 1 or w.isdigit()]


_stem = stemmed_analyzer()


def stem(word: str) -> str | None:
    tokens = [t.text for t in _stem(word)]
    return tokens[0] if tokens else None


def normalise_query(text: str) -> str:
    """The form a query is counted under in the search log: folded words in the order typed, stop words
    kept ("een inloop" and "inloop" are counted apart)."""
    return " ".join(WORD.findall(fold(text)))[:200]


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Groups of equivalent terms from synonyms.txt; each term is a tuple of folded words."""
    groups = []
    for line in SYNONYM_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        terms = tuple(tuple(WORD.findall(fold(term))) for term in line.split(",") if term.strip())
        groups.append(tuple(t for t in terms if t))
    return tuple(groups)


def expand_synonyms(tokens: list[str]) -> list[list[tuple[str, ...]]]:
    """Split query words into units; each unit is a list of alternatives (tuples of words).

    A unit that matches a synonym term (longest first, so "repair cafe" beats "cafe") gets every
    term of its group as an alternative; any other word is a unit of its own.
    """
    index: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in synonym_groups():
        for term in group:
            index.setdefault(term, [])
            index[term].extend(t for t in group if t not in index[term])
    longest = max((len(t) for t in index), default=1)
    units, i = [], 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            term = tuple(tokens[i:i + size])
            if term in index:
                alternatives = [term] + [t for t in index[term] if t != term]
                units.append(alternatives)
                i += size
                break
        else:
            units.append([(tokens[i],)])
            i += 1
    return units

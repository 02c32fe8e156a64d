"""Phrases that suggest a writer may be in crisis: an editable Dutch list, matched the way people write. No Flask.

The list is data (crisis_words_nl.txt, plus phrases moderators add). One phrase a line, words in the
order people say them; what makes it forgiving:

- capitals and accents do not matter, and punctuation is ignored (a phrase never spans two sentences);
- up to MAX_GAP other words may stand between two words of a phrase ("zie het echt niet meer zitten");
- `a|b|c` gives alternatives for one word ("wil|wilde|wou dood");
- a trailing `*` matches any ending (`zelfmoord*` finds "zelfmoordgedachten");
- a word written `!a|b` must NOT come next: `@WIL dood !graag|gewoon` holds "ik wil dood" but passes
  "wil je dood graag koffie" (dood as a mere intensifier);
- `@NAME = a|b|c` defines a word group once, used as `@NAME` in later phrases (inflections: `@WIL`);
- a word may be written split or glued: "zelf moord" and "zelf-moord" match `zelfmoord*`, and "aan doen"
  matches `aandoen` (up to three written pieces make one word).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..text import fold

DEFAULT_WORDS_FILE = Path(__file__).with_name("crisis_words_nl.txt")
MAX_GAP = 3  # other words allowed between two words of a phrase
MAX_PIECES = 3  # written pieces that may form one word of a phrase ("zelf moord", "aan te doen" is not one)
_SENTENCE = re.compile(r"[.!?;:\n\r]+")
_TOKEN = re.compile(r"[a-z0-9]+")
_MACRO = re.compile(r"^@([A-Z][A-Z0-9_]*)\s*=\s*(.+)$")
_TERM = re.compile(r"^[a-z0-9|*]+$")


class PhraseError(ValueError):
    """A line of the list that cannot be read (unknown @NAME, odd characters)."""


@dataclass(frozen=True)
class Phrase:
    source: str  # the line as written, for moderators
    terms: tuple[tuple[re.Pattern, bool], ...]  # (full-match pattern, is a "must not come next" word) per word
    starts: tuple[str, ...]  # the first word's alternatives ("zelfmoord*"), to find where a phrase may begin


def tokens(text: str) -> list[list[str]]:
    """The text as sentences of folded words: 'Zelf-móórd?' -> [['zelf', 'moord']]."""
    return [found for sentence in _SENTENCE.split(fold(text or "")) if (found := _TOKEN.findall(sentence))]


def _term_pattern(term: str, macros: dict[str, str], line: str) -> re.Pattern:
    return re.compile("(?:" + "|".join(re.escape(alt[:-1]) + "[a-z0-9]*" if alt.endswith("*") else re.escape(alt)
                                       for alt in _alternatives(term, macros, line)) + ")")


def _alternatives(term: str, macros: dict[str, str], line: str) -> list[str]:
    """The folded words one word of a phrase stands for: 'wil|@WOU' -> ['wil', 'wou', 'wilde']."""
    alternatives = []
    for alt in term.split("|"):
        if alt.startswith("@"):
            if alt[1:].upper() not in macros:
                raise PhraseError(f"unknown word group {alt} in: {line}")
            alternatives.extend(macros[alt[1:].upper()].split("|"))
        else:
            alternatives.append(alt)
    cleaned = []
    for alt in alternatives:
        alt = re.sub(r"[^a-z0-9*]", "", fold(alt))  # "m'n" is written "mn" glued; "zelf-moord" as "zelfmoord"
        if not alt or not _TERM.match(alt) or "*" in alt[:-1]:
            raise PhraseError(f"cannot read '{alt}' in: {line}")
        cleaned.append(alt)
    return cleaned


def parse_phrase(line: str, macros: dict[str, str]) -> Phrase | None:
    """One line of the list as a Phrase (None for a comment or empty line). Raises PhraseError."""
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    words = [w for w in re.split(r"\s+", text) if w]
    # Words as written, split where the line has spaces; a group (@X) is kept whole.
    terms = []
    for word in words:
        negative = word.startswith("!")
        word = word.lstrip("!")
        if negative and not terms:
            raise PhraseError(f"a phrase cannot start with !: {line}")
        terms.append((_term_pattern(word, macros, text), negative))
    return Phrase(source=" ".join(words), terms=tuple(terms),
                  starts=tuple(_alternatives(words[0], macros, text)))


def parse_list(lines, macros: dict[str, str] | None = None) -> tuple[tuple[Phrase, ...], dict[str, str]]:
    """(phrases, word groups) from the lines of a list; groups defined earlier in `macros` may be used."""
    macros = dict(macros or {})
    phrases = []
    for line in lines:
        stripped = line.split("#", 1)[0].strip()
        definition = _MACRO.match(stripped)
        if definition:
            group = [fold(w).strip() for w in re.split(r"[|\s]+", definition.group(2)) if w.strip()]
            macros[definition.group(1)] = "|".join(group)
            continue
        phrase = parse_phrase(line, macros)
        if phrase is not None:
            phrases.append(phrase)
    return tuple(phrases), macros


@lru_cache(maxsize=8)
def load_list(path: str, mtime: float = 0.0) -> tuple[tuple[Phrase, ...], dict[str, str]]:
    """The shipped (or configured) list file, parsed once per change of the file."""
    return parse_list(Path(path).read_text(encoding="utf-8").splitlines())


def _file_list(path: str | Path) -> tuple[tuple[Phrase, ...], dict[str, str]]:
    path = Path(path)
    return load_list(str(path), path.stat().st_mtime)


def _term_matches(term: re.Pattern, words: list[str], start: int) -> list[int]:
    """The ends (exclusive) where `term` matches one word, or two or three written pieces glued, at start."""
    ends = []
    glued = ""
    for end in range(start, min(start + MAX_PIECES, len(words))):
        glued += words[end]
        if term.fullmatch(glued):
            ends.append(end + 1)
    return ends


def _after_negatives(terms, words: list[str], end: int):
    """The terms left after the leading "must not come next" ones, or None when one of those does come next."""
    while terms and terms[0][1]:
        if end < len(words) and _term_matches(terms[0][0], words, end):
            return None
        terms = terms[1:]
    return terms


def _match_from(terms, words: list[str], start: int) -> int | None:
    """The end of a match of all terms with the first at `start` (gaps of at most MAX_GAP), or None."""
    for end in _term_matches(terms[0][0], words, start):
        rest = _after_negatives(terms[1:], words, end)
        if rest is None:
            continue
        if not rest:
            return end
        for nxt in range(end, min(end + MAX_GAP + 1, len(words))):
            found = _match_from(rest, words, nxt)
            if found is not None:
                return found
    return None


def _start_index(phrases) -> tuple[dict[str, list[int]], list[tuple[str, int]]]:
    """Which phrases may begin with a written word: exact words in a dict, `word*` as prefixes."""
    exact: dict[str, list[int]] = {}
    prefixes: list[tuple[str, int]] = []
    for number, phrase in enumerate(phrases):
        for alt in phrase.starts:
            if alt.endswith("*"):
                prefixes.append((alt[:-1], number))
            else:
                exact.setdefault(alt, []).append(number)
    return exact, prefixes


def find(phrases, text: str) -> list[str]:
    """The pieces of text (folded) that match a phrase, in the order of the list, each piece once.

    Only phrases whose first word stands at a position are tried there (a dict look-up), so the
    cost grows with the text, hardly with the length of the list.
    """
    exact, prefixes = _start_index(phrases)
    hits: dict[int, str] = {}
    for words in tokens(text):
        for start in range(len(words)):
            candidates: set[int] = set()
            glued = ""
            for end in range(start, min(start + MAX_PIECES, len(words))):
                glued += words[end]
                candidates.update(exact.get(glued, ()))
                candidates.update(number for prefix, number in prefixes if glued.startswith(prefix))
            for number in candidates - hits.keys():
                end = _match_from(phrases[number].terms, words, start)
                if end is not None:
                    hits[number] = " ".join(words[start:end])
    return list(dict.fromkeys(hits[number] for number in sorted(hits)))


def crisis_matches(text: str, path: str | Path = DEFAULT_WORDS_FILE, extra=()) -> list[str]:
    """What in `text` matches the list in `path` or one of the `extra` lines (empty when nothing does).

    `extra` are lines in the same syntax (moderators' additions); they may use the file's @groups.
    A broken extra line is skipped, never fatal: the check must always run.
    """
    phrases, macros = _file_list(path)
    more = []
    for line in extra:
        try:
            phrase = parse_phrase(line, macros)
        except PhraseError:
            continue
        if phrase is not None:
            more.append(phrase)
    return find(phrases + tuple(more), text)


def phrase_problem(line: str, path: str | Path = DEFAULT_WORDS_FILE) -> str | None:
    """Why a moderator's line cannot be used (in English, for the log and tests), or None."""
    try:
        phrase = parse_phrase(line, _file_list(path)[1])
    except PhraseError as exc:
        return str(exc)
    return None if phrase else "empty"

"""Words that suggest a writer may be in crisis: an editable Dutch list, matched forgivingly. No Flask import."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..text import fold

DEFAULT_WORDS_FILE = Path(__file__).with_name("crisis_words_nl.txt")


def _fold(text: str) -> str:
    """Lower case, accents off, one space between words: 'Zelfmóórd' matches 'zelfmoord'."""
    return " ".join(re.sub(r"[^\w*]+", " ", fold(text)).split())


@lru_cache(maxsize=8)
def load_patterns(path: str) -> tuple[re.Pattern, ...]:
    """One pattern per line of the file; '#' starts a comment; a trailing * matches any ending."""
    patterns = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        entry = _fold(line.split("#", 1)[0])
        if not entry:
            continue
        body = r"\s+".join(re.escape(word).replace(r"\*", r"\w*") for word in entry.split())
        patterns.append(re.compile(rf"\b{body}\b"))
    return tuple(patterns)


def crisis_matches(text: str, path: str | Path = DEFAULT_WORDS_FILE) -> list[str]:
    """The phrases from the list found in text (empty when none)."""
    folded = _fold(text or "")
    return [m.group(0) for p in load_patterns(str(path)) if (m := p.search(folded))]

"""Accent folding, the one definition every comparison of Dutch text uses (search, filters, crisis words). No Flask."""
from __future__ import annotations

import unicodedata

from whoosh.support.charset import accent_map


def fold(text: str) -> str:
    """Lower case without accents: 'Café' and 'cafe\\u0301' give 'cafe', 'ĳsbaan' 'ijsbaan', 'Øvre' 'ovre'.

    Unicode decomposition (NFKD) splits accents and ligatures off their letters; Whoosh's accent
    map then folds the letters that have no decomposition (ø, ł, ß). Each alone misses one kind.
    """
    if text.isascii():  # most Dutch words: nothing to fold, and ten times faster
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(accent_map)

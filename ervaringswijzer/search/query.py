"""From what someone typed to ranked place ids: plain words only, synonyms, typo correction, facets.

Query syntax is never parsed: every character that is not a letter or digit separates words, so
quotes, AND/OR, `*`, `field:` and `[a TO` are searched as the plain words they contain.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import collectors
from whoosh import query as wq

from .analysis import expand_synonyms, fold, key, stem, words

MAX_WORDS = 8
SYNONYM_BOOST = 0.3
CORRECTION_BOOST = 0.8
TIE_MARGIN = 10



class _TopCollector(collectors.TopCollector):
    """Top N, and (when asked) every matching document number, seen in the same single pass."""

    def __init__(self, limit: int, record: bool):
        super().__init__(limit=limit, usequality=False, replace=0)
        self.record = record
        self.matched: list[int] = []

    def _collect(self, global_docnum, score):
        if self.record:
            self.matched.append(global_docnum)
        return super()._collect(global_docnum, score)


def top_hits(searcher, query, limit: int, filter_query, record: bool = False):
    """The best `limit` hits, without Whoosh's quality pruning.

    Whoosh 2.7.x prunes sub-queries whose estimated best score cannot reach the current top N,
    and for our boosted Or over BM25F fields that estimate is too low: a place scoring 5.94 fell
    out of a top 20 that held places scoring 5.67. Correct results first; the benchmark shows
    what it costs.
    """
    top = _TopCollector(limit, record)
    collector = top if filter_query is None else collectors.FilterCollector(top, allow=filter_query)
    searcher.search_with_collector(query, collector)
    return collector.results(), top.matched


@dataclass
class IndexFilters:
    """The filters the index can apply itself; open-now and the exact distance are checked in SQL."""
    categories: list[str] = field(default_factory=list)
    wijk: str = ""
    city: str = ""
    flags: list[str] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None  # min lat, min lon, max lat, max lon

    def as_query(self):
        parts = []
        if self.categories:
            parts.append(wq.Or([wq.Term("category", c) for c in self.categories]))
        if self.wijk:
            parts.append(wq.Term("wijk", key(self.wijk)))
        if self.city:
            parts.append(wq.Term("city", key(self.city)))
        parts += [wq.Term("flag", f) for f in self.flags]
        return wq.And(parts) if parts else None

    def allowed(self, searcher):
        """Document numbers the filters allow, or None for all. The box is checked against stored
        coordinates: indexing them as numeric terms made the index build half again as slow."""
        query = self.as_query()
        if not self.bbox:
            return query
        allowed = within_box(searcher, self.bbox)
        if query is not None:
            allowed &= set(searcher.docs_for_query(query))
        return allowed


@dataclass
class TextResult:
    ids: list[int]
    scores: dict[int, float]
    total: int
    exact_total: bool
    facets: dict[str, dict[str, int]]
    did_you_mean: str | None
    partial: bool  # no place had every word; these have some of them
    terms: set[str]  # folded words and stems, for highlighting


class QueryBuilder:
    """Builds the Whoosh query for one search against one searcher's vocabulary."""

    def __init__(self, searcher):
        self.reader = searcher.reader()
        self.corrector = searcher.corrector("exact")
        self.corrections: dict[str, str] = {}
        self.common_above = max(50, searcher.doc_count() // 5)
        self.terms: set[str] = set()

    def known(self, word: str) -> bool:
        return ("exact", word) in self.reader or ("text", stem(word) or word) in self.reader

    def word_query(self, word: str, boost: float = 1.0):
        stemmed = stem(word) or word
        self.terms.update((word, stemmed))
        if self.reader.doc_frequency("exact", word) > self.common_above:
            # A word in a fifth of all places: the exact copy hardly changes the order but doubles
            # the postings to score, which is most of a search's time.
            return wq.Or([wq.Term("text", stemmed, boost=boost), wq.Term("name", stemmed, boost=boost)])
        # Boosts sit on the terms, never on compound queries: Whoosh wraps a boosted compound in a
        # matcher whose replace() passes the unboosted minimum score down.
        return wq.Or([wq.Term("text", stemmed, boost=boost), wq.Term("exact", word, boost=boost),
                      wq.Term("name", stemmed, boost=boost)])

    def typo_alternatives(self, word: str) -> list:
        """For a word the index does not know: the nearest real words, or two known words run together.

        Not for a word with a digit (a postcode, a house number, a code): a near word is never what
        was meant, and the fuzzy expansion is the costliest part of a search.
        """
        if len(word) < 4 or any(ch.isdigit() for ch in word):
            return []
        maxdist = 1 if len(word) < 7 else 2
        alternatives = []
        for suggestion in self.corrector.suggest(word, limit=3, maxdist=maxdist, prefix=1):
            self.corrections.setdefault(word, suggestion)
            alternatives.append(self.word_query(suggestion, CORRECTION_BOOST))
        if not alternatives:
            for cut in range(3, len(word) - 2):
                left, right = word[:cut], word[cut:]
                if self.known(left) and self.known(right):
                    self.corrections.setdefault(word, f"{left} {right}")
                    alternatives.append(wq.And([self.word_query(left, CORRECTION_BOOST),
                                                self.word_query(right, CORRECTION_BOOST)]))
                    break
        return alternatives

    def unit_query(self, alternatives: list[tuple[str, ...]]):
        options = []
        for n, term in enumerate(alternatives):
            boost = 1.0 if n == 0 else SYNONYM_BOOST
            parts = []
            for word in term:
                if n == 0 and not self.known(word):
                    typo = self.typo_alternatives(word)
                    parts.append(wq.Or([self.word_query(word)] + typo) if typo else self.word_query(word))
                else:
                    parts.append(self.word_query(word, boost))
            options.append(parts[0] if len(parts) == 1 else wq.And(parts))
        # Not DisjunctionMax: in Whoosh 2.7.x its score() reads sub-matchers parked on other documents.
        # A low synonym boost keeps "has both words" from beating "is called that".
        return options[0] if len(options) == 1 else wq.Or(options)

    def build(self, text: str):
        tokens = words(text)[:MAX_WORDS]
        units = [self.unit_query(alternatives) for alternatives in expand_synonyms(tokens)]
        return units, tokens


def did_you_mean(tokens: list[str], corrections: dict[str, str]) -> str | None:
    if not corrections:
        return None
    return " ".join(corrections.get(t, t) for t in tokens)


def run_search(searcher, text: str, filters: IndexFilters, limit: int = 500, facets: bool = True) -> TextResult:
    if searcher.doc_count_all() == 0:
        return TextResult([], {}, 0, True, {}, None, False, set())
    builder = QueryBuilder(searcher)
    units, tokens = builder.build(text)
    if not units:
        return TextResult([], {}, 0, True, {}, None, False, builder.terms)
    filter_query = filters.allowed(searcher)
    partial = False
    query = wq.And(units) if len(units) > 1 else units[0]
    # A few extra hits, so that places with equal scores at the cut are ordered the same way
    # whatever the page size (Whoosh's top-N pruning does not keep ties stable).
    fetch = limit + TIE_MARGIN
    results, matched = top_hits(searcher, query, fetch, filter_query, record=facets)
    if results.is_empty() and len(units) > 1:
        partial = True
        query = wq.Or(units)
        results, matched = top_hits(searcher, query, fetch, filter_query, record=facets)
    scores = {place_id(searcher, docnum): round(score, 4) for score, docnum in results.top_n}
    ids = sorted(scores, key=lambda pid: (-scores[pid], pid))[:limit]
    scores = {pid: scores[pid] for pid in ids}
    counts: dict[str, dict[str, int]] = {}
    if facets:
        total, counts = facet_counts(searcher, matched)
        exact = True
    else:
        # Without quality pruning the collector saw every match, so the count is exact and free.
        total, exact = len(results), True
    return TextResult(ids, scores, total, exact, counts, did_you_mean(tokens, builder.corrections),
                      partial, builder.terms)


# Stored facet values per segment, read once: segments never change, only new ones arrive.
_facet_cache: dict[tuple, list] = {}


def _segment_facets(reader) -> list:
    segment = reader.segment()
    cache_key = segment.segment_id()  # random and unique; a segment never changes, only gains deletions
    found = _facet_cache.get(cache_key)
    if found is None:
        found = []
        for n in range(reader.doc_count_all()):
            fields = None if reader.is_deleted(n) else reader.stored_fields(n)
            found.append((int(fields["id"]), fields["facets"]) if fields else None)
        if len(_facet_cache) > 256:
            _facet_cache.clear()
        _facet_cache[cache_key] = found
    return found


def within_box(searcher, box) -> set[int]:
    min_lat, min_lon, max_lat, max_lon = box
    found = set()
    for reader, offset in searcher.reader().leaf_readers():
        for n, entry in enumerate(_segment_facets(reader)):
            if entry and entry[1][4] is not None and min_lat <= entry[1][4] <= max_lat \
                    and min_lon <= entry[1][5] <= max_lon:
                found.add(offset + n)
    return found


def _leaf(searcher, docnum):
    for reader, offset in reversed(searcher.reader().leaf_readers()):
        if docnum >= offset:
            return _segment_facets(reader)[docnum - offset]
    return None


def place_id(searcher, docnum: int) -> int:
    return _leaf(searcher, docnum)[0]


def facet_counts(searcher, docnums) -> tuple[int, dict[str, dict[str, int]]]:
    """Counts per category, wijk (within its city) and flag over all matching places (not only the first page)."""
    leaves = [(reader, offset, _segment_facets(reader)) for reader, offset in searcher.reader().leaf_readers()]
    counts = {"category": {}, "wijk": {}, "city": {}, "flags": {}}
    total = 0
    for docnum in docnums:
        entry = None
        for _reader, offset, values in reversed(leaves):
            if docnum >= offset:
                entry = values[docnum - offset]
                break
        if not entry:
            continue
        facets = entry[1]
        total += 1
        categories, wijk, city, flags, _lat, _lon = facets
        for c in categories:
            counts["category"][c] = counts["category"].get(c, 0) + 1
        if wijk:
            # Per city: "Binnenstad" in Leiden and in Zwolle are two wijken. The key is the
            # "city/wijk" value the filters read back.
            where = f"{city}/{wijk}"
            counts["wijk"][where] = counts["wijk"].get(where, 0) + 1
        if city:
            counts["city"][city] = counts["city"].get(city, 0) + 1
        for f in flags:
            counts["flags"][f] = counts["flags"].get(f, 0) + 1
    return total, counts


def suggest(searcher, text: str, limit: int = 8) -> list[str]:
    """Completions for search-as-you-type: the last word completed with the commonest index words."""
    raw = fold(text)
    tokens = raw.split()
    if searcher.doc_count_all() == 0:
        return []
    if not tokens or not raw[-1:].isalnum():
        return []
    prefix = "".join(ch for ch in tokens[-1] if ch.isalnum())
    if len(prefix) < 2:
        return []
    reader = searcher.reader()
    found: list[tuple[int, str]] = []
    for n, term in enumerate(reader.expand_prefix("exact", prefix)):
        if n >= 3000:  # a short prefix can expand to many words; a few thousand is plenty to pick from
            break
        word = term.decode("utf-8") if isinstance(term, bytes) else term
        found.append((reader.doc_frequency("exact", word), word))
    found.sort(key=lambda x: (-x[0], x[1]))
    head = " ".join(tokens[:-1])
    return [f"{head} {word}".strip() for _freq, word in found[:limit]]

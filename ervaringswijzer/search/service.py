"""What the rest of the app calls: search places (index first, SQL when the index is unavailable), suggest, status."""
from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

from flask import current_app
from markupsafe import Markup, escape

from ..extensions import db
from ..places.filters import PlaceFilters, PlacePage, bounding_box, find_places
from . import index as idx
from . import locks
from .analysis import WORD, fold, stem
from .check import last_result
from .outbox import backlog
from .query import IndexFilters, TextResult, run_search, suggest

log = logging.getLogger(__name__)

SORTS = ("relevance", "distance", "rating")
_last_fallback_log: dict[str, float] = {}


@dataclass
class SearchOutcome:
    page: PlacePage
    sort: str = "relevance"
    engine: str = "index"  # index | sql | none (no words typed)
    did_you_mean: str | None = None
    partial: bool = False
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    scores: dict[int, float] = field(default_factory=dict)
    snippets: dict[int, Markup] = field(default_factory=dict)


def index_filters(f: PlaceFilters) -> IndexFilters:
    return IndexFilters(categories=f.categories, wijk=f.wijk, city=f.city, flags=f.flags, bbox=bounding_box(f))


# root -> (live generation name, monotonic time) of the last failure to open it: for a moment the
# same broken generation is not tried again, so a broken index costs requests nothing.
_unavailable: dict[str, tuple[str, float]] = {}
UNAVAILABLE_RETRY_SECONDS = 2.0


def _live_name(root: str) -> str:
    try:
        return idx.current_generation(root).name
    except idx.IndexUnavailable:
        return ""


def text_search(text: str, filters: IndexFilters, limit: int | None = None, facets: bool = True) -> TextResult | None:
    """Search the index; None (and a log line, at most once a minute) when it cannot answer.

    Never waits for the index to be repaired: its follower rebuilds it, and until the new
    generation is live the page answers from SQL.
    """
    root = current_app.config["SEARCH_INDEX_DIR"]
    limit = limit or int(current_app.config["SEARCH_MAX_HITS"])
    failed = _unavailable.get(root)
    if failed and time.monotonic() - failed[1] < UNAVAILABLE_RETRY_SECONDS and failed[0] == _live_name(root):
        return None
    try:
        return idx.retry_vanished(lambda: _cached_search(root, text, filters, limit, facets))
    except (idx.IndexUnavailable, FileNotFoundError) as exc:  # missing, or corrupt: search must still answer
        idx.forget_searcher(root)
        _unavailable[root] = (_live_name(root), time.monotonic())
        _log_fallback(root, getattr(exc, "reason", "corrupt: FileNotFoundError"))
    except Exception:  # a fault of ours or of Whoosh: answer from SQL, and say so loudly
        idx.forget_searcher(root)
        log.exception("search failed; answering from SQL")
    return None


def index_version() -> str:
    """What a kept search page depends on besides the database: the state of this node's index."""
    return idx.live_marker(current_app.config["SEARCH_INDEX_DIR"])


def _cached_search(root: str, text: str, filters: IndexFilters, limit: int, facets: bool) -> TextResult:
    try:
        searcher = idx.searcher_for(root)
        # Popular searches repeat (and paging repeats them): answers are kept per searcher, so a
        # change to the index, which brings a new searcher, empties the cache.
        cache = searcher.__dict__.setdefault("_ew_results", OrderedDict())
        key = (text, repr(filters), limit, facets)
        if key not in cache:
            cache[key] = run_search(searcher, text, filters, limit=limit, facets=facets)
            if len(cache) > 256:
                cache.popitem(last=False)
        cache.move_to_end(key)
        return cache[key]
    except FileNotFoundError:
        idx.forget_searcher(root)  # a segment vanished under this searcher: open a fresh one
        raise


def _log_fallback(root: str, reason: str) -> None:
    if time.monotonic() - _last_fallback_log.get(root, -60) >= 60:
        _last_fallback_log[root] = time.monotonic()
        log.warning("search index unavailable (%s); answering from SQL", reason)


def search_places(f: PlaceFilters, page: int, per_page: int, sort: str = "", facets: bool = True) -> SearchOutcome:
    """Places for the list page and the API: text through the index, the other filters through SQL.

    The index gives ranked ids; SQL narrows, sorts and loads only the page shown. Snippets are made
    for that page only. When the index cannot answer, SQL matches the words and pages by itself.
    """
    sort = sort if sort in SORTS else ("distance" if f.near and not f.q else "relevance")
    if sort == "distance" and not f.near:
        sort = "relevance"
    order = "" if sort == "relevance" else sort
    if not f.q:
        return SearchOutcome(find_places(f, page, per_page, sort=order), sort=sort, engine="none")
    window = not (f.open_now or f.when or f.near or f.sql_only or sort != "relevance")
    # Top-N: when nothing is filtered or re-sorted after the index, only this page's ids are needed.
    limit = page * per_page if window else None
    found = text_search(f.q, index_filters(f), limit=limit, facets=facets)
    if found is None:
        return SearchOutcome(find_places(f, page, per_page, sort=order), sort=sort, engine="sql")
    if window:
        # Nothing left to filter in Python: ask SQL for this page only and take the total from the index.
        start = (page - 1) * per_page
        result = find_places(f, 1, per_page, ranked_ids=found.ids[start:start + per_page])
        result.page, result.total = page, found.total
    else:
        result = find_places(f, page, per_page, ranked_ids=found.ids, sort=order)
    return SearchOutcome(result, sort=sort, engine="index", did_you_mean=found.did_you_mean,
                         partial=found.partial, facets=found.facets, scores=found.scores,
                         snippets={p.id: snippet(p.description, found.terms) for p in result.items})


def snippet(text: str, terms: set[str], width: int = 180) -> Markup:
    """A piece of the description around the first matching word, matches in <mark>. Text is escaped."""
    text = " ".join((text or "").split())
    spans = [m.span() for m in WORD.finditer(text) if _matches(m.group(), terms)]
    if not text:
        return Markup("")
    start = max(0, spans[0][0] - width // 3) if spans else 0
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[pos:s]))
        out.append(Markup("<mark>") + escape(text[s:e]) + Markup("</mark>"))
        pos = e
    out.append(escape(text[pos:end]))
    return Markup("…" if start else "") + Markup("").join(out) + Markup("…" if end < len(text) else "")


@lru_cache(maxsize=50000)
def _folded_stem(word: str) -> tuple[str, str | None]:
    """A word folded and stemmed, remembered: running the analyzer per word of every snippet was a
    quarter of a search page's time, and descriptions share most of their words."""
    folded = fold(word)
    return folded, stem(folded) if len(folded) > 2 else None


def _matches(word: str, terms: set[str]) -> bool:
    folded, stemmed = _folded_stem(word)
    return folded in terms or (stemmed is not None and stemmed in terms)


def suggestions(text: str) -> list[str]:
    try:
        return suggest(idx.searcher_for(current_app.config["SEARCH_INDEX_DIR"]), text)
    except Exception as exc:
        log.info("no suggestions: %s", type(exc).__name__)
        return []


def health() -> tuple[bool, str]:
    """For /health: the index opens, its last check found nothing lost, it is not far behind the outbox,
    and someone follows it."""
    config = current_app.config
    root = config["SEARCH_INDEX_DIR"]
    following = config["SEARCH_FOLLOWER"] == "inline" or locks.is_held(root, "follow")
    try:
        idx.searcher_for(root)
    except idx.IndexUnavailable as exc:
        rebuild = "being rebuilt" if locks.is_held(root, "rebuild") else "the follower rebuilds it"
        return False, f"index {exc.reason}; answering from SQL ({rebuild if following else 'no follower running'})"
    try:
        behind = backlog(root, db.engine)
    except Exception as exc:
        return False, f"outbox unreadable: {type(exc).__name__}"
    checked = last_result(root)
    if checked is not None and checked.lost and not checked.repaired:
        return False, f"check found {len(checked.lost)} applied changes missing from the index"
    if behind and not following:
        return False, f"no follower running; {behind} changes pending"
    if behind and behind > int(config["SEARCH_HEALTH_MAX_BACKLOG"]):
        return False, f"index {behind} changes behind"
    return True, "ok" if not behind else f"ok, {behind} changes pending"


def on_health_check(_sender) -> dict:
    return {"search": health()}

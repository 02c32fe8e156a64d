"""Answers and page parts built once and kept per process: conditional GETs with an ETag from the data
version (304 before any body is built), rendered fragments keyed by everything they show, and whole
pages for visitors who bring no session (the same answer for every one of them)."""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any, Callable, Hashable

from flask import Response, current_app, make_response, request, session
from flask_babel import get_locale
from markupsafe import Markup

from ..security import csp_nonce
from .time import TZ, now

CACHE_SIZE = 256
NONCE_PLACEHOLDER = "\x00nonce\x00"
FRAGMENT_CACHE_SIZE = 4096
PAGE_CACHE_BYTES = 32 * 1024 * 1024


class Kept:
    """A small LRU of built values; keys say everything the value depends on, so they go stale by themselves.

    Safe to share between threads (a threaded server, the follower thread): the lock covers the
    bookkeeping only, never build(), so two threads may build the same value once each."""

    def __init__(self, size: int):
        self.size = size
        self.values: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
        value = build()
        with self.lock:
            self.values[key] = value
            while len(self.values) > self.size:
                self.values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


_built = Kept(CACHE_SIZE)
_first_seen: OrderedDict[str, datetime] = OrderedDict()


def data_etag(version: str, *extra) -> str:
    """Changes when the data version, the minute (open now, status lines), the URL or the language changes."""
    minute = datetime.now(TZ).strftime("%Y%m%d%H%M")
    key = "\x1f".join(str(part) for part in (version, minute, request.host_url, request.full_path,
                                                 get_locale(), *extra))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def last_modified(version: str) -> datetime:
    """When this answer may last have changed: the later of the minute's start (open now changes with it)
    and the moment this process first saw the data version (never earlier than the change)."""
    seen = _first_seen.setdefault(version, datetime.now(timezone.utc).replace(microsecond=0))
    while len(_first_seen) > 64:
        _first_seen.popitem(last=False)
    return max(seen, datetime.now(timezone.utc).replace(second=0, microsecond=0))


def remember(key: str, build: Callable[[], Any]) -> Any:
    """build() once per key in this process (a small LRU); keys come from data_etag, so they go stale by themselves."""
    return _built.get(key, build)


def conditional(build: Callable[[], Response], version: str, *extra) -> Response:
    """Answer 304 when the client has this version; otherwise build (or reuse) the body and tag it.

    Within a minute, with the data unchanged, a popular page of a feed is built once per worker.
    Only for answers that follow from the database alone: text search follows the index, which
    catches up after the commit, so callers do not use this when words go to the index.
    """
    etag, modified = data_etag(version, *extra), last_modified(version)
    # If-None-Match wins when both are sent (RFC 9110 13.2.2); a date is only exact to the second.
    since = None if request.if_none_match else request.if_modified_since
    if etag in request.if_none_match or (since is not None and modified <= since):
        response = current_app.response_class(status=304)
    else:
        def body() -> tuple[bytes, str, int]:
            built = make_response(build())
            return built.get_data(), built.mimetype, built.status_code
        data, mimetype, status = remember(etag, body)
        response = current_app.response_class(data, status=status, mimetype=mimetype)
    response.set_etag(etag)
    response.last_modified = modified
    response.headers["Cache-Control"] = "no-cache"  # always ask again; the answer is mostly a 304
    return response


def fragment(key: Hashable | None, caller: Callable[[], str]) -> Markup:
    """For templates, `{% call fragment(key) %}...{% endcall %}`: the block rendered once per key and language.

    The key must hold everything the block shows (ids with their versions, the day, ...): nothing
    else invalidates it. A key of None renders every time (a reader who sees per-person parts).
    """
    if key is None:
        return Markup(caller())
    # The script nonce differs per answer: kept as a placeholder, put back on the way out. (A fragment
    # holds no form: CSRF tokens are per person.)
    nonce = csp_nonce()
    kept = current_app.extensions["fragments"].get(
        (key, str(get_locale())), lambda: str(caller()).replace(nonce, NONCE_PLACEHOLDER))
    return Markup(kept.replace(NONCE_PLACEHOLDER, nonce))


class KeptPages:
    """Whole page bodies, least recently used out first, bounded by their total size in characters."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.pages: OrderedDict[Hashable, tuple[str, Any]] = OrderedDict()
        self.lock = threading.Lock()  # threads of one process share the pages (see Kept)

    def get(self, key: Hashable) -> tuple[str, Any] | None:
        with self.lock:
            found = self.pages.get(key)
            if found is not None:
                self.pages.move_to_end(key)
            return found

    def put(self, key: Hashable, body: str, extras: Any) -> None:
        if len(body) > self.limit // 8:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old[0])
            self.pages[key] = (body, extras)
            self.size += len(body)
            while self.size > self.limit:
                _key, (dropped, _extras) = self.pages.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.size = 0


def forget_all(app) -> None:
    """Empty every kept answer, page part and page of this process and app (a benchmark's cold run)."""
    _built.clear()
    app.extensions["fragments"].clear()
    app.extensions["pages"].clear()


def shareable() -> bool:
    """True when this request is answered the same for everyone who sends it: a GET that brings no
    session and no remember-me cookie (no member, no flashed message, no language choice)."""
    config = current_app.config
    return (request.method in ("GET", "HEAD") and config["SESSION_COOKIE_NAME"] not in request.cookies
            and config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies
            and int(config.get("PAGE_CACHE_BYTES", PAGE_CACHE_BYTES)) > 0)


def shared_page(version: str, build: Callable[[], tuple[str, Any]], *extra: Hashable) -> tuple[str, Any]:
    """build() -> (page body, what the view needs besides it), kept per process for visitors who bring
    no session, and used again for the same URL, language, data version and minute.

    The minute is in the key because pages say what is open now; `version` must change with
    everything else the page shows (the data version; for a search, the index too), and `extra`
    holds what the URL does not. A body whose build put something into the session (a CSRF token
    for a form) is personal and never kept. The view still does its per-request work (counting a
    view, logging a search) with the extras, hit or not. The CSP nonce is new in every answer.
    """
    if not shareable():
        return build()
    pages: KeptPages = current_app.extensions["pages"]
    key = (request.endpoint, request.host_url, request.full_path, str(get_locale()), version,
           now().strftime("%Y%m%d%H%M"), *extra)
    nonce = csp_nonce()
    kept = pages.get(key)
    if kept is not None:
        return kept[0].replace(NONCE_PLACEHOLDER, nonce), kept[1]
    body, extras = build()
    if not session.modified and not session:
        pages.put(key, str(body).replace(nonce, NONCE_PLACEHOLDER), extras)
    return body, extras


def init_app(app) -> None:
    # One cache per app, as each app has its own database: the same ids mean other places elsewhere.
    app.extensions["fragments"] = Kept(int(app.config.get("FRAGMENT_CACHE_SIZE", FRAGMENT_CACHE_SIZE)))
    app.jinja_env.globals["fragment"] = fragment
    app.extensions["pages"] = KeptPages(int(app.config.get("PAGE_CACHE_BYTES", PAGE_CACHE_BYTES)))

"""Conditional GETs for read-only feeds: an ETag from the data version, 304 before any body is built."""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any, Callable

from flask import Response, current_app, make_response, request
from flask_babel import get_locale

from ..places.hours import TZ
from ..places.services import data_version

CACHE_SIZE = 256
_built: OrderedDict[str, Any] = OrderedDict()
_first_seen: OrderedDict[str, datetime] = OrderedDict()


def data_etag(*extra) -> str:
    """Changes when the data, the minute (open now, status lines), the URL or the language changes."""
    minute = datetime.now(TZ).strftime("%Y%m%d%H%M")
    key = "\x1f".join(str(part) for part in (data_version(), minute, request.host_url, request.full_path,
                                                 get_locale(), *extra))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def last_modified() -> datetime:
    """When this answer may last have changed: the later of the minute's start (open now changes with it)
    and the moment this process first saw the current data version (never earlier than the change)."""
    seen = _first_seen.setdefault(data_version(), datetime.now(timezone.utc).replace(microsecond=0))
    while len(_first_seen) > 64:
        _first_seen.popitem(last=False)
    return max(seen, datetime.now(timezone.utc).replace(second=0, microsecond=0))


def remember(key: str, build: Callable[[], Any]) -> Any:
    """build() once per key in this process (a small LRU); keys come from data_etag, so they go stale by themselves."""
    if key in _built:
        _built.move_to_end(key)
        return _built[key]
    value = _built[key] = build()
    if len(_built) > CACHE_SIZE:
        _built.popitem(last=False)
    return value


def conditional(build: Callable[[], Response], *extra) -> Response:
    """Answer 304 when the client has this version; otherwise build (or reuse) the body and tag it.

    Within a minute, with the data unchanged, a popular page of a feed is built once per worker.
    Only for answers that follow from the database alone: text search follows the index, which
    catches up after the commit, so callers do not use this when words go to the index.
    """
    etag, modified = data_etag(*extra), last_modified()
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

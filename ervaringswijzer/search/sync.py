"""Keeping this process's index current: after each commit, now and then on requests, at start-up.

Index work never runs inside a request's critical path: in a request it is deferred until the
response has been sent (response.call_on_close); the writer is waited for briefly and a busy
index is simply tried again later. Errors are logged and the outbox rows stay for the next try.
"""
from __future__ import annotations

import logging
import threading
import time

import sqlalchemy as sa
from flask import after_this_request, current_app, g, has_request_context

from ..extensions import db
from . import outbox

log = logging.getLogger(__name__)

_rebuilding = threading.Lock()
_last_check: dict[str, float] = {}


def _settings(app) -> tuple[str, float]:
    return app.config["SEARCH_INDEX_DIR"], float(app.config["SEARCH_WRITER_TIMEOUT"])


def run_catch_up(app, rebuild_if_needed: str = "background") -> outbox.CatchUp | None:
    """Apply pending rows now. rebuild_if_needed: 'background', 'now' or 'no'."""
    root, timeout = _settings(app)
    _last_check[root] = time.monotonic()
    try:
        with app.app_context():
            result = outbox.catch_up(root, db.engine, timeout)
    except Exception:
        log.exception("search index catch-up failed; the outbox rows stay for the next try")
        return None
    if result.status == "locked":
        log.info("search index busy; pending changes are applied on the next try")
    elif result.status == "needs_rebuild" and rebuild_if_needed != "no":
        start_rebuild(app, background=rebuild_if_needed == "background")
    return result


def start_rebuild(app, background: bool = True) -> None:
    """Rebuild the index (missing, corrupt or too far behind). One rebuild per process at a time."""
    if not _rebuilding.acquire(blocking=False):
        return

    def work():
        try:
            with app.app_context():
                figures = outbox.rebuild(app.config["SEARCH_INDEX_DIR"], db.engine)
            log.warning("search index rebuilt: %s documents in %s s", figures["documents"], figures["seconds"])
            run_catch_up(app, rebuild_if_needed="no")
        except Exception:
            log.exception("search index rebuild failed; search answers from SQL meanwhile")
        finally:
            _rebuilding.release()

    if background:
        threading.Thread(target=work, name="search-rebuild", daemon=True).start()
    else:
        work()


def schedule_catch_up() -> None:
    """After a commit: in a request, once the response is out; elsewhere (CLI, scripts) at once."""
    app = current_app._get_current_object()
    if not has_request_context():
        run_catch_up(app)
        return
    if g.get("search_catch_up"):
        return
    g.search_catch_up = True

    @after_this_request
    def defer(response):
        response.call_on_close(lambda: run_catch_up(app))
        return response


def periodic_check() -> None:
    """before_request: catch up on rows written by other processes, at most every SEARCH_CATCHUP_SECONDS."""
    app = current_app
    root = app.config["SEARCH_INDEX_DIR"]
    if time.monotonic() - _last_check.get(root, 0) >= float(app.config["SEARCH_CATCHUP_SECONDS"]):
        _last_check[root] = time.monotonic()
        schedule_catch_up()


def on_start(app) -> None:
    """Start-up catch-up: small databases are indexed at once, large ones in the background.

    Tolerates a database without tables yet (init-db itself starts the app) and a locked index.
    """
    try:
        with app.app_context():
            if not sa.inspect(db.engine).has_table("search_outbox"):
                return
        result = run_catch_up(app, rebuild_if_needed="no")
        if result and result.status == "needs_rebuild":
            with app.app_context():
                from ..places.models import Place
                count = db.session.query(Place.id).count()
                db.session.remove()
            start_rebuild(app, background=count > int(app.config["SEARCH_SYNC_BUILD_LIMIT"]))
    except Exception as exc:
        log.info("search index not caught up at start-up (%s); it will be on the first requests",
                 type(exc).__name__)

"""Keeping this process's index current: after each commit, now and then on requests, at start-up.

Index work never runs inside a request's critical path: in a request it is deferred until the
response has been sent (response.call_on_close); the writer is waited for briefly and a busy
index is simply tried again later. Errors are logged and the outbox rows stay for the next try.
A missing index is built at start-up (small databases) or after the first search that missed it.
"""
from __future__ import annotations

import logging
import threading
import time

import sqlalchemy as sa
from flask import after_this_request, current_app, g, has_request_context

from ..extensions import db
from ..places.models import Place
from . import outbox

log = logging.getLogger(__name__)

_rebuilding = threading.Lock()
_last_check: dict[str, float] = {}


def run_catch_up(app, rebuild_if_needed: bool = True) -> outbox.CatchUp | None:
    """Apply pending rows now; rebuild an index that is corrupt or out of step with the outbox."""
    root = app.config["SEARCH_INDEX_DIR"]
    _last_check[root] = time.monotonic()
    try:
        with app.app_context():
            result = outbox.catch_up(root, db.engine, float(app.config["SEARCH_WRITER_TIMEOUT"]))
    except Exception:
        log.exception("search index catch-up failed; the outbox rows stay for the next try")
        return None
    if result.status == "locked":
        log.info("search index busy; pending changes are applied on the next try")
    elif result.status == "out_of_step" and rebuild_if_needed and app.config["SEARCH_AUTO_REBUILD"]:
        run_rebuild(app)
    return result


def run_rebuild(app) -> None:
    """Rebuild now (one rebuild per process at a time), then apply what changed meanwhile."""
    if not _rebuilding.acquire(blocking=False):
        return
    try:
        with app.app_context():
            figures = outbox.rebuild(app.config["SEARCH_INDEX_DIR"], db.engine)
        log.warning("search index rebuilt: %s documents in %s s", figures["documents"], figures["seconds"])
        run_catch_up(app, rebuild_if_needed=False)
    except Exception:
        log.exception("search index rebuild failed; search answers from SQL meanwhile")
    finally:
        _rebuilding.release()


def _defer(app, job) -> None:
    """In a request: run job once the response has been sent. Elsewhere (CLI, scripts): now."""
    if not has_request_context():
        job(app)
        return
    jobs = g.setdefault("search_jobs", [])
    if job in jobs:
        return
    jobs.append(job)
    if len(jobs) == 1:
        @after_this_request
        def defer(response):
            response.call_on_close(lambda: [j(app) for j in list(jobs)])
            return response


def schedule_catch_up() -> None:
    _defer(current_app._get_current_object(), run_catch_up)


def schedule_rebuild() -> None:
    """A search found the index missing or broken: rebuild it after this response."""
    app = current_app._get_current_object()
    if app.config["SEARCH_AUTO_REBUILD"]:
        _defer(app, run_rebuild)


def periodic_check() -> None:
    """before_request: catch up on rows written by other processes, at most every SEARCH_CATCHUP_SECONDS."""
    app = current_app
    root = app.config["SEARCH_INDEX_DIR"]
    if time.monotonic() - _last_check.get(root, 0) >= float(app.config["SEARCH_CATCHUP_SECONDS"]):
        _last_check[root] = time.monotonic()
        schedule_catch_up()


def on_start(app) -> None:
    """Start-up catch-up; a missing or out-of-step index is built at once when the database is small.

    Tolerates a database without tables yet (init-db itself starts the app) and a locked index.
    """
    try:
        with app.app_context():
            if not sa.inspect(db.engine).has_table("search_outbox"):
                return
        result = run_catch_up(app, rebuild_if_needed=False)
        if result and result.status in ("missing", "out_of_step") and app.config["SEARCH_BUILD_ON_START"]:
            with app.app_context():
                count = db.session.scalar(sa.select(sa.func.count()).select_from(Place))
                db.session.remove()
            if count <= int(app.config["SEARCH_SYNC_BUILD_LIMIT"]):
                run_rebuild(app)
            else:
                # Not here: start-up must stay quick. The first request's catch-up or search rebuilds
                # it after its response; until then search answers from SQL (or from the old index).
                log.warning("search index %s; it is rebuilt after the first requests (or run: flask search rebuild)",
                            result.status.replace("_", " "))
    except Exception as exc:
        log.info("search index not caught up at start-up (%s); it will be on the first requests",
                 type(exc).__name__)

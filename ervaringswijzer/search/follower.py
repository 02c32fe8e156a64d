"""The follower: the one writer of an index directory, applying the outbox outside every request.

It runs as a process of its own (`flask search follow`, SEARCH_FOLLOWER = "external" in the web
app) or as a thread of the app (SEARCH_FOLLOWER = "thread", the zero-setup default). Whichever
it is, the follow lock beside the index lets one follower work per index directory; another one
(the second gunicorn worker's thread) stands by and takes over when the first dies.

A step applies everything pending, batch after batch, and rebuilds an index that is missing,
corrupt or out of step with the outbox. It sleeps until PostgreSQL notifies a commit that wrote
outbox rows (LISTEN), or for a short poll interval on other databases.

SEARCH_FOLLOWER = "inline" (tests only) applies right after each commit in the committing thread,
so a test sees its own change in the index without waiting.
"""
from __future__ import annotations

import logging
import os
import threading
import time

import click
from flask import current_app

from ..extensions import db
from . import check as checks
from . import locks, outbox

log = logging.getLogger(__name__)

MODES = ("thread", "external", "inline")
CHANNEL = outbox.NOTIFY_CHANNEL


class NotifyWaker:
    """Sleeps until PostgreSQL says a transaction that wrote outbox rows committed (or a timeout)."""

    def __init__(self, engine):
        self.engine = engine
        self.connection = None

    def _listen(self):
        if self.connection is None:
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql(f"LISTEN {CHANNEL}")
            self.connection = connection
        return self.connection.connection.driver_connection

    def start(self) -> None:
        """Listen before the first step, so nothing committed between them goes unheard."""
        try:
            self._listen()
        except Exception as exc:
            log.warning("search follower cannot LISTEN (%s); polling", type(exc).__name__)

    def wait(self, timeout: float, local: threading.Event) -> None:
        if local.is_set():
            return
        try:
            for _notify in self._listen().notifies(timeout=timeout, stop_after=1):
                pass
        except Exception as exc:  # connection lost: poll this time, listen again next time
            log.warning("search follower lost its LISTEN connection (%s)", type(exc).__name__)
            self.close()
            local.wait(timeout)

    def close(self) -> None:
        if self.connection is not None:
            try:
                # Closed for good, never handed back to the pool: it still LISTENs, and a pool already
                # disposed would leave it open until the garbage collector finds it.
                self.connection.invalidate()
                self.connection.close()
            except Exception:
                pass
            self.connection = None


class PollWaker:
    def __init__(self, _engine):
        pass

    def start(self) -> None:
        pass

    def wait(self, timeout: float, local: threading.Event) -> None:
        local.wait(timeout)

    def close(self) -> None:
        pass


def niced(fn, nice: int):
    """fn() in a thread of its own whose priority is lowered by `nice` (Linux keeps a nice value per
    thread), so the caller's thread keeps its own: a rebuild yields the cores to the web workers while
    the changes that come in meanwhile are applied at full speed after it. 0 runs fn here."""
    if not nice:
        return fn()
    outcome: dict = {}

    def run() -> None:
        try:
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
        except (AttributeError, OSError):
            pass  # no per-thread priority here: build at the normal one
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # handed to the caller, as if fn ran in its thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="search-rebuild", daemon=True)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


class Follower:
    """Applies the outbox to one app's index directory; step() once, or run() until stopped."""

    def __init__(self, app):
        self.app = app
        self.root = app.config["SEARCH_INDEX_DIR"]
        self.batch = int(app.config["SEARCH_FOLLOW_BATCH"])
        self.stopping = threading.Event()
        self.woken = threading.Event()  # a commit in this process: no need to wait for the poll
        self.next_check = 0.0  # the first check waits only for the follower to be idle (see _check_due)
        self.checked = False
        self.checking: threading.Thread | None = None
        self.following = False
        self.pid = os.getpid()
        self.rebuild_nice = 0  # `flask search follow` sets SEARCH_FOLLOWER_NICE (not a thread of a web worker)
        self.thread: threading.Thread | None = None
        with app.app_context():
            self.engine = db.engine

    # -- one step ----------------------------------------------------------------------------------

    def step(self, build_missing: bool = True) -> outbox.CatchUp:
        """Apply everything pending; rebuild when the index cannot be followed. Never raises."""
        try:
            with self.app.app_context():
                result = outbox.catch_up(self.root, self.engine, timeout=60, batch=self.batch)
                if result.status == "out_of_step" or (result.status == "missing" and build_missing):
                    result = self._rebuild(result)
                if self.following and self._check_due(result.status):
                    self._start_check()
            if result.status == "locked":
                log.info("search index writer busy; the changes are applied on the next step")
            return result
        except Exception:
            log.exception("search follower step failed; the outbox rows stay for the next step")
            return outbox.CatchUp("failed")

    def _rebuild(self, result: outbox.CatchUp) -> outbox.CatchUp:
        log.warning("search index %s; rebuilding it (search answers from SQL meanwhile)",
                    result.status.replace("_", " "))
        # wait=0: when the CLI is rebuilding already, its swap repairs the index; no second build.
        # One process: an automatic rebuild must leave the other cores to the web workers (the CLI's
        # `flask search rebuild`, run on purpose, builds in parallel).
        figures = niced(lambda: outbox.rebuild(self.root, self.engine, procs=1, wait=0), self.rebuild_nice)
        if figures is None:
            log.info("search index rebuild already under way elsewhere")
            return outbox.CatchUp("rebuilding")
        log.warning("search index rebuilt: %s documents in %s s", figures["documents"], figures["seconds"])
        self.next_check = 0  # prove the fresh index complete on the next step
        return outbox.catch_up(self.root, self.engine, timeout=60, batch=self.batch)

    def _check_due(self, status: str) -> bool:
        """Checks run when nothing is pending. The first after a start waits for a step that found
        nothing at all: catching up on what was committed while no follower ran comes first."""
        if time.monotonic() < self.next_check or (self.checking is not None and self.checking.is_alive()):
            return False
        return status == "idle" if not self.checked else status in ("idle", "done")

    def _start_check(self) -> None:
        """Check beside the follower, in a thread: its database reads take ~0.5-0.9 s at 10k places,
        and meanwhile the follower goes on applying changes (the check holds the write lock only for
        its snapshot and its repair)."""
        self.checked = True
        self.next_check = time.monotonic() + float(self.app.config["SEARCH_CHECK_SECONDS"])
        self.checking = threading.Thread(target=self.check, name="search-check", daemon=True)
        self.checking.start()

    def check(self) -> checks.CheckResult | None:
        try:
            with self.app.app_context():
                result = checks.check(self.root, self.engine, repair=True)
        except Exception as exc:
            log.info("search check skipped: %s", type(exc).__name__)
            return None
        if result.lost:
            log.error("search check: %s applied changes were missing from the index (places %s); repaired",
                      len(result.lost), result.lost[:20])
        return result

    # -- running -----------------------------------------------------------------------------------

    def run(self) -> None:
        """Follow until stop(): stand by while another follower holds this index, then follow."""
        lock = locks.FileLock(self.root, "follow")
        while not self.stopping.is_set():
            try:
                lock.acquire(0)
            except locks.LockBusy:
                self.stopping.wait(float(self.app.config["SEARCH_STANDBY_SECONDS"]))
                continue
            try:
                self._follow()
            finally:
                self.following = False
                lock.release()

    def _follow(self) -> None:
        self.following = True
        waker = (NotifyWaker if self.engine.dialect.name == "postgresql" else PollWaker)(self.engine)
        waker.start()
        poll = float(self.app.config["SEARCH_POLL_SECONDS"])
        if self.engine.dialect.name == "postgresql":
            poll = float(self.app.config["SEARCH_LISTEN_POLL_SECONDS"])  # a safety net under NOTIFY
        try:
            while not self.stopping.is_set():
                self.woken.clear()
                result = self.step()
                if result.status in ("locked", "failed", "rebuilding"):
                    self.stopping.wait(1.0)
                else:
                    waker.wait(poll, self.woken)
        finally:
            waker.close()
            if self.checking is not None:
                self.checking.join(60)

    def wake(self) -> None:
        self.woken.set()

    def stop(self) -> None:
        self.stopping.set()
        self.woken.set()


# --- wiring into the app -------------------------------------------------------------------------

def _in_cli_command() -> bool:
    """True while a CLI command other than `flask run` creates the app: those must not follow."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.info_name != "run"


def init_app(app) -> None:
    mode = app.config["SEARCH_FOLLOWER"]
    if mode not in MODES:
        raise ValueError(f"SEARCH_FOLLOWER must be one of {', '.join(MODES)}, not {mode!r}")
    app.extensions["search_follower"] = None
    if mode == "thread":
        app.before_request(lambda: ensure_thread(app))
        if not _in_cli_command():
            ensure_thread(app)


def on_commit() -> None:
    """After a commit that wrote outbox rows (see outbox.listen)."""
    app = current_app._get_current_object()
    mode = app.config["SEARCH_FOLLOWER"]
    if mode == "inline":
        # Tests build their index when they need one; a commit does not build a missing one.
        Follower(app).step(build_missing=False)
    elif mode == "thread":
        follower = app.extensions.get("search_follower")
        if follower is not None:
            follower.wake()


def ensure_thread(app) -> None:
    """Start this process's follower thread (again after a fork, e.g. gunicorn --preload)."""
    current = app.extensions.get("search_follower")
    if current is not None and current.pid == os.getpid() and current.thread.is_alive():
        return
    follower = Follower(app)
    follower.thread = threading.Thread(target=follower.run, name="search-follower", daemon=True)
    app.extensions["search_follower"] = follower
    follower.thread.start()


def stop_thread(app, timeout: float = 10) -> None:
    follower = app.extensions.get("search_follower")
    if follower is not None:
        follower.stop()
        follower.thread.join(timeout)
        app.extensions["search_follower"] = None


def follow_once(app) -> outbox.CatchUp:
    """One follower step now, in this thread (tests, the inline mode and scripts)."""
    return Follower(app).step()

"""The outbox: change rows written in the same transaction as the change, applied to the index by its follower.

Each index directory remembers how far it followed the outbox (the highest row id applied, plus
ids below it that were not yet visible then: on PostgreSQL a transaction that started earlier can
commit a lower id later). Applying rebuilds each document from the database, so applying a row
twice, or late, is harmless. On PostgreSQL the transaction that writes rows also sends a NOTIFY,
delivered at commit, which wakes the followers of every node.
"""
from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from . import index as idx
from . import locks
from .documents import build_documents, iter_all_documents
from ..places.models import Place
from .models import SearchOutbox

log = logging.getLogger(__name__)

GAP_SECONDS = 300  # a lower id still invisible after this long belonged to a rolled-back transaction
BATCH = 500  # rows per batch; the follower takes batch after batch until it is current
WHOOSH_WRITER_TIMEOUT = 10  # under our write lock only a process of an older release could hold it
NOTIFY_CHANNEL = "ew_search_outbox"


# --- writing rows: session events ------------------------------------------------------------------

def _search_objects(session: Session):
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if hasattr(obj, "search_place_id") and (obj not in session.dirty or session.is_modified(obj)):
            yield obj


def before_flush(session: Session, _flush_context, _instances) -> None:
    """Note what changes. The place id is read now, before the flush (it may follow a relationship);
    a new place gets its id only during the flush, so rows are written after it."""
    found = session.info.setdefault("search_objects", [])
    for obj in _search_objects(session):
        op = "delete" if obj in session.deleted and obj.__class__.__name__ == "Place" else "upsert"
        found.append((obj, op, obj.search_place_id))


def after_flush(session: Session, _flush_context) -> None:
    pending = session.info.pop("search_objects", [])
    rows = {}
    for obj, op, place_id in pending:
        if place_id is None:
            place_id = obj.search_place_id  # a new place: its id was assigned by this flush
        if place_id is not None:
            rows[place_id] = op
    if rows:
        now = datetime.now(timezone.utc)
        connection = session.connection()
        connection.execute(sa.insert(SearchOutbox.__table__), [
            {"place_id": pid, "op": op, "created_at": now} for pid, op in rows.items()])
        if connection.dialect.name == "postgresql" and not session.info.get("search_notified"):
            # Delivered at commit, dropped with a rollback: a follower wakes only for rows it can see.
            connection.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, "")))
            session.info["search_notified"] = True
        session.info["search_changed"] = True


def after_transaction_end(session: Session, transaction) -> None:
    """Whatever was noted belongs to the transaction that is over: after a rollback its rows went with it,
    after a commit the follower was already woken. Only the outermost transaction counts: a rolled-back
    savepoint (a duplicate caught and answered) takes its own rows, and the rest still commits."""
    if transaction.parent is None:
        session.info.pop("search_objects", None)
        session.info.pop("search_changed", None)
        session.info.pop("search_notified", None)


def listen(session_class, on_commit) -> None:
    """Hook the events on a session class; on_commit() is called after a commit that wrote rows."""
    def after_commit(session: Session) -> None:
        session.info.pop("search_notified", None)
        if session.info.pop("search_changed", False):
            on_commit()

    if not event.contains(session_class, "before_flush", before_flush):
        event.listen(session_class, "before_flush", before_flush)
        event.listen(session_class, "after_flush", after_flush)
        event.listen(session_class, "after_transaction_end", after_transaction_end)
        event.listen(session_class, "after_commit", after_commit)


# --- applying rows: the follower's step ----------------------------------------------------------

@dataclass
class CatchUp:
    status: str  # done | idle | locked | missing | out_of_step (corrupt, or the outbox no longer matches)
    applied: int = 0
    places: list[int] = field(default_factory=list)


def _pending(session: Session, state: dict, batch: int = BATCH):
    gaps = [int(g) for g in state.get("gaps", {})]
    cond = SearchOutbox.id > state["applied_through"]
    if gaps:
        cond = sa.or_(cond, SearchOutbox.id.in_(gaps))
    return session.execute(sa.select(SearchOutbox.id, SearchOutbox.place_id, SearchOutbox.created_at)
                           .where(cond).order_by(SearchOutbox.id).limit(batch)).all()


def _state_is_current(session: Session, state: dict) -> bool:
    """False when the outbox no longer holds the row this index stopped at: the database was reset or
    restored, or rows this index never saw were pruned. Only a rebuild is safe then."""
    if not state["applied_through"]:
        return True
    created = session.scalar(sa.select(SearchOutbox.created_at).where(SearchOutbox.id == state["applied_through"]))
    return created is not None and str(created) == state["last_created"]


def _next_state(state: dict, rows) -> dict:
    now = time.time()
    seen = {r.id for r in rows}
    gaps = {g: t for g, t in state.get("gaps", {}).items() if int(g) not in seen and now - t < GAP_SECONDS}
    top = max(seen | {state["applied_through"]})  # a late lower id fills a gap, it does not move back
    for missing in range(state["applied_through"] + 1, top):
        if missing not in seen:
            gaps[str(missing)] = now
    last = next((r for r in rows if r.id == top), None)
    return {"applied_through": top, "gaps": gaps,
            "last_created": str(last.created_at) if last else state["last_created"]}


def _expire_gaps(gen, state: dict) -> None:
    fresh = {g: t for g, t in state.get("gaps", {}).items() if time.time() - t < GAP_SECONDS}
    if len(fresh) != len(state.get("gaps", {})):
        idx.write_state(gen, {**state, "gaps": fresh})


def _apply_batch(session: Session, gen, ix, batch: int) -> tuple[str, list, list[int]]:
    """One batch under the write lock: documents, Whoosh commit, then the position. A crash in
    between leaves the position behind what was applied (applied again: harmless), never ahead."""
    state = idx.read_state(gen)
    if not _state_is_current(session, state):
        return "out_of_step", [], []
    rows = _pending(session, state, batch)
    if not rows:
        _expire_gaps(gen, state)
        return "idle", [], []
    place_ids = list(dict.fromkeys(r.place_id for r in rows))
    documents, gone = build_documents(session, place_ids)
    writer = idx.writer_for(ix, WHOOSH_WRITER_TIMEOUT)
    try:
        idx.apply_documents(writer, documents, gone)
        idx.commit(writer, len(ix._segments()))
    except BaseException:
        writer.cancel()
        raise
    idx.write_state(gen, _next_state(state, rows))
    return "done", rows, place_ids


def _one_batch(root: str, engine, batch: int) -> tuple[str, list, list[int]]:
    try:
        gen, ix = idx.open_index(root)
    except idx.IndexUnavailable as exc:
        return ("missing" if exc.reason == "missing" else "out_of_step"), [], []
    try:
        with Session(engine) as session:
            return _apply_batch(session, gen, ix, batch)
    except idx.LockError:
        return "locked", [], []
    finally:
        ix.close()


def catch_up(root: str, engine, timeout: float | None = 30, batch: int = BATCH) -> CatchUp:
    """Apply every pending outbox row, batch after batch, until the index is current.

    Holds the index's write lock for each batch (waiting at most `timeout` seconds for it; 'locked'
    when it stays busy), so the position saved is always the one just applied, whoever else runs.
    """
    applied, places = 0, {}
    while True:
        try:
            with locks.holding(root, "write", timeout):
                status, rows, place_ids = _one_batch(root, engine, batch)
        except locks.LockBusy:
            status = "locked"
        if status != "done":
            return CatchUp("done" if status == "idle" and applied else status, applied, list(places))
        applied += len(rows)
        places.update(dict.fromkeys(place_ids))


def rebuild(root: str, engine, procs: int | None = None, wait: float | None = None) -> dict | None:
    """Build a complete index beside the live one, then swap it in. Returns figures for the CLI.

    `procs` None: several processes for a large database (the CLI), 1: one process (the follower,
    which must not take every core from the web workers).
    One rebuild at a time per index directory (the follower's and the CLI's alike): with `wait`
    None a second one waits its turn, otherwise it gives up after `wait` seconds and returns None.
    The swap itself happens under the write lock, so no batch is half-applied to a generation
    that is being retired.
    """
    try:
        lock = locks.FileLock(root, "rebuild")
        lock.acquire(wait)
    except locks.LockBusy:
        return None
    try:
        return _rebuild(root, engine, procs)
    finally:
        lock.release()


def _rebuild(root: str, engine, procs: int | None) -> dict:
    started = time.perf_counter()
    with Session(engine) as session:
        if procs is None:
            # Worker processes pay off only for a large database; they each get a segment.
            many = session.scalar(sa.select(sa.func.count()).select_from(Place)) > 3000
            procs = min(4, os.cpu_count() or 1) if many else 1
        # Read the outbox position first: anything committed after this is applied on the next catch-up.
        recent = session.execute(sa.select(SearchOutbox.id, SearchOutbox.created_at)
                                 .order_by(SearchOutbox.id.desc()).limit(1000)).all()
        gen = idx.new_generation(root)
        count = idx.build(gen, iter_all_documents(session), procs=procs)
    state = {"applied_through": 0, "last_created": None, "gaps": {}}
    if recent:
        top = recent[0]
        present = {r.id for r in recent}
        now = time.time()
        state = {"applied_through": top.id, "last_created": str(top.created_at),
                 "gaps": {str(i): now for i in range(max(1, top.id - 1000), top.id) if i not in present}}
    idx.write_state(gen, state)
    with locks.holding(root, "write"):
        idx.swap(gen)
    return {"documents": count, "seconds": round(time.perf_counter() - started, 2),
            "generation": gen.name}


def prune(engine, keep_days: int) -> int:
    """Remove outbox rows older than keep_days; an index that slept longer than that rebuilds itself."""
    cutoff = datetime.now(timezone.utc) - timedelta(days=keep_days)
    with Session(engine) as session:
        result = session.execute(sa.delete(SearchOutbox).where(SearchOutbox.created_at < cutoff))
        session.commit()
        return result.rowcount or 0


def backlog(root: str, engine) -> int | None:
    """How many outbox rows this index has not applied yet (None when there is no index)."""
    try:
        gen = idx.current_generation(root)
    except idx.IndexUnavailable:
        return None
    state = idx.read_state(gen)
    with Session(engine) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(SearchOutbox)
                              .where(SearchOutbox.id > state["applied_through"]))

"""The outbox: change rows written in the same transaction as the change, applied to the index after commit.

Each process keeps its own index and remembers in it how far it followed the outbox (the highest
row id applied, plus ids below it that were not yet visible then: on PostgreSQL a transaction that
started earlier can commit a lower id later). Applying rebuilds each document from the database,
so applying a row twice, or late, is harmless.
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
from .documents import build_documents, iter_all_documents
from ..places.models import Place
from .models import SearchOutbox

log = logging.getLogger(__name__)

GAP_SECONDS = 300  # a lower id still invisible after this long belonged to a rolled-back transaction
BATCH = 2000


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
        session.connection().execute(sa.insert(SearchOutbox.__table__), [
            {"place_id": pid, "op": op, "created_at": now} for pid, op in rows.items()])
        session.info["search_changed"] = True


def after_rollback(session: Session) -> None:
    """Whatever was noted belongs to the transaction that is gone; its rows went with it."""
    session.info.pop("search_objects", None)
    session.info.pop("search_changed", None)


def listen(session_class, on_commit) -> None:
    """Hook the events on a session class; on_commit() is called after a commit that wrote rows."""
    def after_commit(session: Session) -> None:
        if session.info.pop("search_changed", False):
            on_commit()

    if not event.contains(session_class, "before_flush", before_flush):
        event.listen(session_class, "before_flush", before_flush)
        event.listen(session_class, "after_flush", after_flush)
        event.listen(session_class, "after_rollback", after_rollback)
        event.listen(session_class, "after_soft_rollback", lambda s, _t: after_rollback(s))
        event.listen(session_class, "after_commit", after_commit)


# --- applying rows: catch-up ------------------------------------------------------------------------

@dataclass
class CatchUp:
    status: str  # done | idle | locked | missing | out_of_step (corrupt, or the outbox no longer matches)
    applied: int = 0
    places: list[int] = field(default_factory=list)


def _pending(session: Session, state: dict):
    gaps = [int(g) for g in state.get("gaps", {})]
    cond = SearchOutbox.id > state["applied_through"]
    if gaps:
        cond = sa.or_(cond, SearchOutbox.id.in_(gaps))
    return session.execute(sa.select(SearchOutbox.id, SearchOutbox.place_id, SearchOutbox.created_at)
                           .where(cond).order_by(SearchOutbox.id).limit(BATCH)).all()


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


def catch_up(root: str, engine, timeout: float) -> CatchUp:
    """Apply outbox rows this index has not seen. Never raises for a busy index: it says 'locked'."""
    try:
        gen, ix = idx.open_index(root)
    except idx.IndexUnavailable as exc:
        return CatchUp("missing" if exc.reason == "missing" else "out_of_step")
    try:
        with Session(engine) as session:
            state = idx.read_state(gen)
            if not _state_is_current(session, state):
                return CatchUp("out_of_step")
            rows = _pending(session, state)
            if not rows:
                _expire_gaps(gen, state)
                return CatchUp("idle")
            try:
                writer = idx.writer_for(ix, timeout)
            except idx.LockError:
                return CatchUp("locked")
            # Read again under the lock: another worker may have applied them meanwhile.
            state = idx.read_state(gen)
            rows = _pending(session, state)
            place_ids = list(dict.fromkeys(r.place_id for r in rows))
            try:
                documents, gone = build_documents(session, place_ids) if place_ids else ([], [])
                idx.apply_documents(writer, documents, gone)
                idx.commit(writer, len(ix._segments()))
            except BaseException:
                writer.cancel()
                raise
            idx.write_state(gen, _next_state(state, rows))
            return CatchUp("done", applied=len(rows), places=place_ids)
    finally:
        ix.close()


def rebuild(root: str, engine, procs: int | None = None) -> dict:
    """Build a complete index beside the live one, then swap it in. Returns figures for the CLI."""
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

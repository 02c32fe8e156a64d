"""Proving the index complete: compare each document's version with the database, repair what differs.

Every document carries the newest outbox row of its place seen when it was built (documents.py).
A published place without a document, a document of a place that is no longer published, and a
document older than its place's newest row are differences. Those whose rows the index's position
already covers are *lost* changes (an acknowledged write that search would never show); the others
are merely pending. Both are repaired by rebuilding just those documents from the database.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..places.models import Place
from . import index as idx
from . import locks
from .documents import build_documents, outbox_versions
from .models import SearchOutbox

CHECK_FILE = "check.json"


@dataclass
class CheckResult:
    documents: int = 0
    published: int = 0
    missing: list[int] = field(default_factory=list)  # published, no document
    extra: list[int] = field(default_factory=list)  # a document, not published (or gone)
    stale: list[int] = field(default_factory=list)  # document older than the place's newest outbox row
    lost: list[int] = field(default_factory=list)  # of those, changes the position says were applied
    repaired: int = 0
    at: float = 0.0

    @property
    def differs(self) -> list[int]:
        return sorted(set(self.missing) | set(self.extra) | set(self.stale))

    @property
    def ok(self) -> bool:
        return not self.lost


def _pending_places(session: Session, state: dict) -> set[int]:
    gaps = [int(g) for g in state.get("gaps", {})]
    cond = SearchOutbox.id > state["applied_through"]
    if gaps:
        cond = sa.or_(cond, SearchOutbox.id.in_(gaps))
    return set(session.scalars(sa.select(SearchOutbox.place_id).where(cond).distinct()))


def compare(session: Session, indexed: dict[int, int], state: dict) -> CheckResult:
    """Differences between the documents (place id -> version) and the database, judged by `state`,
    the position saved together with those documents."""
    # Published places first, versions after: a place published in between then shows up as
    # pending (its row is newer than the position), never as lost.
    published = set(session.scalars(sa.select(Place.id).where(Place.status == "published")))
    versions = outbox_versions(session)
    pending = _pending_places(session, state)
    result = CheckResult(documents=len(indexed), published=len(published), at=time.time())
    result.missing = sorted(published - indexed.keys())
    result.extra = sorted(indexed.keys() - published)
    result.stale = sorted(pid for pid, version in indexed.items()
                          if pid in published and version < versions.get(pid, 0))
    result.lost = [pid for pid in result.differs if pid not in pending]
    return result


@dataclass
class Snapshot:
    gen: idx.Generation
    state: dict
    reader: object  # a Whoosh reader of the documents as they were with that state


def snapshot(root: str, timeout: float | None = 60) -> Snapshot:
    """The documents and the position that goes with them, taken under the write lock (so no batch
    is half-applied) and read after it: the lock is held only for opening, never for the compare."""
    with locks.holding(root, "write", timeout):
        gen, ix = idx.open_index(root)
        try:
            return Snapshot(gen, idx.read_state(gen), idx.pinned_reader(ix))
        finally:
            ix.close()


def check(root: str, engine, repair: bool = True, timeout: float | None = 60) -> CheckResult:
    """Compare the live index with the database; repair the differences.

    Only the snapshot and the repair hold the write lock, so the follower applies changes while the
    database is read. A change it applies meanwhile is judged by the snapshot's position: above it,
    so pending, never lost. Raises IndexUnavailable when there is no readable index (a rebuild is
    what it needs) and LockBusy when the writer stays busy for `timeout` seconds.
    """
    taken = snapshot(root, timeout)
    try:
        indexed = idx.versions_in(taken.reader)
    finally:
        taken.reader.close()
    with Session(engine) as session:
        result = compare(session, indexed, taken.state)
    if repair and result.differs:
        result.repaired = _repair(root, engine, result.differs, timeout)
    try:
        save(taken.gen, result)
    except FileNotFoundError:
        pass  # a rebuild retired the generation meanwhile; the new one gets a check of its own
    return result


def _repair(root: str, engine, place_ids: list[int], timeout: float | None) -> int:
    """Rebuild these documents from the database in the live generation (which a rebuild may have
    swapped meanwhile). The follower may have applied some of them since the snapshot: applying
    a document again is harmless, it is built from the database as it is now."""
    with locks.holding(root, "write", timeout):
        _gen, ix = idx.open_index(root)
        try:
            with Session(engine) as session:
                documents, gone = build_documents(session, place_ids)
                writer = idx.writer_for(ix, 10)
                try:
                    idx.apply_documents(writer, documents, gone)
                    writer.commit(merge=False)
                except BaseException:
                    writer.cancel()
                    raise
        finally:
            ix.close()
    return len(place_ids)


def save(gen: idx.Generation, result: CheckResult) -> None:
    tmp = gen.path / f"{CHECK_FILE}.tmp"
    tmp.write_text(json.dumps(asdict(result)))
    tmp.replace(gen.path / CHECK_FILE)


def last_result(root: str) -> CheckResult | None:
    """The last check of the live generation, for /health (None: not checked yet)."""
    try:
        gen = idx.current_generation(root)
        return CheckResult(**json.loads((gen.path / CHECK_FILE).read_text()))
    except (idx.IndexUnavailable, FileNotFoundError, ValueError, TypeError):
        return None

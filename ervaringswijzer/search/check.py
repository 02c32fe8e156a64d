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


def compare(session: Session, ix, state: dict) -> CheckResult:
    indexed = idx.indexed_versions(ix)
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


def check(root: str, engine, repair: bool = True, timeout: float | None = 60) -> CheckResult:
    """Compare the live index with the database under the write lock; repair the differences.

    Raises IndexUnavailable when there is no readable index (a rebuild is what it needs) and
    LockBusy when the writer stays busy for `timeout` seconds.
    """
    with locks.holding(root, "write", timeout):
        gen, ix = idx.open_index(root)
        try:
            with Session(engine) as session:
                result = compare(session, ix, idx.read_state(gen))
                if repair and result.differs:
                    documents, gone = build_documents(session, result.differs)
                    writer = idx.writer_for(ix, 10)
                    try:
                        idx.apply_documents(writer, documents, gone)
                        writer.commit(merge=False)
                    except BaseException:
                        writer.cancel()
                        raise
                    result.repaired = len(result.differs)
        finally:
            ix.close()
        save(gen, result)
    return result


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

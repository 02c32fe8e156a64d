"""The one module that touches Whoosh files: open, search through a reused searcher, write, rebuild and swap.

Layout of SEARCH_INDEX_DIR: generation folders (gen-...) and a CURRENT file naming the live one.
A rebuild fills a new generation beside the live one and swaps CURRENT with an atomic rename, so
searches never see a half-built index. Only the follower and the CLI write (see follower.py);
readers open whatever generation is live and retry when a commit elsewhere removes a segment
file between reading the table of contents and opening the file.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError

from .schema import SaturatedWeighting, make_schema

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
STATE = "outbox-state.json"


class IndexUnavailable(Exception):
    """The index is missing or cannot be read; callers fall back to SQL."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Generation:
    root: Path
    name: str

    @property
    def path(self) -> Path:
        return self.root / self.name


def current_generation(root: str | Path) -> Generation:
    root = Path(root)
    try:
        name = (root / CURRENT).read_text().strip()
    except FileNotFoundError:
        raise IndexUnavailable("missing") from None
    if not name or "/" in name or not (root / name).is_dir():
        raise IndexUnavailable("missing")
    return Generation(root, name)


OPEN_ATTEMPTS = 6


def retry_vanished(fn):
    """Call fn, again when a file it opens vanished meanwhile.

    A commit in another process (a merge) deletes segment files; a reader that read the table of
    contents just before finds one gone. That is a race, not damage: the next table of contents
    no longer lists the file. Only when it keeps happening is the index really broken.
    """
    for attempt in range(OPEN_ATTEMPTS):
        try:
            return fn()
        except FileNotFoundError:
            if attempt == OPEN_ATTEMPTS - 1:
                raise
            time.sleep(0.005 * 2 ** attempt)


def _storage(path: Path) -> FileStorage:
    """Whoosh files are read, never memory-mapped. A file truncated under a mapping (an index damaged
    or overwritten while a searcher has it open) kills the whole worker with SIGBUS at the first read
    past its new end; read with plain file calls, the same damage raises and search answers from SQL."""
    return FileStorage(str(path), supports_mmap=False)


def _open(path: Path, verify: bool):
    ix = _storage(path).open_index()
    if not verify:
        return ix
    try:
        ix.reader().close()  # damaged segment files show only when a reader opens them
    except BaseException:
        ix.close()
        raise
    return ix


def open_index(root: str | Path, verify: bool = True):
    """The live generation and its Whoosh index; IndexUnavailable when it is missing or damaged."""
    gen = current_generation(root)
    try:
        return gen, retry_vanished(lambda: _open(gen.path, verify))
    except Exception as exc:  # whoosh raises many kinds on damaged files
        if not gen.path.is_dir():
            raise IndexUnavailable("missing") from exc
        raise IndexUnavailable(f"corrupt: {type(exc).__name__}") from exc


def live_marker(root: str | Path) -> str:
    """Changes whenever what a search of this index finds can change: the live generation and its
    newest Whoosh commit (a table of contents per commit). Two small file-system reads, no Whoosh."""
    try:
        gen = current_generation(root)
        commits = [int(name[:-4].rsplit("_", 1)[1]) for name in os.listdir(gen.path)
                   if name.endswith(".toc") and name[:-4].rsplit("_", 1)[-1].isdigit()]
    except (IndexUnavailable, FileNotFoundError):
        return "missing"
    return f"{gen.name}/{max(commits, default=0)}"


# --- state: how far this index has followed the outbox -------------------------------------------

def read_state(gen: Generation) -> dict:
    try:
        return json.loads((gen.path / STATE).read_text())
    except (FileNotFoundError, ValueError):
        return {"applied_through": 0, "last_created": None, "gaps": {}}


def write_state(gen: Generation, state: dict) -> None:
    """Atomically, and on disk before it counts: a crash leaves the old position or the new one."""
    tmp = gen.path / f"{STATE}.{os.getpid()}.{threading.get_ident()}.tmp"
    with open(tmp, "w") as out:
        out.write(json.dumps(state))
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, gen.path / STATE)


# --- searching: one searcher per thread and index, refreshed only when the index changed -----------

_local = threading.local()
# Every thread's searchers, so those of a thread that ended are closed, not left to the garbage
# collector with their files open (a threaded server starts a thread per request). Searchers read
# files with seek and read, so threads never share one.
_threads: dict[int, tuple[threading.Thread, OrderedDict]] = {}
_threads_lock = threading.Lock()


def _close_all(searchers: OrderedDict) -> None:
    for _name, _ix, searcher in list(searchers.values()):
        try:
            searcher.close()
        except Exception:  # a reader of a damaged generation may fail to close; its files go anyway
            pass
    searchers.clear()


def _close_ended_threads() -> None:
    with _threads_lock:
        for ident, (thread, searchers) in list(_threads.items()):
            if not thread.is_alive():
                _close_all(searchers)
                del _threads[ident]


def _cache() -> OrderedDict:
    searchers = getattr(_local, "searchers", None)
    if searchers is None:
        _close_ended_threads()
        searchers = _local.searchers = OrderedDict()
        with _threads_lock:
            earlier = _threads.get(threading.get_ident())
            if earlier is not None:  # an ended thread whose id was given to this one
                _close_all(earlier[1])
            _threads[threading.get_ident()] = (threading.current_thread(), searchers)
    return searchers


def searcher_for(root: str | Path):
    """A searcher on the live generation, reused across requests until the index changes.

    Not Searcher.refresh(): it reuses segment readers by segment id and so keeps their old
    deletion sets; a place taken out of the index would still be found.
    """
    try:
        return retry_vanished(lambda: _searcher_for(root))
    except FileNotFoundError as exc:
        forget_searcher(root)
        raise IndexUnavailable("corrupt: FileNotFoundError") from exc


def _searcher_for(root: str | Path):
    key = str(root)
    cache = _cache()
    gen = current_generation(root)
    cached = cache.get(key)
    if cached and cached[0] == gen.name:
        _name, ix, searcher = cached
        try:
            if ix.latest_generation() == searcher.reader().generation():
                cache.move_to_end(key)
                return searcher
            searcher.close()
            searcher = ix.searcher(weighting=SaturatedWeighting())
        except FileNotFoundError:
            forget_searcher(key)
            raise
        except Exception as exc:
            forget_searcher(key)
            raise IndexUnavailable(f"corrupt: {type(exc).__name__}") from exc
        cache[key] = (gen.name, ix, searcher)
        return searcher
    forget_searcher(key)
    _gen, ix = open_index(root, verify=False)  # the searcher opens the readers itself
    try:
        searcher = ix.searcher(weighting=SaturatedWeighting())
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise IndexUnavailable(f"corrupt: {type(exc).__name__}") from exc
    cache[key] = (gen.name, ix, searcher)
    while len(cache) > 4:  # tests and tools open many indexes; keep file handles bounded
        _old_key, (_name, _ix, old) = cache.popitem(last=False)
        old.close()
    return searcher


def forget_searcher(root: str | Path) -> None:
    cached = _cache().pop(str(root), None)
    if cached:
        cached[2].close()


def close_searchers() -> None:
    """This thread's searchers, and those of threads that ended."""
    for key in list(_cache()):
        forget_searcher(key)
    _close_ended_threads()


# --- writing --------------------------------------------------------------------------------------

def writer_for(ix, timeout: float):
    """The index writer, waited for at most `timeout` seconds; LockError when another holds it."""
    return ix.writer(timeout=timeout, delay=0.02)


def apply_documents(writer, documents: list[dict], gone: list[int]) -> None:
    for place_id in gone:
        writer.delete_by_term("id", str(place_id))
    for document in documents:
        writer.update_document(**document)


def commit(writer, segment_count: int) -> None:
    """Commit without merging, until small segments pile up; then let Whoosh merge the small ones.

    A commit of one place takes 4-8 ms at 10k places and a merge of the small segments 58-103 ms,
    so most commits skip it and every 8th or so takes it.
    """
    if segment_count >= 8:
        writer.commit()
    else:
        writer.commit(merge=False)


def indexed_versions(ix) -> dict[int, int]:
    """Place id -> the outbox version its document was built from (-1: built before versions existed)."""
    reader = retry_vanished(ix.reader)
    try:
        return versions_in(reader)
    finally:
        reader.close()


def versions_in(reader) -> dict[int, int]:
    return {int(fields["id"]): int(fields.get("version", -1)) for _n, fields in reader.iter_docs()}


def pinned_reader(ix):
    """A reader with every file it needs to list the documents already open, for reading later.

    Whoosh opens a segment's stored-fields file only at the first document read; a merge committed
    meanwhile may have deleted it. Opened now, under the write lock, it stays readable (an open file
    outlives its name), so the documents can be read after the lock is released.
    """
    return retry_vanished(lambda: _pinned_reader(ix))


def _pinned_reader(ix):
    reader = ix.reader()
    try:
        for leaf, _offset in reader.leaf_readers():
            if leaf.doc_count_all():
                leaf.stored_fields(0)
    except BaseException:
        reader.close()
        raise
    return reader


# --- rebuilding -----------------------------------------------------------------------------------

def new_generation(root: str | Path) -> Generation:
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    name = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
    path = root / name
    path.mkdir()
    _storage(path).create_index(make_schema())
    return Generation(root, name)


def build(gen: Generation, documents, procs: int = 1, limitmb: int = 256) -> int:
    """Fill a fresh generation with documents: one writer, or `procs` processes each writing a segment.

    With several processes, multisegment keeps their segments apart instead of merging them at
    the end (the merge is about half of a single-process build).
    """
    ix = _storage(gen.path).open_index()
    if procs > 1:
        writer = ix.writer(procs=procs, limitmb=limitmb, multisegment=True)
    else:
        writer = ix.writer(limitmb=limitmb)
    count = 0
    try:
        for document in documents:
            writer.add_document(**document)
            count += 1
        writer.commit(merge=False) if procs == 1 else writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
    return count


def swap(gen: Generation) -> None:
    """Make gen the live generation (atomic rename), then remove generations older than the previous one."""
    previous = None
    try:
        previous = current_generation(gen.root).name
    except IndexUnavailable:
        pass
    tmp = gen.root / f"{CURRENT}.{os.getpid()}.tmp"
    tmp.write_text(gen.name)
    os.replace(tmp, gen.root / CURRENT)
    for child in gen.root.iterdir():
        # The previous generation may still be open in another worker; it goes at the next swap.
        if child.is_dir() and child.name not in (gen.name, previous):
            shutil.rmtree(child, ignore_errors=True)


def index_size(root: str | Path) -> int:
    gen = current_generation(root)
    return sum(f.stat().st_size for f in gen.path.iterdir() if f.is_file())


__all__ = ["IndexUnavailable", "LockError", "open_index", "searcher_for", "writer_for", "build", "swap"]

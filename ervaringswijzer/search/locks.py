"""Inter-process locks for one index directory: who follows, who writes, who rebuilds.

The lock files sit in the index directory's parent, beside it, so deleting or replacing the index
directory never removes a lock someone holds. They are flock locks: the kernel drops them when
the holder dies, even by kill -9, so a crashed follower never blocks the next one.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

# follow: the one process that applies the outbox to this index (others stand by)
# write: applying a batch and saving the position; swapping a rebuilt generation in
# rebuild: one rebuild at a time, from the follower or the CLI
KINDS = ("follow", "write", "rebuild")


class LockBusy(Exception):
    """Another process (or thread) holds the lock."""


def lock_path(root: str | Path, kind: str) -> Path:
    assert kind in KINDS
    root = Path(root).resolve()
    root.parent.mkdir(parents=True, exist_ok=True)
    return root.parent / f".{root.name}.{kind}.lock"


class FileLock:
    """An exclusive flock on a lock file. Each acquisition opens its own file, so two threads of
    one process exclude each other as two processes do."""

    def __init__(self, root: str | Path, kind: str):
        self.path = lock_path(root, kind)
        self._fd: int | None = None

    def acquire(self, timeout: float | None = None, poll: float = 0.05) -> None:
        """Wait at most `timeout` seconds (None: for ever, 0: not at all); LockBusy when it stays held."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._fd = fd
                return
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockBusy(str(self.path)) from None
                time.sleep(poll)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


@contextmanager
def holding(root: str | Path, kind: str, timeout: float | None = None):
    lock = FileLock(root, kind)
    lock.acquire(timeout)
    try:
        yield lock
    finally:
        lock.release()


def is_held(root: str | Path, kind: str) -> bool:
    """True when someone holds the lock now (for status and health, never for deciding to write)."""
    lock = FileLock(root, kind)
    try:
        lock.acquire(0)
    except LockBusy:
        return True
    lock.release()
    return False

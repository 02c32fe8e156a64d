"""The per-process stores of built answers (core.caching) shared by the threads of one process."""
import sys
import threading

from ervaringswijzer.core.caching import Kept, KeptPages


def _hammer(work, threads: int = 8) -> list:
    """Run work(n) in threads released together, switching between them as often as CPython can."""
    barrier, errors = threading.Barrier(threads), []

    def run(n: int) -> None:
        barrier.wait()
        try:
            work(n)
        except Exception as exc:  # a KeyError from a key another thread dropped, say
            errors.append(repr(exc))

    started = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in started:
            thread.start()
        for thread in started:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    return errors


def test_kept_pages_stay_whole_with_many_threads_putting_and_getting():
    """Eight threads put and get pages in a store that holds a few: no error, the size is what it holds."""
    pages = KeptPages(8 * 400)  # room for about eight pages of 300-400 characters

    def work(n: int) -> None:
        for i in range(20000):
            key = (n * 7 + i) % 40
            if pages.get(key) is None:
                pages.put(key, "x" * (300 + key), key)

    assert _hammer(work) == []
    assert pages.size == sum(len(body) for body, _extras in pages.pages.values()) <= pages.limit
    assert all(extras == len(body) - 300 for body, extras in pages.pages.values())
    pages.clear()
    assert (pages.size, pages.get(1)) == (0, None)


def test_kept_values_stay_bounded_with_many_threads():
    """Eight threads ask a small LRU for values it must build and drop all the time: no error, never over its size."""
    kept = Kept(16)

    def work(n: int) -> None:
        for i in range(20000):
            key = (n * 5 + i) % 64
            assert kept.get(key, lambda: key * 2) == key * 2

    assert _hammer(work) == []
    assert len(kept.values) <= 16

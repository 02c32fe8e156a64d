"""Racing requests for tests: many at once in threads, or one that runs just before another one's INSERT."""
from __future__ import annotations

import threading
from contextlib import contextmanager

from sqlalchemy import event

from ervaringswijzer.extensions import db


def at_once(count: int, attempt) -> list:
    """Run attempt(i) in `count` threads released together; returns each one's result or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = attempt(i)
        except Exception as exc:  # a 500 under TESTING surfaces as the view's exception
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@contextmanager
def runs_first(app, table: str, other):
    """Just before the code under test inserts into `table`, other() (a whole request) runs and commits.

    This replays, one step after another, what two identical requests at the same moment do: both
    look for the row, neither finds it, and the other one writes it first.
    """
    fired: list[bool] = []
    prefix = f"INSERT INTO {table} "

    def before(conn, cursor, statement, parameters, context, executemany):
        if not fired and statement.lstrip().startswith(prefix):
            fired.append(True)
            # A thread of its own, as a second request has: in this thread it would share our app context
            # and so our database session.
            thread = threading.Thread(target=other)
            thread.start()
            thread.join(30)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield fired
    finally:
        event.remove(engine, "before_cursor_execute", before)

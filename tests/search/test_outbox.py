"""The index follows the database: commit, rollback, delete, unpublish, crashes, locks, late ids."""
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place
from ervaringswijzer.places.services import upsert_place
from ervaringswijzer import create_app
from ervaringswijzer.search import locks, outbox, reindex_places
from ervaringswijzer.search.follower import follow_once, stop_thread
from ervaringswijzer.search.models import SearchOutbox

from .helpers import PLACE, index_ids, outbox_count, wait_until

ROOT = Path(__file__).resolve().parents[2]


def _add(app, **changes) -> int:
    with app.app_context():
        place, errors, _ = upsert_place({**PLACE, **changes})
        assert not errors
        db.session.commit()
        return place.id


def test_commit_makes_a_new_place_findable(search_app):
    """A committed new place is in the index right after the commit (its id came only at flush)."""
    assert index_ids(search_app, "zilvermeeuw") == []
    place_id = _add(search_app)
    assert index_ids(search_app, "zilvermeeuw") == [place_id]


def test_rollback_leaves_nothing_behind(search_app):
    """A flushed then rolled-back place leaves no outbox row, no index entry, and no stale state."""
    before = outbox_count(search_app)
    with search_app.app_context():
        place, errors, _ = upsert_place(PLACE)
        db.session.flush()
        assert place.id is not None and db.session.info.get("search_changed")
        db.session.rollback()
        assert "search_changed" not in db.session.info
    assert outbox_count(search_app) == before
    _add(search_app, name="Iets Anders", slug="iets-anders", description="Een ander verhaal.")
    assert index_ids(search_app, "zilvermeeuw") == []


def test_a_rolled_back_savepoint_keeps_the_rest_of_the_transaction_followed(search_app):
    """A savepoint that fails inside a transaction (a duplicate caught and answered) does not make the
    commit forget the changes made around it: the place is findable right after the commit."""
    _add(search_app, name="Eerste Plek", slug="dubbel-slug", description="Een eerste verhaal.")
    with search_app.app_context():
        place, errors, _ = upsert_place(PLACE)
        assert not errors
        db.session.flush()
        try:
            with db.session.begin_nested():
                db.session.add(Place(name="Dubbel", slug="dubbel-slug", status="published"))
        except sa.exc.IntegrityError:
            pass
        else:
            raise AssertionError("the duplicate slug should have failed inside the savepoint")
        db.session.commit()
        place_id = place.id
    assert index_ids(search_app, "zilvermeeuw") == [place_id]


def test_edit_delete_and_unpublish_follow(search_app):
    """An edit changes what is found; archiving and deleting take the place out of the index."""
    place_id = _add(search_app)
    with search_app.app_context():
        place = db.session.get(Place, place_id)
        place.description = "Nu met een schaakbord op dinsdag."
        db.session.commit()
    assert index_ids(search_app, "schaakbord") == [place_id]
    assert index_ids(search_app, "zilvermeeuwpark") == []
    with search_app.app_context():
        db.session.get(Place, place_id).status = "archived"
        db.session.commit()
    assert index_ids(search_app, "schaakbord") == []
    with search_app.app_context():
        place = db.session.get(Place, place_id)
        place.status = "published"
        db.session.commit()
    assert index_ids(search_app, "schaakbord") == [place_id]
    with search_app.app_context():
        db.session.delete(db.session.get(Place, place_id))
        db.session.commit()
    assert index_ids(search_app, "schaakbord") == []


def test_commit_never_waits_for_the_writer_and_the_follower_applies_it(search_app):
    """With the writer busy a request's commit returns without waiting for it; the follower thread applies it when free."""
    bp = Blueprint("search_test_add", __name__)

    @bp.route("/_test/add", methods=["POST"])
    def add():
        upsert_place(PLACE)
        db.session.commit()
        return "ok"

    app = create_app({**search_app.config, "SEARCH_FOLLOWER": "thread", "SEARCH_POLL_SECONDS": 0.1})
    app.register_blueprint(bp)
    root = app.config["SEARCH_INDEX_DIR"]
    try:
        wait_until(lambda: app.extensions["search_follower"].following)
        with locks.holding(root, "write"):  # a long batch, a rebuild's swap, a check
            # The request runs beside this holder and must end while the lock is still held: a commit
            # that waited for the writer would end only once it is let go (or hang here).
            answers: list = []
            request = threading.Thread(target=lambda: answers.append(
                app.test_client().post("/_test/add").get_data(as_text=True)))
            request.start()
            request.join(60)
            assert answers == ["ok"]
            time.sleep(0.3)  # the follower's turns (every 0.1 s) find the writer busy
            assert index_ids(app, "zilvermeeuw") == []
            with app.app_context():
                assert outbox.backlog(root, db.engine) == 1
        wait_until(lambda: len(index_ids(app, "zilvermeeuw")) == 1)  # applied once the writer is free
    finally:
        stop_thread(app)
        with app.app_context():
            db.engine.dispose()


CRASH_SCRIPT = textwrap.dedent("""
    import os, sys
    from sqlalchemy import event
    from flask_sqlalchemy.session import Session
    from ervaringswijzer import create_app
    from ervaringswijzer.extensions import db
    from ervaringswijzer.places.services import upsert_place
    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SEARCH_INDEX_DIR": sys.argv[2],
                      "SEARCH_FOLLOWER": "inline"})
    # Die right after the commit, before the index is written: the worst moment for a crash.
    event.listen(Session, "after_commit", lambda s: os._exit(3), insert=True)
    with app.app_context():
        upsert_place({"name": "Crashcafé Veenhoop", "categories": ["food_coffee"], "description": "Soep."})
        db.session.commit()
""")


def test_crash_between_commit_and_index_write_loses_nothing(search_app):
    """A process that dies after its commit leaves the outbox row; the follower's next step applies it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CRASH_SCRIPT, search_app.config["SQLALCHEMY_DATABASE_URI"],
                           search_app.config["SEARCH_INDEX_DIR"]], env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 3
    assert index_ids(search_app, "veenhoop") == []
    assert follow_once(search_app).applied == 1
    assert len(index_ids(search_app, "veenhoop")) == 1


def test_review_text_is_searched_but_weighs_less(search_app, review_texts):
    """Words from published review texts find a place, below a place that says them itself."""
    own = _add(search_app, name="Zangkoor Nachtegaal", slug="zangkoor-nachtegaal", description="Wij zingen.")
    reviewed = _add(search_app)
    review_texts[reviewed] = ["Na het wandelen zingen we soms samen, als een nachtegaal."]
    with search_app.app_context():
        reindex_places([reviewed])
        db.session.commit()
    assert index_ids(search_app, "nachtegaal") == [own, reviewed]
    review_texts.pop(reviewed)  # the review was hidden by a moderator
    with search_app.app_context():
        reindex_places([reviewed])
        db.session.commit()
    assert index_ids(search_app, "nachtegaal") == [own]


def test_late_committed_lower_id_is_not_skipped():
    """An id that becomes visible after a higher one (PostgreSQL sequences) is kept as a gap and applied."""
    class Row:
        def __init__(self, id_):
            self.id, self.created_at = id_, f"t{id_}"

    state = {"applied_through": 4, "last_created": "t4", "gaps": {}}
    state = outbox._next_state(state, [Row(5), Row(7)])
    assert state["applied_through"] == 7 and set(state["gaps"]) == {"6"}
    state = outbox._next_state(state, [Row(6)])
    assert state["applied_through"] == 7 and state["gaps"] == {}


def test_reset_outbox_means_rebuild(search_app):
    """When the outbox no longer holds the row the index stopped at (restored database), it rebuilds."""
    place_id = _add(search_app)
    root = search_app.config["SEARCH_INDEX_DIR"]
    with search_app.app_context():
        db.session.execute(sa.delete(SearchOutbox))
        db.session.commit()
        assert outbox.catch_up(root, db.engine, 1).status == "out_of_step"
    follow_once(search_app)
    assert index_ids(search_app, "zilvermeeuw") == [place_id]
    with search_app.app_context():
        assert outbox.catch_up(root, db.engine, 1).status == "idle"

"""The index follows the database: commit, rollback, delete, unpublish, crashes, locks, late ids."""
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place
from ervaringswijzer.places.services import upsert_place
from ervaringswijzer.search import index as idx
from ervaringswijzer.search import outbox, reindex_places
from ervaringswijzer.search.models import SearchOutbox

from .helpers import PLACE, index_ids, outbox_count

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


def test_index_work_waits_until_the_response_is_sent(search_app):
    """In a request the index is written after the response went out, never before."""
    bp = Blueprint("search_test_add", __name__)

    @bp.route("/_test/add")
    def add():
        upsert_place(PLACE)
        db.session.commit()
        return "ok"

    search_app.register_blueprint(bp)
    response = search_app.test_client().get("/_test/add", buffered=False)
    assert response.status_code == 200
    assert index_ids(search_app, "zilvermeeuw") == []
    response.close()
    assert len(index_ids(search_app, "zilvermeeuw")) == 1


def test_locked_index_does_not_stall_and_catches_up_later(search_app):
    """With the writer held elsewhere the change waits in the outbox; the next catch-up applies it."""
    search_app.config["SEARCH_WRITER_TIMEOUT"] = 0.2
    _gen, ix = idx.open_index(search_app.config["SEARCH_INDEX_DIR"])
    blocker = ix.writer()
    try:
        started = time.perf_counter()
        place_id = _add(search_app)
        assert time.perf_counter() - started < 2
        assert index_ids(search_app, "zilvermeeuw") == []
        with search_app.app_context():
            assert outbox.backlog(search_app.config["SEARCH_INDEX_DIR"], db.engine) >= 1
    finally:
        blocker.cancel()
        ix.close()
    with search_app.app_context():
        result = outbox.catch_up(search_app.config["SEARCH_INDEX_DIR"], db.engine, 1)
    assert result.status == "done" and place_id in result.places
    assert index_ids(search_app, "zilvermeeuw") == [place_id]


CRASH_SCRIPT = textwrap.dedent("""
    import os, sys
    from sqlalchemy import event
    from flask_sqlalchemy.session import Session
    from ervaringswijzer import create_app
    from ervaringswijzer.extensions import db
    from ervaringswijzer.places.services import upsert_place
    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SEARCH_INDEX_DIR": sys.argv[2],
                      "SEARCH_CATCHUP_ON_START": False})
    # Die right after the commit, before the index is written: the worst moment for a crash.
    event.listen(Session, "after_commit", lambda s: os._exit(3), insert=True)
    with app.app_context():
        upsert_place({"name": "Crashcafé Veenhoop", "categories": ["food_coffee"], "description": "Soep."})
        db.session.commit()
""")


def test_crash_between_commit_and_index_write_loses_nothing(search_app):
    """A process that dies after its commit leaves the outbox row; start-up catch-up applies it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CRASH_SCRIPT, search_app.config["SQLALCHEMY_DATABASE_URI"],
                           search_app.config["SEARCH_INDEX_DIR"]], env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 3
    assert index_ids(search_app, "veenhoop") == []
    from ervaringswijzer import create_app
    restarted = create_app(dict(search_app.config))  # start-up catch-up, as after a restart
    try:
        assert len(index_ids(restarted, "veenhoop")) == 1
    finally:
        with restarted.app_context():
            db.engine.dispose()


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
    from ervaringswijzer.search.sync import run_catch_up
    run_catch_up(search_app)
    assert index_ids(search_app, "zilvermeeuw") == [place_id]
    with search_app.app_context():
        assert outbox.catch_up(root, db.engine, 1).status == "idle"

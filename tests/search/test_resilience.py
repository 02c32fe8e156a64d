"""A missing, corrupt or locked index: search still answers from SQL, health says degraded, rebuild repairs."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ervaringswijzer.extensions import db
from ervaringswijzer.search import index as idx
from ervaringswijzer.search.cli import search_cli
from ervaringswijzer.search.follower import follow_once

ROOT = Path(__file__).resolve().parents[2]


def _live_dir(app) -> Path:
    return idx.current_generation(app.config["SEARCH_INDEX_DIR"]).path


def _names(client, q):
    # buffered: the response is closed at once, so work deferred until after the response runs here
    data = client.get("/api/v1/places", query_string={"q": q}, buffered=True).get_json()
    return [item["name"] for item in data["items"]]


def test_missing_index_answers_from_sql_and_says_degraded(search_app, caplog):
    """Without an index the place list still finds 'Kapstok' (SQL), logs it, and /health is degraded."""
    app = search_app
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    idx.close_searchers()
    client = app.test_client()
    assert _names(client, "kapstok") == ["Huiskamer De Kapstok"]
    assert "answering from SQL" in caplog.text
    page = client.get("/plekken?q=kapstok").get_data(as_text=True)
    assert "Huiskamer De Kapstok" in page
    health = client.get("/health").get_json()
    assert health["status"] == "degraded"
    assert health["checks"]["search"]["ok"] is False and "missing" in health["checks"]["search"]["detail"]


# Whoosh leaves the table-of-contents file of a damaged index open when it fails to read it;
# the file is closed when the exception is collected, which pytest reports as unraisable.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_corrupt_index_answers_from_sql_and_rebuild_repairs(search_app):
    """Garbage in the segment files: search falls back to SQL; `flask search rebuild` repairs without downtime."""
    app = search_app
    for path in _live_dir(app).iterdir():
        if path.suffix in (".seg", ".toc", ".trm", ".pst") or path.name.startswith("_"):
            path.write_bytes(b"\x00garbage" * 64)
    idx.close_searchers()
    client = app.test_client()
    assert _names(client, "kapstok") == ["Huiskamer De Kapstok"]
    assert client.get("/health").get_json()["checks"]["search"]["ok"] is False
    result = app.test_cli_runner().invoke(search_cli, ["rebuild"])
    assert result.exit_code == 0, result.output
    assert "94 places" in result.output
    health = client.get("/health").get_json()
    assert health["checks"]["search"] == {"ok": True, "detail": "ok"}
    # Typo tolerance is back: that only the index can do.
    assert _names(client, "kapstk")[0] == "Huiskamer De Kapstok"


def test_requests_never_rebuild_a_missing_index_the_follower_does(search_app):
    """A search that finds the index missing answers from SQL and leaves it missing; the follower's step builds it."""
    root = Path(search_app.config["SEARCH_INDEX_DIR"])
    shutil.rmtree(root)
    idx.close_searchers()
    client = search_app.test_client()
    assert _names(client, "kapstok") == ["Huiskamer De Kapstok"]
    assert _names(client, "kapstk") == []  # SQL forgives no typos
    assert not root.exists()
    assert follow_once(search_app).status == "idle"
    assert client.get("/health").get_json()["checks"]["search"]["ok"] is True
    assert _names(client, "kapstk")[0] == "Huiskamer De Kapstok"


def test_rebuild_swaps_generations_and_keeps_one_previous(search_app):
    """A rebuild writes a new generation beside the live one; older ones are removed at the next swap."""
    root = Path(search_app.config["SEARCH_INDEX_DIR"])
    first = idx.current_generation(root).name
    runner = search_app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(search_cli, ["rebuild"]).exit_code == 0
    generations = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert first not in generations and len(generations) == 2
    assert idx.current_generation(root).name in generations


def test_searcher_open_during_swap_keeps_answering(search_app):
    """A searcher opened before a swap still answers, and the next search uses the new generation."""
    root = search_app.config["SEARCH_INDEX_DIR"]
    with search_app.app_context():
        before = idx.searcher_for(root)
        from ervaringswijzer.search import rebuild_index
        rebuild_index()
        assert before.doc_count() == 94
        after = idx.searcher_for(root)
        assert after is not before and after.doc_count() == 94
    with search_app.app_context():
        db.session.remove()


def test_catch_up_cli_reports_and_prunes(search_app):
    """`flask search catch-up` applies pending changes and prunes old outbox rows."""
    result = search_app.test_cli_runner().invoke(search_cli, ["catch-up"])
    assert result.exit_code == 0, result.output
    assert "Catch-up: idle" in result.output and "Pruned 0" in result.output
    status = search_app.test_cli_runner().invoke(search_cli, ["status"])
    assert "Pending changes: 0" in status.output


# What benchmarks/load.py's garble() does to a live index, in a process of its own with a searcher
# open on the files, so that a crash shows as the process's exit code.
GARBLE_UNDER_A_SEARCHER = """
import random
from ervaringswijzer import create_app
from ervaringswijzer.search import index as idx
from ervaringswijzer.search.query import IndexFilters
from ervaringswijzer.search.service import text_search

app = create_app()
root = app.config["SEARCH_INDEX_DIR"]
with app.app_context():
    assert text_search("kapstok", IndexFilters()).ids, "the index answers before the damage"
    assert idx.searcher_for(root) is idx.searcher_for(root)  # kept open across searches
    for path in idx.current_generation(root).path.iterdir():
        if path.is_file() and not path.name.endswith(".json"):
            path.write_bytes(random.Random(path.name).randbytes(max(64, min(path.stat().st_size, 4096))))
    print("index answer:", text_search("koffie", IndexFilters()))
items = app.test_client().get("/api/v1/places", query_string={"q": "kapstok"}).get_json()["items"]
print("page:", [item["name"] for item in items])
"""


@pytest.mark.parametrize("search_app", ["sqlite"], indirect=True)
def test_index_files_truncated_under_an_open_searcher_fall_back_to_sql_not_crash(search_app):
    """Index files cut short under an open searcher: the search falls back to SQL; the process lives (no SIGBUS)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore",
           "EW_SQLALCHEMY_DATABASE_URI": search_app.config["SQLALCHEMY_DATABASE_URI"],
           "EW_SEARCH_INDEX_DIR": search_app.config["SEARCH_INDEX_DIR"], "EW_SEARCH_FOLLOWER": "external"}
    assert max(f.stat().st_size for f in _live_dir(search_app).iterdir()) > 4096  # so garbling cuts a file short
    done = subprocess.run([sys.executable, "-c", GARBLE_UNDER_A_SEARCHER], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert "index answer: None" in done.stdout
    assert "page: ['Huiskamer De Kapstok']" in done.stdout

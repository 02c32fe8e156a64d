"""Fixtures for search tests: apps whose index is built, and a small review-text source."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from ervaringswijzer import create_app
from ervaringswijzer.core import signals
from ervaringswijzer.extensions import db
from ervaringswijzer.search import rebuild_index
from ervaringswijzer.search import index as idx
from ervaringswijzer.search.models import SearchOutbox

from ..conftest import _SESSION_DIR, BACKENDS, _make_app, _templates, base_config


def _built(app):
    with app.app_context():
        rebuild_index()
    return app


@pytest.fixture(scope="session")
def demo_index_template() -> Path:
    """The demo places' index, built once per session; tests get a copy (building takes ~0.5 s)."""
    tmp = _SESSION_DIR / "search-template"
    target = tmp / "demo.sqlite"
    tmp.mkdir(exist_ok=True)
    shutil.copyfile(_templates.get("demo"), target)
    app = _built(create_app(base_config(tmp, f"sqlite:///{target}")))
    with app.app_context():
        db.engine.dispose()
    return tmp / "search-index"


def _copy_index(app, template: Path) -> None:
    """Copy the demo index and point its outbox position at this database's newest row.

    The demo rows have the same ids on every fresh database, only other timestamps."""
    root = Path(app.config["SEARCH_INDEX_DIR"])
    shutil.copytree(template, root)
    idx.close_searchers()
    with app.app_context():
        top = db.session.execute(sa.select(SearchOutbox.id, SearchOutbox.created_at)
                                 .order_by(SearchOutbox.id.desc()).limit(1)).one()
        db.session.remove()
    idx.write_state(idx.current_generation(root),
                    {"applied_through": top.id, "last_created": str(top.created_at), "gaps": {}})


@pytest.fixture(params=BACKENDS)
def search_app(request, tmp_path, demo_index_template):
    """Demo places with their index, on SQLite and PostgreSQL."""
    app = _make_app(request, tmp_path, demo=True)
    _copy_index(app, demo_index_template)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def search_client(search_app):
    return search_app.test_client()


@pytest.fixture(scope="module")
def relevance_app(tmp_path_factory):
    """One SQLite demo app with its index, shared by the relevance set (read-only)."""
    tmp = tmp_path_factory.mktemp("relevance")
    target = tmp / "demo.sqlite"
    shutil.copyfile(_templates.get("demo"), target)
    app = _built(create_app(base_config(tmp, f"sqlite:///{target}")))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def review_texts():
    """Register a review-text source for the test: {place_id: [text, ...]} filled in by the test."""
    texts: dict[int, list[str]] = {}

    def source(_sender, *, session, place_ids):
        return {pid: texts[pid] for pid in place_ids if pid in texts}

    signals.place_search_texts.connect(source)
    yield texts
    signals.place_search_texts.disconnect(source)

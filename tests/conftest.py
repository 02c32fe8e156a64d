"""Shared fixtures: an app on a fresh database (SQLite always, PostgreSQL when EW_TEST_DATABASE_URL is set)."""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="ew-tests-"))
# Before the package is imported: nothing the tests do may touch the real instance folder.
os.environ["EW_INSTANCE_PATH"] = str(_SESSION_DIR / "instance")

from ervaringswijzer import create_app  # noqa: E402
from ervaringswijzer.db import init_db  # noqa: E402
from ervaringswijzer.extensions import db as _db  # noqa: E402

PG_URL = os.environ.get("EW_TEST_DATABASE_URL", "")
DEMO_FILE = Path(__file__).parent.parent / "ervaringswijzer" / "places" / "demo_places.json"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=[
        pytest.mark.postgres,
        pytest.mark.skipif(not PG_URL, reason="EW_TEST_DATABASE_URL not set")]),
]


def base_config(tmp: Path, uri: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": uri,
        "SEARCH_INDEX_DIR": str(tmp / "search-index"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
    }


def _load_demo(app) -> None:
    from ervaringswijzer.places.transfer import import_places

    with app.app_context():
        result = import_places(DEMO_FILE.read_text(encoding="utf-8"))
        assert not result.errors, result.errors
        _db.session.commit()


class _SqliteTemplates:
    """Migrated SQLite files made once per session, copied per test (much faster than migrating each time)."""

    def __init__(self):
        self.files: dict[str, Path] = {}

    def get(self, kind: str) -> Path:
        if kind not in self.files:
            path = _SESSION_DIR / f"template-{kind}.sqlite"
            app = create_app(base_config(_SESSION_DIR / kind, f"sqlite:///{path}"))
            with app.app_context():
                init_db()
            if kind == "demo":
                _load_demo(app)
            with app.app_context():
                _db.engine.dispose()
            self.files[kind] = path
        return self.files[kind]


_templates = _SqliteTemplates()


@pytest.fixture(scope="session")
def pg_schema_url():
    """A private schema per test session, so parallel runs on one server do not meet."""
    if not PG_URL:
        pytest.skip("EW_TEST_DATABASE_URL not set")
    schema = f"ew_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    app = create_app(base_config(_SESSION_DIR / "pg", url))
    with app.app_context():
        init_db()
        _db.engine.dispose()
    yield url
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def _truncate_pg(app) -> None:
    with app.app_context():
        tables = [t.name for t in _db.metadata.sorted_tables]
        if tables:
            _db.session.execute(sa.text(
                "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            _db.session.commit()


def _make_app(request, tmp_path: Path, demo: bool, extra: dict | None = None):
    backend = request.param if hasattr(request, "param") else "sqlite"
    if backend == "postgres":
        url = request.getfixturevalue("pg_schema_url")
    else:
        target = tmp_path / "test.sqlite"
        shutil.copyfile(_templates.get("demo" if demo else "empty"), target)
        url = f"sqlite:///{target}"
    config = base_config(tmp_path, url)
    config.update(extra or {})
    app = create_app(config)
    if backend == "postgres":
        _truncate_pg(app)
        if demo:
            _load_demo(app)
    return app


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path):
    """An app on an empty, migrated database."""
    app = _make_app(request, tmp_path, demo=False, extra=getattr(request, "app_config", None))
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def demo_app(request, tmp_path):
    """An app whose database holds the demo places."""
    app = _make_app(request, tmp_path, demo=True)
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def make_place(app):
    """Factory: make_place(name=..., **fields) stores and commits a published place and returns its id."""
    from ervaringswijzer.places.services import upsert_place

    def make(**kw):
        data = {
            "name": "Huiskamer De Kapstok",
            "description": "Koffie, thee en een praatje. Je bent welkom zonder afspraak.",
            "categories": ["walk_in_centre"],
            "address": {"street": "Gambiaweg 12", "postcode": "3564 BN", "city": "Utrecht", "wijk": "Overvecht"},
            "location": {"lat": 52.1135, "lon": 5.112},
            "flags": {"walk_in": True, "free": True},
            "opening_hours": "Mo-Fr 10:00-16:00",
        }
        data.update(kw)
        with app.app_context():
            place, errors, _created = upsert_place(data)
            assert not errors, errors
            _db.session.commit()
            return place.id

    return make


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_SESSION_DIR, ignore_errors=True)


# Search: test apps do not build their search index at start-up; a test that searches gets it built
# by the search_index fixture (tests/search/conftest.py) or after its first search.
os.environ.setdefault("EW_SEARCH_BUILD_ON_START", "false")

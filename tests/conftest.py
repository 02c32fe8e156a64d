"""Shared fixtures: an app on a fresh database (SQLite always, PostgreSQL when EW_TEST_DATABASE_URL is set)."""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="ew-tests-"))
# Before the package is imported: nothing the tests do may touch the real instance folder.
os.environ["EW_INSTANCE_PATH"] = str(_SESSION_DIR / "instance")

from ervaringswijzer import create_app  # noqa: E402
from ervaringswijzer.db import init_db  # noqa: E402
from ervaringswijzer.extensions import db as _db  # noqa: E402
from ervaringswijzer.search.index import close_searchers  # noqa: E402

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
        "MAIL_FILE_PATH": str(tmp / "mail"),  # no MAIL_SERVER in tests: mails are files per test
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
        "DATA_VERSION_MAX_AGE": 0,  # tests change data and look again at once
        "COUNTER_FLUSH_SECONDS": 0,  # and count each view at once (test_dashboard.py tries the tally)
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


@contextmanager
def counting_limits(app):
    """The app with its rate-limit counters emptied before and after use, its database closed after."""
    from ervaringswijzer.extensions import limiter

    with app.app_context():
        limiter.reset()
    yield app
    with app.app_context():
        limiter.reset()
        _db.engine.dispose()


def sqlite_app(tmp_path: Path, **overrides):
    """An app on a fresh copy of the empty SQLite database, with config overrides (rate limits and the like)."""
    target = tmp_path / "app.sqlite"
    shutil.copyfile(_templates.get("empty"), target)
    config = base_config(tmp_path, f"sqlite:///{target}")
    config.update(overrides)
    return create_app(config)


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


# The English pages need the compiled catalog; .mo files are not committed, so build them once here.
TRANSLATIONS = Path(__file__).resolve().parent.parent / "ervaringswijzer" / "translations"


def compile_catalogs() -> None:
    """Compile every .po whose .mo is missing or older, failing loudly on a broken catalog."""
    import subprocess
    import sys

    stale = [po for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")
             if not po.with_suffix(".mo").exists()
             or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if stale:
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "compile",
                        "-d", str(TRANSLATIONS)], check=True)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    compile_catalogs()


@pytest.fixture(autouse=True)
def _searchers_close_with_the_test():
    """The searchers a test opened close when it ends: they hold its index files open (read, not mapped)."""
    yield
    close_searchers()


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_SESSION_DIR, ignore_errors=True)


# ---- maps and geocoding ----
# No test may reach a real tile server: map pages render without a tile layer unless a test sets one.
os.environ.setdefault("EW_MAP_TILE_URL", "")


@pytest.fixture(scope="session")
def geocoder_server():
    """A local Nominatim look-alike on 127.0.0.1 (see tests/geocoder_server.py)."""
    from .geocoder_server import GeocoderServer

    with GeocoderServer() as server:
        yield server


@pytest.fixture
def maps_member(app):
    """Factory: maps_member(pseudonym, role) stores a member and returns its id (password 'wachtwoord-123')."""
    from ervaringswijzer.accounts.services import register_member

    def make(pseudonym: str = "wijkteam-anna", role: str = "social_worker") -> int:
        with app.app_context():
            member, errors = register_member(pseudonym, "wachtwoord-123", role=role)
            assert not errors, errors
            _db.session.commit()
            return member.id

    return make


def maps_login(client, pseudonym: str) -> None:
    """Log a test client in through the real login form."""
    response = client.post("/inloggen", data={"pseudonym": pseudonym, "password": "wachtwoord-123"})
    assert response.status_code == 302, response.data[:500]


# --- reviews, moderation and accounts -------------------------------------------------------------

@pytest.fixture
def reviews_member(app):
    """Factory: reviews_member(role="member", pseudonym=None, days_old=30) stores a member and returns its id.

    Passwords use a fast hash here: the tests are about rules, not about hashing cost.
    """
    from datetime import datetime, timedelta, timezone

    from werkzeug.security import generate_password_hash

    from ervaringswijzer.accounts.models import Member

    counter = {"n": 0}

    def make(role: str = "member", pseudonym: str | None = None, days_old: int = 30,
             password: str = "wachtwoord-123") -> int:
        counter["n"] += 1
        name = pseudonym or f"{role}-{counter['n']}"
        with app.app_context():
            member = Member(pseudonym=name, pseudonym_key=name.lower(), role=role,
                            password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"),
                            created_at=datetime.now(timezone.utc) - timedelta(days=days_old))
            _db.session.add(member)
            _db.session.commit()
            return member.id

    return make


def reviews_login(client, member_id: int | None) -> None:
    """Log a test client in as member_id (None logs out), the way Flask-Login keeps it in the session."""
    from ervaringswijzer.accounts.models import Member

    session_id = None
    if member_id is not None:
        with client.application.app_context():
            session_id = _db.session.get(Member, member_id).get_id()
            _db.session.remove()
    with client.session_transaction() as session:
        session.clear()
        if session_id is not None:
            session["_user_id"] = session_id
            session["_fresh"] = True


REVIEW_FORM = {"welcome": "4", "respect": "5", "calm": "3", "access": "4", "recommend": "yes",
               "visit_month": "2026-09", "text": "Ik voelde me welkom en kreeg meteen koffie aangeboden."}


@pytest.fixture
def reviews_review(app):
    """Factory: reviews_review(member_id, place_id, **fields) stores a published review directly; returns its id."""
    from datetime import date

    from ervaringswijzer.reviews.models import Review

    def make(member_id, place_id, status="published", text="<p>Een fijne plek om te komen.</p>", **kw):
        values = {"welcome": 4, "respect": 4, "calm": 4, "access": 4, "recommend": True,
                  "visit_month": date(2026, 9, 1)}
        values.update(kw)
        with app.app_context():
            review = Review(member_id=member_id, place_id=place_id, status=status, text=text, **values)
            _db.session.add(review)
            _db.session.commit()
            return review.id

    return make


# Search: test apps apply the outbox right after each commit, so a test sees its change at once; a
# test that searches builds its index itself (tests/search/conftest.py) or gets answers from SQL.
os.environ.setdefault("EW_SEARCH_FOLLOWER", "inline")


# ---- mail ----

@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 for one test (tests/smtp_server.py); .messages holds what arrived."""
    from .smtp_server import SmtpServer

    with SmtpServer() as server:
        yield server


@pytest.fixture(params=BACKENDS)
def mail_app(request, tmp_path, smtp_server):
    """An app on an empty database whose mail goes to the test's SMTP server."""
    app = _make_app(request, tmp_path, demo=False, extra={
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port, "MAIL_TIMEOUT": 5,
        "MAIL_BACKEND": "smtp", "PUBLIC_URL": "http://ervaringswijzer.test"})
    yield app
    from ervaringswijzer.mail import wait_for_background

    wait_for_background()
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


# The storms take minutes each: started first, they run beside the many short tests instead of after
# them, alone on one of the two test processes (a sort keeps everything else in its order).
LONG_FIRST = ("tests/test_storm.py::test_full_storm", "tests/test_storm.py::")


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        return next((n for n, prefix in enumerate(LONG_FIRST) if item.nodeid.startswith(prefix)), len(LONG_FIRST))

    items.sort(key=rank)

"""Fixtures for search tests: apps whose index is built, and a small review-text source."""
from __future__ import annotations

import shutil

import pytest

from ervaringswijzer import create_app
from ervaringswijzer.extensions import db
from ervaringswijzer.search import documents, rebuild_index

from ..conftest import BACKENDS, _make_app, _templates, base_config


def _built(app):
    with app.app_context():
        rebuild_index()
    return app


@pytest.fixture(params=BACKENDS)
def search_app(request, tmp_path):
    """Demo places with a freshly built index, on SQLite and PostgreSQL."""
    app = _built(_make_app(request, tmp_path, demo=True, extra=getattr(request, "search_config", None)))
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

    def source(_session, place_ids):
        return {pid: texts[pid] for pid in place_ids if pid in texts}

    documents.review_text_sources.append(source)
    yield texts
    documents.review_text_sources.remove(source)

"""Full-text search: a Whoosh index per process that follows the database through an outbox.

The rest of the app uses: service.search_places / suggestions (searching), reindex_places /
rebuild_index (maintenance). What other packages add to a place's document comes in through
core.signals.place_search_texts. Requests only read the index; its follower (follower.py) is the
one that writes it.
"""
from flask import Blueprint, current_app
from flask_sqlalchemy.session import Session

from ..core import signals
from ..extensions import db
from ..places.services import add_version_column

bp = Blueprint("search", __name__, template_folder="templates")

from . import cli, follower, outbox, service, views  # noqa: E402,F401  (views registers routes on bp)
from .models import SearchOutbox  # noqa: E402

DEFAULTS = {
    # Who applies the outbox to this process's index: "thread" (a thread of the app, the zero-setup
    # default), "external" (a `flask search follow` process per index directory), "inline" (tests).
    "SEARCH_FOLLOWER": "thread",
    "SEARCH_FOLLOWER_NICE": 10,  # added to the nice value of `flask search follow`'s rebuilds: web workers come first
    "SEARCH_POLL_SECONDS": 0.5,  # how often a follower looks for changes (SQLite)
    "SEARCH_LISTEN_POLL_SECONDS": 5.0,  # on PostgreSQL NOTIFY wakes it; this is only the safety net
    "SEARCH_STANDBY_SECONDS": 2.0,  # how often a standby follower tries to take over
    "SEARCH_FOLLOW_BATCH": 500,  # outbox rows per batch (the follower takes batches until current)
    "SEARCH_CHECK_SECONDS": 600,  # how often the follower proves its index complete (search check)
    "SEARCH_MAX_HITS": 1000,  # ranked ids taken from the index per search
    "SEARCH_LOW_HITS": 2,  # searches with at most this many hits go into the unmet-demand log
    "SEARCH_OUTBOX_KEEP_DAYS": 14,
    "SEARCH_HEALTH_MAX_BACKLOG": 200,
}


def init_app(app) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    outbox.listen(Session, follower.on_commit)
    # Every change a place's document holds writes an outbox row (a review's answer too, which has no
    # updated_at of its own): kept pages and ETags follow it.
    add_version_column(SearchOutbox.__table__.c.id)
    app.register_blueprint(bp)
    signals.health_check.connect(service.on_health_check)
    cli.init_app(app)
    follower.init_app(app)


def reindex_places(place_ids: list[int]) -> None:
    """Write outbox rows for places whose document changed without the place itself changing."""
    for place_id in dict.fromkeys(place_ids):
        db.session.add(SearchOutbox(place_id=place_id, op="upsert"))
    db.session.info["search_changed"] = True


def rebuild_index() -> dict:
    return outbox.rebuild(current_app.config["SEARCH_INDEX_DIR"], db.engine)

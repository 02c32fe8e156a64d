"""Full-text search: a Whoosh index per process that follows the database through an outbox.

The rest of the app uses: service.search_places / suggestions (searching), reindex_places /
rebuild_index (maintenance). What other packages add to a place's document comes in through
core.signals.place_search_texts.
"""
from flask import Blueprint, current_app
from flask_sqlalchemy.session import Session

from ..core import signals
from ..extensions import db

bp = Blueprint("search", __name__, template_folder="templates")

from . import cli, outbox, service, sync, views  # noqa: E402,F401  (views registers routes on bp)
from .models import SearchOutbox  # noqa: E402

DEFAULTS = {
    "SEARCH_WRITER_TIMEOUT": 1.0,  # seconds to wait for the index writer before leaving it for later
    "SEARCH_CATCHUP_SECONDS": 15,  # how often a request checks for changes made by other processes
    "SEARCH_MAX_HITS": 1000,  # ranked ids taken from the index per search
    "SEARCH_LOW_HITS": 2,  # searches with at most this many hits go into the unmet-demand log
    "SEARCH_OUTBOX_KEEP_DAYS": 14,
    "SEARCH_SYNC_BUILD_LIMIT": 2000,  # at start-up, build a missing index at once up to this many places
    "SEARCH_HEALTH_MAX_BACKLOG": 200,
    "SEARCH_CATCHUP_ON_START": True,
    "SEARCH_BUILD_ON_START": True,  # build a missing index at start-up (up to SEARCH_SYNC_BUILD_LIMIT places)
    "SEARCH_AUTO_REBUILD": True,  # rebuild a missing or corrupt index after the response that noticed it
}


def init_app(app) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    outbox.listen(Session, sync.schedule_catch_up)
    app.register_blueprint(bp)
    app.before_request(sync.periodic_check)
    signals.health_check.connect(service.on_health_check)
    cli.init_app(app)
    if app.config["SEARCH_CATCHUP_ON_START"]:
        sync.on_start(app)


def reindex_places(place_ids: list[int]) -> None:
    """Write outbox rows for places whose document changed without the place itself changing."""
    for place_id in dict.fromkeys(place_ids):
        db.session.add(SearchOutbox(place_id=place_id, op="upsert"))
    db.session.info["search_changed"] = True


def rebuild_index() -> dict:
    return outbox.rebuild(current_app.config["SEARCH_INDEX_DIR"], db.engine)

"""Reviews: how a place feels, rated by peers in four aspects, sanitised and moderated."""
from flask import Blueprint
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from ..core import signals
from ..places.services import add_version_table
from .sanitize import review_markup

bp = Blueprint("reviews", __name__, template_folder="templates")

from . import demo, models, privacy, services, views  # noqa: E402,F401


def init_app(app) -> None:
    signals.place_ratings.connect(services.on_place_ratings)
    signals.place_ranking.connect(services.on_place_ranking)
    signals.place_ranking_query.connect(services.on_place_ranking_query)
    signals.place_search_texts.connect(services.on_place_search_texts)
    signals.member_export.connect(privacy.on_member_export)
    signals.member_deleting.connect(privacy.on_member_deleting)
    signals.demo_seeders.connect(demo.on_demo_seeders)
    add_version_table(models.Review.__table__)  # ratings show in the API and on maps
    if not event.contains(Session, "before_flush", services.touch_reviews_of_renamed_members):
        event.listen(Session, "before_flush", services.touch_reviews_of_renamed_members)
    app.jinja_env.filters["review_html"] = review_markup
    app.register_blueprint(bp)

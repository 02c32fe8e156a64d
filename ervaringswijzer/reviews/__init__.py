"""Reviews: how a place feels, rated by peers in four aspects, sanitised and moderated."""
from flask import Blueprint

bp = Blueprint("reviews", __name__, template_folder="templates")

from . import models, views  # noqa: E402,F401


def init_app(app) -> None:
    from ..places.serialize import set_ranking_provider, set_rating_provider
    from ..places.services import add_version_table
    from ..search.documents import review_text_sources
    from . import demo
    from .sanitize import review_markup
    from .services import place_ratings, published_review_texts, ranking_scores

    set_rating_provider(place_ratings)
    set_ranking_provider(ranking_scores)
    add_version_table(models.Review.__table__)  # ratings show in the API and on maps
    if published_review_texts not in review_text_sources:
        # Published review texts are searchable, as their own lower-weight part of a place's document.
        review_text_sources.append(published_review_texts)
    app.jinja_env.filters["review_html"] = review_markup
    demo.init_app(app)
    app.register_blueprint(bp)

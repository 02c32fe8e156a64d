"""Reviews: how a place feels, rated by peers in four aspects, sanitised and moderated."""
from flask import Blueprint

bp = Blueprint("reviews", __name__, template_folder="templates")

from . import models, views  # noqa: E402,F401


def init_app(app) -> None:
    from ..places.serialize import set_rating_provider
    from . import demo
    from .services import place_ratings
    from .sanitize import review_markup

    set_rating_provider(place_ratings)
    app.jinja_env.filters["review_html"] = review_markup
    demo.init_app(app)
    app.register_blueprint(bp)

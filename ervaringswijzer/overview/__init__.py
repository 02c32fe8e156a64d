"""The city's view: the coordinator's dashboard (gaps, unmet demand, reach, ladder, freshness) and the
check links mailed to a place's contact person."""
from flask import Blueprint

bp = Blueprint("overview", __name__, template_folder="templates")

from . import check_views, cli, views  # noqa: E402,F401  (routes register themselves on bp)

DEFAULTS = {
    "OVERVIEW_LOW_REACH_VIEWS": 12,  # page views a year at most, and no map adds or route taps: "barely reached"
}


def init_app(app) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.register_blueprint(bp)
    cli.init_app(app)

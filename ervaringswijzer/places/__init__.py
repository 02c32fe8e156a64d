"""Places: what a client looks up — address, flags, first-visit card, opening hours."""
from flask import Blueprint

from ..core import signals

bp = Blueprint("places", __name__, template_folder="templates")

from . import views  # noqa: E402,F401  (routes register themselves on bp)
from . import suggest_views  # noqa: E402,F401
from . import import_views  # noqa: E402,F401
from . import privacy  # noqa: E402


def init_app(app) -> None:
    # Where "Route" on a place page leads; {lat} and {lon} are filled in.
    app.config.setdefault("ROUTE_URL", "https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lon}")
    signals.member_export.connect(privacy.on_member_export)
    app.register_blueprint(bp)

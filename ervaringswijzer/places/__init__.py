"""Places: what a client looks up — address, flags, first-visit card, opening hours."""
from flask import Blueprint

bp = Blueprint("places", __name__, template_folder="templates")

from . import views  # noqa: E402,F401  (routes register themselves on bp)
from . import suggest_views  # noqa: E402,F401
from . import edit_views  # noqa: E402,F401

"""JSON API v1 (a contract: README, "API")."""
from flask import Blueprint

bp = Blueprint("api", __name__, template_folder="templates")

from . import views  # noqa: E402,F401
from . import export_views  # noqa: E402,F401

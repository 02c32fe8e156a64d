"""Maps: neighbourhood and search maps, shared maps for clients (link, QR, print), embeds."""
from flask import Blueprint

from ..core import signals

bp = Blueprint("maps", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/maps")

from . import cli, privacy  # noqa: E402
from . import shared  # noqa: E402,F401  (models register with the metadata)
from . import views  # noqa: E402,F401
from . import visit_views  # noqa: E402,F401


def init_app(app) -> None:
    signals.member_export.connect(privacy.on_member_export)
    app.register_blueprint(bp)
    cli.init_app(app)

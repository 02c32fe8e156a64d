"""Maps: neighbourhood and search maps, shared maps for clients (link, QR, print), embeds."""
from flask import Blueprint

bp = Blueprint("maps", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/maps")

from . import shared  # noqa: E402,F401  (models register with the metadata)
from . import views  # noqa: E402,F401


def init_app(app) -> None:
    from . import cli

    app.register_blueprint(bp)
    cli.init_app(app)

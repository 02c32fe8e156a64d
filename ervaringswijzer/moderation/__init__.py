"""Moderation: reports from readers, the moderator queue and the audit log."""
from flask import Blueprint

bp = Blueprint("moderation", __name__, template_folder="templates")

from . import models, views  # noqa: E402,F401


def init_app(app) -> None:
    from flask_babel import format_datetime

    app.jinja_env.globals.setdefault("format_datetime", format_datetime)
    app.register_blueprint(bp)

"""Moderation: reports from readers, the moderator queue, correcting places; decisions go into core's audit log."""
from flask import Blueprint
from flask_babel import format_datetime

from ..core import signals

bp = Blueprint("moderation", __name__, template_folder="templates")

from . import models, place_edit_views, privacy, views  # noqa: E402,F401


def init_app(app) -> None:
    signals.member_export.connect(privacy.on_member_export)
    app.jinja_env.globals.setdefault("format_datetime", format_datetime)
    app.register_blueprint(bp)

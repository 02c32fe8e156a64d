"""Notices: a member's inbox (/berichten) and `notify(member, kind, ...)`, which also mails the same notice."""
from flask import Blueprint

from ..core import signals

bp = Blueprint("notices", __name__, template_folder="templates")

from . import models, privacy, services, views  # noqa: E402,F401
from .services import notify  # noqa: E402,F401


def init_app(app) -> None:
    signals.member_export.connect(privacy.on_member_export)
    app.register_blueprint(bp)

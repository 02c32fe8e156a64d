"""The databank of experts by experience: opt-in profiles, requests, matching by a coordinator, the year's figures."""
from flask import Blueprint

from ..core import signals

bp = Blueprint("experts", __name__, template_folder="templates")

from . import demo, models, privacy, views  # noqa: E402,F401


def init_app(app) -> None:
    signals.member_export.connect(privacy.on_member_export)
    signals.member_deleting.connect(privacy.on_member_deleting)
    signals.demo_seeders.connect(demo.on_demo_seeders)
    app.register_blueprint(bp)

"""Accounts: members with a pseudonym, roles, login."""
from flask import Blueprint

from ..extensions import db, login_manager

bp = Blueprint("accounts", __name__, template_folder="templates")

from . import views  # noqa: E402,F401


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from .access import can
    from .models import Member

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in om verder te gaan.")

    @login_manager.user_loader
    def load_member(session_id: str):
        """A session names the member and their current session secret; an old secret opens nothing."""
        member_id, _, secret = session_id.partition(":")
        member = db.session.get(Member, int(member_id)) if member_id.isdigit() else None
        return member if member is not None and member.session_matches(secret) else None

    app.jinja_env.globals["can"] = can
    app.register_blueprint(bp)

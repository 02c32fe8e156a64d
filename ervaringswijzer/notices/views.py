"""The inbox page, and the unread count every page header shows."""
from flask import render_template
from flask_login import current_user

from ..core.access import requires
from ..extensions import db
from . import bp
from .services import mark_read, notice_body, notice_subject, notices_for, unread_count


@bp.route("/berichten")
@requires("inbox.view")
def inbox():
    notices = notices_for(current_user.id)
    page = render_template("notices/inbox.html", notices=notices, unread={n.id for n in notices if n.read_at is None},
                           notice_subject=notice_subject, notice_body=notice_body)
    if mark_read(current_user.id):  # seen now: the count in the header goes to zero on the next page
        db.session.commit()
    return page


@bp.app_context_processor
def inbox_helpers():
    def unread_notices() -> int:
        return unread_count(current_user.id) if current_user.is_authenticated else 0
    return {"unread_notices": unread_notices}

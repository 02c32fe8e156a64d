"""The moderator queue, decisions on reviews, reports and suggestions, the audit log; and readers' reports."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.access import requires
from ..core.audit import audit_log
from ..extensions import db
from ..places.models import Place
from ..places.services import get_published
from ..places.suggestions import confirmation_counts, decide_suggestion
from ..ratelimits import limit_from_config
from ..reviews.models import Review
from ..places.wording import audit_text
from . import bp
from .forms import DecisionForm, RedactForm, ReportForm
from .models import InfoReport
from .services import (close_info_report, dismiss_reports, queue, redact_review, report_place_info, report_review,
                       set_review_status)

REVIEW_ACTIONS = {"hide": "hidden", "restore": "published", "approve": "published"}


@bp.route("/plek/<slug>/klopt-niet", methods=["POST"])
@limit_from_config("RATELIMIT_REPORT")
def report_info(slug: str):
    place = get_published(slug)
    if place is None:
        abort(404)
    reporter = current_user if current_user.is_authenticated else None
    report, error = report_place_info(place, request.form.get("kind", ""), request.form.get("remark", ""), reporter)
    if report is None:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Dank je wel! We zoeken het uit en passen het aan."), "success")
    return redirect(url_for("places.place_detail", slug=place.slug, _anchor="klopt-niet"))


@bp.route("/ervaring/<int:review_id>/melden", methods=["GET", "POST"], endpoint="report_review")
@limit_from_config("RATELIMIT_REPORT")
def report_review_page(review_id: int):
    """Anyone may report a published review; a moderator looks at it."""
    review = db.get_or_404(Review, review_id)
    if review.status != "published":
        abort(404)
    form = ReportForm()
    if request.method == "POST":
        reporter = current_user if current_user.is_authenticated else None
        created, error = report_review(review, request.form.get("reason", ""), reporter)
        if created:
            db.session.commit()
            flash(_("Dank je wel voor je melding. Een moderator kijkt ernaar."), "success")
            return redirect(url_for("places.place_detail", slug=review.place.slug, _anchor=f"ervaring-{review.id}"))
        form.reason.errors = [str(error)]
    return render_template("moderation/report_review.html", review=review, form=form)


@bp.route("/moderatie")
@requires("moderate")
def queue_page():
    items = queue()
    counts = confirmation_counts([p.id for p in items["suggested"]])
    return render_template("moderation/queue.html", items=items, confirmations=counts, form=DecisionForm())


@bp.route("/moderatie/ervaring/<int:review_id>", methods=["POST"])
@requires("moderate")
def decide_review(review_id: int):
    review = db.get_or_404(Review, review_id)
    action = request.form.get("action", "")
    reason = request.form.get("reason", "")
    if action == "dismiss":
        dismiss_reports(review, current_user, reason)
        error = None
    elif action in REVIEW_ACTIONS:
        error = set_review_status(review, REVIEW_ACTIONS[action], current_user, reason)
    else:
        abort(400)
    if error:
        db.session.rollback()
        flash(_("Niet gelukt: %(error)s", error=error), "error")
    else:
        db.session.commit()
        flash(_("Opgeslagen."), "success")
    return redirect(url_for(".queue_page", _anchor=f"ervaring-{review.id}"))


@bp.route("/moderatie/ervaring/<int:review_id>/redigeren", methods=["GET", "POST"])
@requires("moderate")
def redact(review_id: int):
    review = db.get_or_404(Review, review_id)
    form = RedactForm(data={"text": review.text} if request.method == "GET" else None)
    if request.method == "POST":
        error = redact_review(review, request.form.get("text", ""), current_user, request.form.get("reason", ""))
        if error is None:
            db.session.commit()
            flash(_("De tekst is aangepast."), "success")
            return redirect(url_for(".queue_page"))
        form.reason.errors = [str(error)]
    return render_template("moderation/redact.html", review=review, form=form)


@bp.route("/moderatie/melding/<int:report_id>", methods=["POST"])
@requires("moderate")
def decide_info_report(report_id: int):
    report = db.get_or_404(InfoReport, report_id)
    if report.status != "open":
        abort(409)
    close_info_report(report, current_user, fixed=request.form.get("action") == "fixed",
                      note=request.form.get("reason", ""))
    db.session.commit()
    flash(_("Opgeslagen."), "success")
    return redirect(url_for(".queue_page"))


@bp.route("/moderatie/plek/<int:place_id>", methods=["POST"])
@requires("moderate")
def decide_place(place_id: int):
    place = db.get_or_404(Place, place_id)
    error = decide_suggestion(place, current_user, request.form.get("action") == "publish",
                              request.form.get("reason", ""))
    if error:
        db.session.rollback()
        flash(_("Niet gelukt: %(error)s", error=error), "error")
    else:
        db.session.commit()
        flash(_("Opgeslagen."), "success")
    return redirect(url_for(".queue_page"))


@bp.route("/moderatie/logboek")
@requires("audit.view")
def audit_page():
    return render_template("moderation/audit.html", entries=audit_log(), audit_text=audit_text)

"""The moderator queue, decisions on reviews, reports and suggestions, the audit log; and readers' reports."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.access import requires
from ..core.audit import audit_log
from ..extensions import csrf, db
from ..places.models import Place
from ..places.services import get_published
from ..places.suggestions import confirmation_counts, decide_suggestion
from ..ratelimits import limit_from_config
from ..security import protect_public_post
from ..reviews.care import add_crisis_phrase, crisis_check, list_crisis_phrases, remove_crisis_phrase
from ..reviews.models import CrisisPhrase, Review, ReviewResponse
from ..places.wording import audit_text
from . import bp
from .forms import DecisionForm, RedactForm, ReportForm
from .models import InfoReport
from .services import (close_info_report, decide_response, dismiss_reports, queue, redact_review, report_place_info,
                       report_review, set_review_status)

REVIEW_ACTIONS = {"hide": "hidden", "restore": "published", "approve": "published"}


def _save_or_say(error) -> None:
    """A moderator's decision: saved, or undone with the reason why not."""
    if error:
        db.session.rollback()
        flash(_("Niet gelukt: %(error)s", error=error), "error")
    else:
        db.session.commit()
        flash(_("Opgeslagen."), "success")


@bp.route("/plek/<slug>/klopt-niet", methods=["POST"])
@csrf.exempt  # checked below: the form sits on the place page, which a visitor reads without a cookie
@limit_from_config("RATELIMIT_REPORT")
def report_info(slug: str):
    protect_public_post()
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
    _save_or_say(error)
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
    _save_or_say(error)
    return redirect(url_for(".queue_page"))


@bp.route("/moderatie/reactie/<int:response_id>", methods=["POST"])
@requires("moderate")
def decide_response_view(response_id: int):
    response = db.get_or_404(ReviewResponse, response_id)
    if response.status != "pending":
        abort(409)
    error = decide_response(response, request.form.get("action") == "approve", current_user,
                            request.form.get("reason", ""))
    _save_or_say(error)
    return redirect(url_for(".queue_page", _anchor="reacties"))


@bp.route("/moderatie/crisiszinnen", methods=["GET", "POST"])
@requires("crisis.edit")
def crisis_phrases():
    """The phrases moderators added to the crisis check, a form to add one, and a way to try a text."""
    error, tried, typed, tried_text = None, None, "", ""
    if request.method == "POST" and "tekst" in request.form:  # trying a text (POST: it stays out of URLs and logs)
        tried_text = request.form["tekst"][:5000]
        tried = crisis_check(tried_text)
    elif request.method == "POST":
        typed = request.form.get("phrase", "")
        error = add_crisis_phrase(typed, current_user)
        if error is None:
            db.session.commit()
            flash(_("De zin is toegevoegd. Nieuwe teksten worden er vanaf nu op nagekeken."), "success")
            return redirect(url_for(".crisis_phrases"))
        db.session.rollback()
    return render_template("moderation/crisis_phrases.html", phrases=list_crisis_phrases(), error=error,
                           typed=typed, tried=tried, tried_text=tried_text)


@bp.route("/moderatie/crisiszinnen/<int:phrase_id>/weg", methods=["POST"])
@requires("crisis.edit")
def remove_crisis_phrase_view(phrase_id: int):
    remove_crisis_phrase(db.get_or_404(CrisisPhrase, phrase_id), current_user)
    db.session.commit()
    flash(_("De zin is uit de lijst gehaald."), "success")
    return redirect(url_for(".crisis_phrases"))


@bp.route("/moderatie/logboek")
@requires("audit.view")
def audit_page():
    return render_template("moderation/audit.html", entries=audit_log(), audit_text=audit_text)

"""Reports, hiding and restoring reviews, closing reports about places. Add and flush; never commit."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from ..core.audit import record
from ..core.time import today, utcnow
from ..edge import parse_id
from ..extensions import db
from ..places.editing import EditConflict, save_edit
from ..places.models import Place
from ..places.services import mark_checked
from ..reviews.models import Review
from ..reviews.sanitize import clean_html, plain_text
from .models import INFO_KINDS, InfoReport, ReviewReport

log = logging.getLogger(__name__)
REASON_MAX = 1000


def _reason(text: str, required: bool = True) -> tuple[str, str | None]:
    text = " ".join((text or "").replace("\x00", "").split())  # PostgreSQL cannot store NUL
    if required and len(text) < 3:
        return text, "Schrijf kort waarom (minstens 3 tekens)."
    if len(text) > REASON_MAX:
        return text, f"Hoogstens {REASON_MAX} tekens."
    return text, None


def report_review(review: Review, reason: str, reporter=None):
    """Anyone can report a review. Returns (report | None, error)."""
    reason, error = _reason(reason)
    if error:
        return None, error
    report = ReviewReport(review_id=review.id, reporter_id=getattr(reporter, "id", None), reason=reason)
    db.session.add(report)
    db.session.flush()
    record(reporter, "review.report", "review", review.id, reason)
    return report, None


def _close_reports(review: Review) -> None:
    now = utcnow()
    for report in db.session.scalars(sa.select(ReviewReport).where(
            ReviewReport.review_id == review.id, ReviewReport.status == "open")):
        report.status, report.closed_at = "closed", now


def set_review_status(review: Review, status: str, actor, reason: str):
    """hide / restore / approve a review with a reason. Returns an error text or None."""
    reason, error = _reason(reason, required=status == "hidden")
    if error:
        return error
    before = review.status
    review.status = status
    if status == "published":
        review.hold_reason = ""
    _close_reports(review)
    action = {"hidden": "review.hide", "published": "review.restore" if before == "hidden" else "review.approve"}
    record(actor, action.get(status, "review.status"), "review", review.id, reason, before=before, after=status)
    db.session.flush()
    return None


def redact_review(review: Review, text: str, actor, reason: str):
    """A moderator removes a staff member's name (or other harm) from the text, keeping the rest."""
    reason, error = _reason(reason)
    if error:
        return error
    if not plain_text(text):
        return "De tekst mag niet leeg worden; verberg de ervaring dan liever."
    review.text = clean_html(text)
    record(actor, "review.redact", "review", review.id, reason)
    db.session.flush()
    return None


def dismiss_reports(review: Review, actor, reason: str = "") -> None:
    _close_reports(review)
    record(actor, "review.reports_dismissed", "review", review.id, reason)
    db.session.flush()


def report_place_info(place: Place, kind: str, remark: str = "", reporter=None):
    """One tap: something about this place is wrong. Returns (report | None, error)."""
    if kind not in INFO_KINDS:
        return None, "Kies wat er niet klopt."
    remark, error = _reason(remark, required=False)
    if error:
        return None, error
    report = InfoReport(place_id=place.id, kind=kind, remark=remark, reporter_id=getattr(reporter, "id", None))
    db.session.add(report)
    db.session.flush()
    record(reporter, "place.report", "place", place.id, remark, kind=kind)
    return report, None


def close_info_report(report: InfoReport, actor, fixed: bool, note: str = "") -> None:
    """Fixed means the place was checked and corrected: its last_checked date moves to today."""
    report.status = "fixed" if fixed else "dismissed"
    report.closed_at = utcnow()
    if fixed:
        mark_checked(report.place, actor, today())
    record(actor, "place.report_fixed" if fixed else "place.report_dismissed", "place", report.place_id,
           note, kind=report.kind, report=report.id)
    db.session.flush()


def open_report_for(place: Place, report_id) -> InfoReport | None:
    """The open wrong-information report about this place that an editor came to fix, if any."""
    report_id = parse_id(report_id)
    if report_id is None:
        return None
    report = db.session.get(InfoReport, report_id)
    if report is None or report.place_id != place.id or report.status != "open":
        return None
    return report


def save_place_fix(place: Place, data: dict, actor, geocoded=None, report: InfoReport | None = None,
                   note: str = "", version: int | None = None) -> tuple[Place | None, dict[str, str]]:
    """Store an editor's version of a place and close the report it fixes. Returns (place, {}) or (None, errors).

    Raises EditConflict, like save_edit, when someone else saved the place since `version`.
    """
    saved, errors = save_edit(place, data, actor, geocoded=geocoded, version=version)
    if errors:
        return None, errors
    if report is not None and report.status == "open" and report.place_id == saved.id:
        # The rule for a fixed report: last_checked moves to today, in the place's history too.
        try:
            close_info_report(report, actor, fixed=True, note=note)
        except StaleDataError as exc:
            raise EditConflict(saved.slug) from exc
    return saved, {}


def queue() -> dict:
    """What waits for a moderator, oldest first."""
    open_reports = list(db.session.scalars(
        sa.select(ReviewReport).where(ReviewReport.status == "open").order_by(ReviewReport.created_at)))
    reported: dict[int, dict] = {}
    for report in open_reports:
        entry = reported.setdefault(report.review_id, {"review": report.review, "reports": []})
        entry["reports"].append(report)
    return {
        "reported": list(reported.values()),
        "pending": list(db.session.scalars(
            sa.select(Review).where(Review.status == "pending").order_by(Review.created_at))),
        "info": list(db.session.scalars(
            sa.select(InfoReport).where(InfoReport.status == "open").order_by(InfoReport.created_at))),
        "suggested": list(db.session.scalars(
            sa.select(Place).where(Place.status == "suggested").order_by(Place.created_at))),
        "hidden": list(db.session.scalars(
            sa.select(Review).where(Review.status == "hidden").order_by(Review.updated_at.desc()).limit(20))),
    }


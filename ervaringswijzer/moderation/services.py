"""Reports, hiding and restoring reviews, closing reports about places. Add and flush; never commit."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from flask_babel import lazy_gettext as _l

from ..core.audit import record
from ..core.time import today, utcnow
from ..db import insert_if_absent
from ..edge import parse_id
from ..extensions import db
from ..places.editing import EditConflict, save_edit
from ..notices import notify
from ..places.forms import edit_form_values
from ..places.models import Place
from ..places.services import mark_checked
from ..places.wording import EMPTY, FIELD_LABELS
from ..reviews.models import Review, ReviewResponse
from ..reviews.sanitize import clean_html, plain_text
from ..reviews.tell import review_status_changed
from .models import CHANGE_KIND, INFO_KINDS, InfoReport, ReviewReport

log = logging.getLogger(__name__)
REASON_MAX = 1000
OPEN = sa.text("status = 'open'")  # the predicate of the one-open-report-per-member indexes


def _reason(text: str, required: bool = True) -> tuple[str, str | None]:
    """The reason in one line, or a lazy message put into the page's language where it is shown."""
    text = " ".join((text or "").replace("\x00", "").split())  # PostgreSQL cannot store NUL
    if required and len(text) < 3:
        return text, _l("Schrijf kort waarom (minstens 3 tekens).")
    if len(text) > REASON_MAX:
        return text, _l("Hoogstens %(limit)d tekens.", limit=REASON_MAX)
    return text, None


def report_review(review: Review, reason: str, reporter=None):
    """Anyone can report a review. Returns (report | None, error)."""
    reason, error = _reason(reason)
    if error:
        return None, error
    reporter_id = getattr(reporter, "id", None)
    if reporter_id is None:
        report = ReviewReport(review_id=review.id, reason=reason)
        db.session.add(report)
        db.session.flush()
    else:
        # A member's report sent twice (or again while the first is open) is the same report.
        if not insert_if_absent(ReviewReport, {"review_id": review.id, "reporter_id": reporter_id, "reason": reason,
                                               "status": "open"},
                                keys=["review_id", "reporter_id"], where=OPEN):
            return _open_report(ReviewReport, review_id=review.id, reporter_id=reporter_id), None
        report = _open_report(ReviewReport, review_id=review.id, reporter_id=reporter_id)
    record(reporter, "review.report", "review", review.id, reason)
    return report, None


def _open_report(model, **match):
    return db.session.scalar(sa.select(model).where(model.status == "open", *(
        getattr(model, key) == value for key, value in match.items())))


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
    review_status_changed(review, before, reason)
    return None


def redact_review(review: Review, text: str, actor, reason: str):
    """A moderator removes a staff member's name (or other harm) from the text, keeping the rest."""
    reason, error = _reason(reason)
    if error:
        return error
    if not plain_text(text):
        return _l("De tekst mag niet leeg worden; verberg de ervaring dan liever.")
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
        return None, _l("Kies wat er niet klopt.")
    remark, error = _reason(remark, required=False)
    if error:
        return None, error
    reporter_id = getattr(reporter, "id", None)
    if reporter_id is None:
        report = InfoReport(place_id=place.id, kind=kind, remark=remark)
        db.session.add(report)
        db.session.flush()
    else:
        match = {"place_id": place.id, "reporter_id": reporter_id, "kind": kind}
        if not insert_if_absent(InfoReport, {**match, "remark": remark, "status": "open"},
                                keys=list(match), where=OPEN):
            return _open_report(InfoReport, **match), None  # the same tap twice: one report
        report = _open_report(InfoReport, **match)
    record(reporter, "place.report", "place", place.id, remark, kind=kind)
    return report, None


def suggest_place_change(place: Place, proposed: dict[str, str]) -> InfoReport | None:
    """The contact person proposes new values (edit-form names). They wait in the moderation queue as a
    report with the differences in words; the moderator's edit page opens with them filled in.
    None when nothing differs."""
    current = edit_form_values(place)
    changes = {key: value for key, value in proposed.items() if (current.get(key) or "") != value}
    if not changes:
        return None
    lines = [f"{FIELD_LABELS.get(key, key)}: {current.get(key) or EMPTY} → {value or EMPTY}"
             for key, value in changes.items()]
    report = InfoReport(place_id=place.id, kind=CHANGE_KIND, remark="; ".join(lines)[:4000], proposed=changes)
    db.session.add(report)
    db.session.flush()
    record(None, "place.report", "place", place.id, "", kind=CHANGE_KIND)
    return report


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


QUEUE_SHOWN = 50  # per list, oldest first; the heading counts them all


def _oldest(model, *where, order=None) -> tuple[list, int]:
    """(the QUEUE_SHOWN oldest rows, how many there are): counted and cut in SQL."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0
    rows = list(db.session.scalars(sa.select(model).where(*where)
                                   .order_by(*(order or (model.created_at, model.id))).limit(QUEUE_SHOWN)))
    return rows, total


def queue() -> dict:
    """What waits for a moderator, oldest first: at most QUEUE_SHOWN of each kind, with full counts."""
    first_report = sa.func.min(ReviewReport.created_at)
    reported_ids = list(db.session.scalars(
        sa.select(ReviewReport.review_id).where(ReviewReport.status == "open").group_by(ReviewReport.review_id)
        .order_by(first_report, ReviewReport.review_id).limit(QUEUE_SHOWN)))
    reported: dict[int, dict] = {review_id: {"reports": []} for review_id in reported_ids}
    for report in db.session.scalars(sa.select(ReviewReport).where(
            ReviewReport.status == "open", ReviewReport.review_id.in_(reported_ids)).order_by(ReviewReport.created_at)):
        reported[report.review_id]["review"] = report.review
        reported[report.review_id]["reports"].append(report)
    pending, pending_total = _oldest(Review, Review.status == "pending")
    info, info_total = _oldest(InfoReport, InfoReport.status == "open")
    suggested, suggested_total = _oldest(Place, Place.status == "suggested")
    hidden, hidden_total = _oldest(Review, Review.status == "hidden", order=(Review.updated_at.desc(), Review.id.desc()))
    responses, responses_total = _oldest(ReviewResponse, ReviewResponse.status == "pending")
    counts = {"reported": db.session.scalar(sa.select(sa.func.count(sa.distinct(ReviewReport.review_id)))
                                            .where(ReviewReport.status == "open")) or 0,
              "pending": pending_total, "info": info_total, "suggested": suggested_total, "hidden": hidden_total,
              "responses": responses_total}
    return {"reported": list(reported.values()), "pending": pending, "info": info, "suggested": suggested,
            "hidden": hidden, "responses": responses, "counts": counts, "shown": QUEUE_SHOWN}


def decide_response(response: ReviewResponse, publish: bool, actor, reason: str = ""):
    """A held answer of a place: publish it, or remove it (the place may then answer again)."""
    reason, error = _reason(reason, required=not publish)
    if error:
        return error
    review = response.review
    page = ("places.place_detail", {"slug": review.place.slug, "_anchor": f"ervaring-{review.id}"})
    if publish:
        response.status = "published"
        record(actor, "response.approve", "review_response", response.id, reason, review=response.review_id)
        if response.member is not None:
            notify(response.member, "response_published", *page, place=review.place.name)
    else:
        record(actor, "response.remove", "review_response", response.id, reason, review=response.review_id)
        if response.member is not None:
            notify(response.member, "response_removed", *page, place=review.place.name, reason=reason)
        db.session.delete(response)
    db.session.flush()
    return None


"""A member's own data: download all of it as JSON, or delete the account (reviews removed or kept anonymously)."""
from __future__ import annotations

import logging

import sqlalchemy as sa

from ..extensions import db
from .models import Member

log = logging.getLogger(__name__)


def _iso(value):
    return value.isoformat() if value is not None else None


def export_member_data(member: Member) -> dict:
    """Everything stored about this member and written by them."""
    from ..moderation.models import AuditEntry, InfoReport, ReviewReport
    from ..places.models import Place, PlaceChange, PlaceConfirmation
    from ..reviews.models import Review, ReviewResponse

    def rows(model, column):
        return list(db.session.scalars(sa.select(model).where(column == member.id)))

    return {
        "member": {"pseudonym": member.pseudonym, "email": member.email, "role": member.role,
                   "created_at": _iso(member.created_at), "contact_place_id": member.contact_place_id},
        "reviews": [{"place": r.place.name, "place_slug": r.place.slug, "aspects": r.aspects,
                     "recommend": r.recommend, "visit_month": r.visit_month.strftime("%Y-%m"), "text": r.text,
                     "status": r.status, "created_at": _iso(r.created_at), "updated_at": _iso(r.updated_at)}
                    for r in rows(Review, Review.member_id)],
        "responses": [{"review_id": r.review_id, "text": r.text, "created_at": _iso(r.created_at)}
                      for r in rows(ReviewResponse, ReviewResponse.member_id)],
        "review_reports": [{"review_id": r.review_id, "reason": r.reason, "status": r.status,
                            "created_at": _iso(r.created_at)} for r in rows(ReviewReport, ReviewReport.reporter_id)],
        "place_reports": [{"place_id": r.place_id, "kind": r.kind, "remark": r.remark, "status": r.status,
                           "created_at": _iso(r.created_at)} for r in rows(InfoReport, InfoReport.reporter_id)],
        "suggested_places": [{"name": p.name, "slug": p.slug, "status": p.status}
                             for p in rows(Place, Place.suggested_by_id)],
        "place_confirmations": [{"place_id": c.place_id, "created_at": _iso(c.created_at)}
                                for c in rows(PlaceConfirmation, PlaceConfirmation.member_id)],
        "place_changes": [{"place_id": c.place_id, "action": c.action, "changes": c.changes,
                           "created_at": _iso(c.created_at)} for c in rows(PlaceChange, PlaceChange.member_id)],
        "audit_entries": [{"action": a.action, "target": f"{a.target_type}:{a.target_id}", "reason": a.reason,
                           "created_at": _iso(a.created_at)} for a in rows(AuditEntry, AuditEntry.actor_id)],
    }


def delete_member(member: Member, keep_reviews: bool) -> int:
    """Delete the account. Reviews are removed, or kept without any link to the writer.

    Reviews go through the session one by one so the search index hears of each change; the
    other links to the member (reports, history, audit) are set to NULL by the database.
    Returns the number of reviews removed or anonymised.
    """
    from ..reviews.models import Review

    reviews = list(db.session.scalars(sa.select(Review).where(Review.member_id == member.id)))
    for review in reviews:
        if keep_reviews:
            review.member_id = None
            review.member = None
        else:
            db.session.delete(review)
    db.session.flush()
    member_id = member.id
    db.session.delete(member)
    db.session.flush()
    log.info("member id=%s deleted; %s reviews %s", member_id, len(reviews),
             "anonymised" if keep_reviews else "removed")
    return len(reviews)

"""What reviews store about a member: their reviews and their answers as a place's contact; removed or kept on deletion."""
from __future__ import annotations

import sqlalchemy as sa

from ..core.time import iso
from ..extensions import db
from .models import Review, ReviewResponse


def on_member_export(_sender, *, member) -> dict:
    reviews = db.session.scalars(sa.select(Review).where(Review.member_id == member.id).order_by(Review.id))
    responses = db.session.scalars(
        sa.select(ReviewResponse).where(ReviewResponse.member_id == member.id).order_by(ReviewResponse.id))
    return {
        "reviews": [{"place": r.place.name, "place_slug": r.place.slug, "aspects": r.aspects,
                     "recommend": r.recommend, "visit_month": r.visit_month.strftime("%Y-%m"), "text": r.text,
                     "status": r.status, "created_at": iso(r.created_at), "updated_at": iso(r.updated_at)}
                    for r in reviews],
        "responses": [{"review_id": r.review_id, "text": r.text, "created_at": iso(r.created_at)}
                      for r in responses],
    }


def on_member_deleting(_sender, *, member, keep_reviews: bool) -> dict:
    """Reviews are removed, or kept without any link to the writer.

    They go through the session one by one so the search index hears of each change.
    """
    reviews = list(db.session.scalars(sa.select(Review).where(Review.member_id == member.id)))
    for review in reviews:
        if keep_reviews:
            review.member_id = None
            review.member = None
        else:
            db.session.delete(review)
    db.session.flush()
    return {"reviews": len(reviews)}

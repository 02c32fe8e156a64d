"""Tell the writer (and the place's verified contact) what happened to a review: inbox notice and mail."""
from __future__ import annotations

import sqlalchemy as sa

from ..accounts.models import Member, PlaceContact
from ..core.audit import AuditEntry
from ..extensions import db
from ..notices import notify
from .models import Review, ReviewResponse


def place_contacts(place_id: int) -> list[Member]:
    return list(db.session.scalars(sa.select(Member).join(PlaceContact, PlaceContact.member_id == Member.id)
                                   .where(PlaceContact.place_id == place_id).order_by(Member.id)))


def review_status_changed(review: Review, before: str | None, reason: str = "") -> None:
    """After a new review (before=None) or a change of status: tell who should know. Flush, no commit.

    The writer hears that it is published, held (with the help block when the crisis check held it)
    or hidden (with the moderator's reason). The place's verified contacts hear of a review that
    became public for the first time.
    """
    if review.status == before:
        return
    place = review.place
    writer = review.member
    own_page = ("accounts.account", {"_anchor": "mijn-ervaringen"})
    if writer is not None:
        if review.status == "published":
            notify(writer, "review_published", "places.place_detail",
                   {"slug": place.slug, "_anchor": f"ervaring-{review.id}"}, place=place.name)
        elif review.status == "pending":
            notify(writer, "review_held", *own_page, place=place.name, crisis=review.hold_reason == "crisis")
        elif review.status == "hidden":
            notify(writer, "review_hidden", *own_page, place=place.name, reason=reason)
    if review.status == "published" and before in (None, "pending"):
        for contact in place_contacts(place.id):
            if contact.id != review.member_id:
                notify(contact, "place_review", "places.place_detail",
                       {"slug": place.slug, "_anchor": f"ervaring-{review.id}"}, place=place.name)


MODERATOR_ACTIONS = ("review.approve", "review.hide", "review.restore", "review.redact")


def _last_looked(target_type: str, ids: list[int], actions) -> dict:
    """{target id: the last audit entry of a moderator's decision on it}."""
    looked = {}
    if ids:
        for entry in db.session.scalars(sa.select(AuditEntry).where(
                AuditEntry.target_type == target_type, AuditEntry.target_id.in_(ids),
                AuditEntry.action.in_(actions)).order_by(AuditEntry.id)):
            looked[entry.target_id] = entry  # the last one wins
    return looked


def own_responses(member_id: int) -> list[dict]:
    """The member's answers as a place, with their state and when a moderator last looked at a held one."""
    responses = list(db.session.scalars(sa.select(ReviewResponse).where(ReviewResponse.member_id == member_id)
                                        .order_by(ReviewResponse.created_at.desc(), ReviewResponse.id.desc())))
    looked = _last_looked("review_response", [r.id for r in responses], ("response.approve",))
    return [{"response": r, "looked": looked.get(r.id)} for r in responses]


MODERATOR_ACTIONS = ("review.approve", "review.hide", "review.restore", "review.redact")


def own_reviews(member_id: int) -> list[dict]:
    """The member's reviews with their state, for /account: when a moderator last looked, and why it is hidden."""
    reviews = list(db.session.scalars(sa.select(Review).where(Review.member_id == member_id)
                                      .order_by(Review.created_at.desc(), Review.id.desc())))
    looked = _last_looked("review", [r.id for r in reviews], MODERATOR_ACTIONS)
    return [{"review": r, "looked": looked.get(r.id),
             "reason": looked[r.id].reason if r.status == "hidden" and r.id in looked else ""} for r in reviews]

"""Review: how a place feels to one member, in four aspects, and the place's one response to it."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

ASPECTS = ("welcome", "respect", "calm", "access")
STATUSES = ("pending", "published", "hidden")


class Review(db.Model):
    __tablename__ = "review"
    # NULL member ids (anonymised reviews of deleted accounts) never collide.
    __table_args__ = (sa.UniqueConstraint("member_id", "place_id", name="uq_review_member_place"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"), index=True)
    welcome: Mapped[int] = mapped_column(sa.SmallInteger)
    respect: Mapped[int] = mapped_column(sa.SmallInteger)
    calm: Mapped[int] = mapped_column(sa.SmallInteger)
    access: Mapped[int] = mapped_column(sa.SmallInteger)
    recommend: Mapped[bool] = mapped_column()
    text: Mapped[str] = mapped_column(sa.Text)  # sanitised HTML
    visit_month: Mapped[date] = mapped_column(sa.Date)  # always the 1st of the month
    status: Mapped[str] = mapped_column(sa.String(20), default="published", index=True)
    # Why a review waits for a moderator: "" | "new_member" | "crisis" | "premoderation"
    hold_reason: Mapped[str] = mapped_column(sa.String(20), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    member = relationship("Member", lazy="joined")
    place = relationship("Place", lazy="joined")
    response: Mapped[ReviewResponse | None] = relationship(
        back_populates="review", cascade="all, delete-orphan", uselist=False, lazy="selectin")

    @property
    def search_place_id(self) -> int | None:
        """The place whose search document changes when this review changes (see search/)."""
        return self.place_id

    @property
    def aspects(self) -> dict[str, int]:
        return {a: getattr(self, a) for a in ASPECTS}

    @property
    def author_name(self) -> str | None:
        """None for a review kept anonymously after its writer deleted the account."""
        return self.member.pseudonym if self.member else None

    def __repr__(self) -> str:
        return f"<Review {self.id} place={self.place_id} {self.status}>"


# max(updated_at) is part of the data version behind ETags; ratings are aggregated per place (migration 0010).
sa.Index("ix_review_updated_at", Review.updated_at)
sa.Index("ix_review_place_status", Review.place_id, Review.status)


class ReviewResponse(db.Model):
    """One public answer under a review, by the place's verified contact."""
    __tablename__ = "review_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id", ondelete="CASCADE"), unique=True)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)  # sanitised HTML
    # "published", or "pending" while a moderator reads an answer the crisis check held
    status: Mapped[str] = mapped_column(sa.String(20), default="published", server_default="published")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    review: Mapped[Review] = relationship(back_populates="response")
    member = relationship("Member", lazy="joined")

    @property
    def search_place_id(self) -> int | None:
        return self.review.place_id if self.review else None


class CrisisPhrase(db.Model):
    """A phrase a moderator added to the crisis check, on top of the shipped list (same syntax)."""
    __tablename__ = "crisis_phrase"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(sa.String(200), unique=True)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

"""Reports from readers, and the audit log of every moderation and role change."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..places.models import utcnow

INFO_KINDS = ("address", "phone", "hours", "closed")


class ReviewReport(db.Model):
    """Someone (logged in or not) thinks a review does not belong here."""
    __tablename__ = "review_report"
    # One open report per member and review: a double submit finds the first (anonymous reports are NULL).
    __table_args__ = (sa.Index("uq_review_report_open", "review_id", "reporter_id", unique=True,
                               sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default="open", index=True)  # open | closed
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    review = relationship("Review", lazy="joined")


class InfoReport(db.Model):
    """A place's address, phone, hours or existence is wrong: one tap, an optional remark."""
    __tablename__ = "info_report"
    __table_args__ = (sa.Index("uq_info_report_open", "place_id", "reporter_id", "kind", unique=True,
                               sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    remark: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="open", index=True)  # open | fixed | dismissed
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    place = relationship("Place", lazy="joined")


class AuditEntry(db.Model):
    """Who did what to which object, when and why. Rows are only ever added."""
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    # NULL when the actor deleted the account (or for anonymous visitors and commands).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    target_type: Mapped[str] = mapped_column(sa.String(20))
    target_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor = relationship("Member", lazy="joined")

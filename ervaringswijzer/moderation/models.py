"""Reports from readers: a review that does not belong here, or wrong information about a place."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..extensions import db

INFO_KINDS = ("address", "phone", "hours", "closed")
CHANGE_KIND = "change"  # a change the place's contact person proposed through a check mail's link


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
    # For a proposed change: the new values, as the edit form names them ({"phone": "030 ..."}).
    proposed: Mapped[dict | None] = mapped_column(sa.JSON)

    place = relationship("Place", lazy="joined")


"""Notice: one message in a member's inbox (/berichten), the same one that may also go out by mail."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db


class Notice(db.Model):
    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"))
    # Which templates tell it: notices/<kind>.subject.txt, .txt and .body.html
    kind: Mapped[str] = mapped_column(sa.String(40))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # plain values the templates show (escaped)
    link: Mapped[str] = mapped_column(sa.String(300), default="")  # a path on this site, or ""
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


sa.Index("ix_notice_member_read", Notice.member_id, Notice.read_at)

"""The outgoing mail queue: one row per mail, written in the transaction of the change it tells about."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db

STATUSES = ("queued", "sent", "failed")


class OutgoingMail(db.Model):
    """A rendered mail waiting to be sent, being sent (claimed) or sent. Rows of sent mails are pruned."""
    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The member it was written for, if any: their queued mails go when the account goes.
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str] = mapped_column(sa.Text)
    template: Mapped[str] = mapped_column(sa.String(80), default="")  # which kind of mail, for the status
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # A sender claims a row by setting these in one UPDATE that only matches an unclaimed (or expired)
    # claim: two machines sending at once never both send a mail. A claim that expires (a sender died
    # mid-send) is taken again, so nothing is lost; at worst a mail arrives twice.
    claimed_by: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<OutgoingMail {self.id} {self.template} {self.status}>"


sa.Index("ix_outgoing_mail_due", OutgoingMail.status, OutgoingMail.next_attempt_at)

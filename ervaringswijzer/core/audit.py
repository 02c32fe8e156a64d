"""The audit log: who did what to which object, when and why. Every domain records its decisions here."""
from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .time import utcnow

log = logging.getLogger(__name__)


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


def record(actor, action: str, target_type: str, target_id: int | None, reason: str = "", **detail) -> AuditEntry:
    """Add one audit row; every moderation step and role change calls this."""
    entry = AuditEntry(actor_id=getattr(actor, "id", None), action=action, target_type=target_type,
                       target_id=target_id, reason=reason or "", detail=detail)
    db.session.add(entry)
    log.info("audit %s %s=%s by=%s", action, target_type, target_id, entry.actor_id)
    return entry


def audit_log(limit: int = 200) -> list[AuditEntry]:
    return list(db.session.scalars(
        sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)))


def actor_entries(member_id: int) -> list[AuditEntry]:
    """What this member did, for their own data download."""
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.actor_id == member_id)
                                   .order_by(AuditEntry.id)))

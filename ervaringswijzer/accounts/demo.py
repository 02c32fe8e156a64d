"""Demo members: one fictional account per role, all with the same password (printed by seed-demo and in README)."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..core.time import utcnow
from ..extensions import db
from .models import ROLES, Member

DEMO_PASSWORD = "demo-wachtwoord"
DEMO_MEMBERS = [(f"{role.replace('_', '-')}-demo", role) for role in ROLES]


def demo_member(pseudonym: str, role: str) -> Member:
    """The demo member with this pseudonym, added (a year old, so not held as new) when missing."""
    key = pseudonym.lower()
    member = db.session.scalar(sa.select(Member).where(Member.pseudonym_key == key))
    if member is None:
        member = Member(pseudonym=pseudonym, pseudonym_key=key, role=role,
                        created_at=utcnow() - timedelta(days=400))
        member.set_password(DEMO_PASSWORD)
        db.session.add(member)
    return member

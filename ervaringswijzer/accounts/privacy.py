"""A member's own data: download all of it as JSON, or delete the account (reviews removed or kept anonymously).

Each package says what it stores about a member by answering core.signals.member_export and
member_deleting, so this module needs to know none of them.
"""
from __future__ import annotations

import logging

from ..core import signals
from ..core.audit import actor_entries
from ..core.time import iso
from ..extensions import db
from .models import Member

log = logging.getLogger(__name__)


def export_member_data(member: Member) -> dict:
    """Everything stored about this member and written by them, and nothing about anyone else."""
    data = {
        "member": {"pseudonym": member.pseudonym, "email": member.email, "role": member.role, "language": member.language,
                   "created_at": iso(member.created_at), "contact_place_id": member.contact_place_id},
        "audit_entries": [{"action": a.action, "target": f"{a.target_type}:{a.target_id}", "reason": a.reason,
                           "created_at": iso(a.created_at)} for a in actor_entries(member.id)],
    }
    parts: dict = {}
    for part in signals.ask(signals.member_export, member=member):
        parts.update(part)
    return {**data, **dict(sorted(parts.items()))}  # the same order in every download


def delete_member(member: Member, keep_reviews: bool) -> int:
    """Delete the account. Reviews are removed, or kept without any link to the writer.

    The packages that keep rows about the member handle them first (core.signals.member_deleting);
    the other links to the member (reports, history, audit, shared maps) are set to NULL or
    deleted by the database. Returns the number of reviews removed or anonymised.
    """
    counts: dict[str, int] = {}
    for answer in signals.ask(signals.member_deleting, member=member, keep_reviews=keep_reviews):
        counts.update(answer)
    member_id = member.id
    db.session.delete(member)
    db.session.flush()
    log.info("member id=%s deleted; %s reviews %s", member_id, counts.get("reviews", 0),
             "anonymised" if keep_reviews else "removed")
    return counts.get("reviews", 0)

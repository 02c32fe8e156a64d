"""Tell a member something: a notice in their inbox and, when they gave an address, the same as a mail."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import render_template
from markupsafe import Markup

from ..core.time import utcnow
from ..extensions import db
from ..mail import queue_mail
from ..mail.compose import header_text, public_url, site_path
from .models import Notice

log = logging.getLogger(__name__)
INBOX_SHOWN = 100
RESERVED = {"kind", "link", "to", "template", "lang", "member_id", "subject", "help_id"}  # names the templates use


def notify(member, kind: str, endpoint: str | None = None, url_values: dict | None = None, **params) -> Notice:
    """Add a notice of `kind` for `member` and queue the same as a mail if the member has an address.

    `endpoint`/`url_values` name the page the notice points to (on this site). `params` are plain
    JSON values for the templates notices/<kind>.subject.txt, <kind>.txt and <kind>.body.html; they are
    stored with the notice so the inbox shows it in whatever language the reader has then.
    Add and flush; the caller commits (and the mail goes after that commit).
    """
    clash = RESERVED & params.keys()
    if clash:
        raise ValueError(f"notice params may not be named {sorted(clash)}")
    link = site_path(endpoint, **(url_values or {})) if endpoint else ""
    notice = Notice(member_id=member.id, kind=kind, params=params, link=link)
    db.session.add(notice)
    db.session.flush()
    if getattr(member, "email", None):
        queue_mail(member.email, "notices/mail", lang=getattr(member, "language", "nl") or "nl",
                   member_id=member.id, kind=kind,
                   link=public_url(endpoint, **(url_values or {})) if endpoint else "", **params)
    log.info("notice %s id=%s for member=%s", kind, notice.id, member.id)
    return notice


def notices_for(member_id: int, limit: int | None = INBOX_SHOWN) -> list[Notice]:
    query = (sa.select(Notice).where(Notice.member_id == member_id)
             .order_by(Notice.created_at.desc(), Notice.id.desc()))
    return list(db.session.scalars(query.limit(limit) if limit else query))


def unread_count(member_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notice).where(
        Notice.member_id == member_id, Notice.read_at.is_(None))) or 0


def mark_read(member_id: int) -> int:
    """Every notice of this member counts as read from now on. Flush, no commit."""
    result = db.session.execute(sa.update(Notice).where(Notice.member_id == member_id, Notice.read_at.is_(None))
                                .values(read_at=utcnow()))
    return result.rowcount or 0


def notice_subject(notice: Notice) -> str:
    return header_text(render_template(f"notices/{notice.kind}.subject.txt", **notice.params))


def notice_body(notice: Notice) -> Markup:
    """The notice as HTML for the inbox page: the same template as the mail's HTML part (autoescaped)."""
    return Markup(render_template(f"notices/{notice.kind}.body.html", link=notice.link, help_id=f"hulp-{notice.id}",
                                  **notice.params))

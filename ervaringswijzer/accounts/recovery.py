"""Forgotten passwords: a signed, single-use link by mail that works for PASSWORD_RESET_MINUTES.

The link carries 256 random bits, signed with the app's secret and a timestamp; the database keeps
only their SHA-256, so a copy of the database opens nothing. Asking for a link gives the same
answer, with the same work, whether or not the pseudonym exists or has an address.
"""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..core.audit import record
from ..core.time import utcnow
from ..core.tokens import token_hash
from ..extensions import db
from ..mail import public_url, queue_mail, render_mail
from .models import Member, PasswordReset
from .passwords import password_problem
from .services import find_member

log = logging.getLogger(__name__)
TEMPLATE = "accounts/mail/password_reset"
OPEN_LINKS_MAX = 3  # more unused links than this for one member: no new mail (nobody's mailbox gets flooded)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="password-reset")


def _minutes() -> int:
    return int(current_app.config["PASSWORD_RESET_MINUTES"])


def request_reset(pseudonym: str) -> None:
    """Queue a reset mail when the pseudonym exists and has an address; otherwise do the same work for nothing.

    Add and flush; the view commits. Returns nothing on purpose: the caller must not tell the difference.
    """
    member = find_member(pseudonym or "")
    raw = secrets.token_urlsafe(32)
    token = _serializer().dumps(raw)
    link = public_url("accounts.reset_password_page", token=token)
    if member is None or not member.email or _open_links(member.id) >= OPEN_LINKS_MAX:
        render_mail(TEMPLATE, "nl", link=link, minutes=_minutes())  # the same work as a real mail
        return
    db.session.add(PasswordReset(member_id=member.id, token_hash=token_hash(raw),
                                 expires_at=utcnow() + timedelta(minutes=_minutes())))
    queue_mail(member.email, TEMPLATE, lang=member.language, member_id=member.id, link=link, minutes=_minutes())
    log.info("password reset mailed to member id=%s", member.id)


def tell_password_changed(member: Member) -> None:
    """A mail that the password changed, so a change the member did not make does not go unnoticed."""
    if member.email:
        queue_mail(member.email, "accounts/mail/password_changed", lang=member.language, member_id=member.id,
                   link=public_url("accounts.forgot_password"))


def _open_links(member_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(PasswordReset).where(
        PasswordReset.member_id == member_id, PasswordReset.used_at.is_(None),
        PasswordReset.expires_at > utcnow())) or 0


def valid_reset(token: str) -> PasswordReset | None:
    """The unused, unexpired reset a link stands for, or None (bad signature, too old, used, unknown)."""
    try:
        raw = _serializer().loads(token or "", max_age=_minutes() * 60)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(raw, str):
        return None
    reset = db.session.scalar(sa.select(PasswordReset).where(PasswordReset.token_hash == token_hash(raw)))
    if reset is None or reset.used_at is not None or _aware(reset.expires_at) <= utcnow():
        return None
    return reset


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)  # SQLite gives naive UTC back


LINK_GONE = _l("Deze link werkt niet meer: hij is al gebruikt of ouder dan een half uur. Vraag hieronder een nieuwe aan.")


def reset_password(token: str, new_password: str) -> tuple[Member | None, dict]:
    """Set a new password through a link; the link (and every other open link of the member) is then spent.

    Returns (member, {}) or (None, errors by field: "token" or "new"). Flush, no commit.
    """
    reset = valid_reset(token)
    if reset is None:
        return None, {"token": LINK_GONE}
    member = reset.member
    problem = password_problem(new_password, member.pseudonym, member.email)
    if problem:
        return None, {"new": problem}
    now = utcnow()
    # One conditional UPDATE spends the link: of two requests with the same link only one gets here.
    spent = db.session.execute(sa.update(PasswordReset).where(PasswordReset.id == reset.id,
                                                              PasswordReset.used_at.is_(None)).values(used_at=now))
    if spent.rowcount != 1:
        return None, {"token": LINK_GONE}
    db.session.execute(sa.update(PasswordReset).where(PasswordReset.member_id == member.id,
                                                      PasswordReset.used_at.is_(None)).values(used_at=now))
    member.set_password(new_password)  # also ends every session of this member
    record(member, "member.password_reset", "member", member.id)
    tell_password_changed(member)
    db.session.flush()
    log.info("member id=%s set a new password through a mailed link", member.id)
    return member, {}

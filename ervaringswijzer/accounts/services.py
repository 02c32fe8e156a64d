"""Registering and authenticating members."""
import logging
import re

import sqlalchemy as sa

from ..extensions import db
from .models import ROLES, Member

log = logging.getLogger(__name__)
_PSEUDONYM = re.compile(r"^[\w .'-]{3,40}$")
MIN_PASSWORD = 10


def find_member(pseudonym: str) -> Member | None:
    return db.session.scalar(sa.select(Member).where(Member.pseudonym_key == pseudonym.strip().lower()))


def register_member(pseudonym: str, password: str, email: str | None = None,
                    role: str = "member") -> tuple[Member | None, dict[str, str]]:
    errors: dict[str, str] = {}
    pseudonym = " ".join((pseudonym or "").split())
    if not _PSEUDONYM.match(pseudonym):
        errors["pseudonym"] = "Kies een schuilnaam van 3 tot 40 letters, cijfers of spaties."
    elif find_member(pseudonym):
        errors["pseudonym"] = "Deze schuilnaam is al in gebruik. Kies een andere."
    if len(password or "") < MIN_PASSWORD:
        errors["password"] = f"Kies een wachtwoord van minstens {MIN_PASSWORD} tekens."
    if role not in ROLES:
        errors["role"] = "Onbekende rol."
    if errors:
        return None, errors
    member = Member(pseudonym=pseudonym, pseudonym_key=pseudonym.lower(), email=(email or None), role=role)
    member.set_password(password)
    db.session.add(member)
    db.session.flush()
    log.info("member registered id=%s role=%s", member.id, role)
    return member, {}


def authenticate(pseudonym: str, password: str) -> Member | None:
    member = find_member(pseudonym or "")
    if member and member.check_password(password or ""):
        return member
    return None

"""Registering and authenticating members."""
import logging
import re

import sqlalchemy as sa

from ..core.audit import record
from ..extensions import db
from ..places.models import Place
from .models import ROLES, Member, PlaceContact

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


def change_password(member: Member, current: str, new: str) -> dict[str, str]:
    """Returns errors by field; empty when the password was changed."""
    if not member.check_password(current or ""):
        return {"current": "Je huidige wachtwoord klopt niet."}
    if len(new or "") < MIN_PASSWORD:
        return {"new": f"Kies een wachtwoord van minstens {MIN_PASSWORD} tekens."}
    member.set_password(new)
    db.session.flush()
    log.info("member id=%s changed password", member.id)
    return {}


def set_role(member: Member, role: str, actor, reason: str = "") -> str | None:
    """An admin gives a member a role; the change goes into the audit log. Returns an error or None."""
    if role not in ROLES:
        return "Onbekende rol."
    if member.id == getattr(actor, "id", None) and role != member.role:
        return "Je kunt je eigen rol niet veranderen; vraag een andere beheerder."
    if role == member.role:
        return None
    before, member.role = member.role, role
    record(actor, "member.role", "member", member.id, reason, before=before, after=role)
    db.session.flush()
    return None


def set_contact_place(member: Member, place_id: int | None, actor) -> str | None:
    """An admin marks a member as the verified contact of a place (or removes that)."""
    if place_id is not None and db.session.get(Place, place_id) is None:
        return "Die plek bestaat niet."
    if member.contact_place_id == place_id:
        return None
    before = member.contact_place_id
    member.contact = PlaceContact(place_id=place_id) if place_id else None
    record(actor, "member.contact_place", "member", member.id, before=before, after=place_id)
    db.session.flush()
    return None


def all_members() -> list[Member]:
    return list(db.session.scalars(sa.select(Member).order_by(Member.pseudonym_key)))

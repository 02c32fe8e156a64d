"""Registering and authenticating members."""
import logging
import re

import secrets
from functools import lru_cache

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.audit import record
from ..extensions import db
from ..places.models import Place
from .models import ROLES, Member, PlaceContact
from .passwords import password_problem

log = logging.getLogger(__name__)
_PSEUDONYM = re.compile(r"^[\w .'-]{3,40}$")


def find_member(pseudonym: str) -> Member | None:
    return db.session.scalar(sa.select(Member).where(Member.pseudonym_key == pseudonym.strip().lower()))


def register_member(pseudonym: str, password: str, email: str | None = None,
                    role: str = "member") -> tuple[Member | None, dict[str, str]]:
    errors: dict[str, str] = {}
    pseudonym = " ".join((pseudonym or "").split())
    if not _PSEUDONYM.match(pseudonym):
        errors["pseudonym"] = _("Kies een schuilnaam van 3 tot 40 letters, cijfers of spaties.")
    elif find_member(pseudonym):
        errors["pseudonym"] = _("Deze schuilnaam is al in gebruik. Kies een andere.")
    problem = password_problem(password, pseudonym, email)
    if problem:
        errors["password"] = problem
    if role not in ROLES:
        errors["role"] = _("Onbekende rol.")
    if errors:
        return None, errors
    member = Member(pseudonym=pseudonym, pseudonym_key=pseudonym.lower(), email=(email or None), role=role)
    member.set_password(password)
    db.session.add(member)
    db.session.flush()
    log.info("member registered id=%s role=%s", member.id, role)
    return member, {}


@lru_cache(maxsize=1)
def dummy_password_hash() -> str:
    """A hash made the way real ones are, of a password nobody knows."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(pseudonym: str, password: str) -> Member | None:
    """The member with this pseudonym and password, or None.

    An unknown pseudonym costs the same hashing work as a wrong password, so the time an answer
    takes does not tell which pseudonyms exist.
    """
    member = find_member(pseudonym or "")
    if member is None:
        check_password_hash(dummy_password_hash(), password or "")
        return None
    return member if member.check_password(password or "") else None


def change_password(member: Member, current: str, new: str) -> dict[str, str]:
    """Returns errors by field; empty when the password was changed."""
    if not member.check_password(current or ""):
        return {"current": _("Je huidige wachtwoord klopt niet.")}
    problem = password_problem(new, member.pseudonym, member.email)
    if problem:
        return {"new": problem}
    member.set_password(new)  # also ends the member's sessions on every other device
    db.session.flush()
    log.info("member id=%s changed password", member.id)
    return {}


def set_role(member: Member, role: str, actor, reason: str = "") -> str | None:
    """An admin gives a member a role; the change goes into the audit log. Returns an error or None."""
    if role not in ROLES:
        return _("Onbekende rol.")
    if member.id == getattr(actor, "id", None) and role != member.role:
        return _("Je kunt je eigen rol niet veranderen; vraag een andere beheerder.")
    if role == member.role:
        return None
    before, member.role = member.role, role
    member.end_sessions()  # the member logs in again and gets the new role's pages from then on
    record(actor, "member.role", "member", member.id, reason, before=before, after=role)
    db.session.flush()
    return None


def set_contact_place(member: Member, place_id: int | None, actor) -> str | None:
    """An admin marks a member as the verified contact of a place (or removes that)."""
    if place_id is not None and db.session.get(Place, place_id) is None:
        return _("Die plek bestaat niet.")
    if member.contact_place_id == place_id:
        return None
    before = member.contact_place_id
    member.contact = PlaceContact(place_id=place_id) if place_id else None
    record(actor, "member.contact_place", "member", member.id, before=before, after=place_id)
    db.session.flush()
    return None


def all_members() -> list[Member]:
    return list(db.session.scalars(sa.select(Member).order_by(Member.pseudonym_key)))

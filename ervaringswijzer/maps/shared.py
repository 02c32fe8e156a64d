"""Shared maps: a social worker's ordered list of places for one client, reachable by an unguessable link.

The link token is looked up by its SHA-256 hash, so the database index never compares the
token an outsider typed character by character (no timing shortcut), and the final check uses
hmac.compare_digest. The token itself is kept as well, because the owner must be able to show
the link and QR code again; whoever can read that column can read the map itself anyway.
"""
from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timezone

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..core.tokens import token_hash
from ..db import insert_if_absent
from ..extensions import db
from ..places.counters import count_event
from ..places.models import Place

log = logging.getLogger(__name__)

TITLE_MAX = 120
NOTE_MAX = 2000
MAX_PLACES = 30


def new_token() -> str:
    """192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


class SharedMap(db.Model):
    __tablename__ = "shared_map"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    token: Mapped[str] = mapped_column(sa.String(64))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    owner = relationship("Member", lazy="joined")
    items: Mapped[list[SharedMapItem]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SharedMapItem.position",
        back_populates="shared_map")

    def state(self, now: datetime | None = None) -> str:
        """'active', 'revoked' or 'expired'."""
        now = now or datetime.now(timezone.utc)
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and _aware(self.expires_at) <= now:
            return "expired"
        return "active"

    @property
    def places(self) -> list[Place]:
        return [item.place for item in self.items]

    def __repr__(self) -> str:
        return f"<SharedMap {self.id} {self.title!r}>"


class SharedMapItem(db.Model):
    __tablename__ = "shared_map_item"

    shared_map_id: Mapped[int] = mapped_column(
        sa.ForeignKey("shared_map.id", ondelete="CASCADE"), primary_key=True)
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    # Going along the first time (see maps/visits.py): the worker's own note for this place, the day the
    # worker goes along, the meegaan request when an expert by experience goes along, a follow-up day.
    worker_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    going_along_on: Mapped[date | None] = mapped_column(sa.Date)
    expert_request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("expert_request.id", ondelete="SET NULL", name="fk_shared_map_item_expert_request"))
    follow_up_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    follow_up_reminded_on: Mapped[date | None] = mapped_column(sa.Date)

    shared_map: Mapped[SharedMap] = relationship(back_populates="items")
    place: Mapped[Place] = relationship(lazy="joined")
    expert_request = relationship("ExpertRequest", lazy="joined")


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they were stored as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass
class Lookup:
    shared_map: SharedMap
    state: str  # active | revoked | expired


def find_by_token(token: str) -> Lookup | None:
    """The shared map behind a link, or None. Every token takes the same path: hash, one indexed query."""
    digest = token_hash(token or "")
    found = db.session.scalar(sa.select(SharedMap).where(SharedMap.token_hash == digest))
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        return None
    return Lookup(found, found.state())


def validate_map_fields(title: str, note: str, expires_at: datetime | None) -> dict[str, str]:
    """Messages are lazy: they are put into words in the page's language where they are shown."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _l("Geef de kaart een naam.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _l("De naam is te lang (hoogstens %(limit)d tekens).", limit=TITLE_MAX)
    if len(note) > NOTE_MAX:
        errors["note"] = _l("De notitie is te lang (hoogstens %(limit)d tekens).", limit=NOTE_MAX)
    if expires_at is not None and _aware(expires_at) <= datetime.now(timezone.utc):
        errors["expires_at"] = _l("Kies een datum in de toekomst, of laat het leeg.")
    return errors


def create_shared_map(owner_id: int, title: str, note: str = "",
                      expires_at: datetime | None = None) -> tuple[SharedMap | None, dict[str, str]]:
    title, note = title.strip(), note.strip()
    errors = validate_map_fields(title, note, expires_at)
    if errors:
        return None, errors
    token = new_token()
    shared = SharedMap(owner_id=owner_id, title=title, note=note, expires_at=expires_at,
                       token=token, token_hash=token_hash(token))
    db.session.add(shared)
    db.session.flush()
    log.info("shared map %s created by member %s", shared.id, owner_id)
    return shared, {}


def update_shared_map(shared: SharedMap, title: str, note: str,
                      expires_at: datetime | None) -> dict[str, str]:
    title, note = title.strip(), note.strip()
    errors = validate_map_fields(title, note, expires_at)
    if errors:
        return errors
    shared.title, shared.note, shared.expires_at = title, note, expires_at
    db.session.flush()
    return {}


def owned_maps(owner_id: int) -> list[SharedMap]:
    return list(db.session.scalars(
        sa.select(SharedMap).where(SharedMap.owner_id == owner_id).order_by(SharedMap.updated_at.desc())))


def get_owned(map_id: int, member) -> SharedMap | None:
    """The map if `member` owns it (admins may open any); otherwise None, so the view answers 404."""
    shared = db.session.get(SharedMap, map_id)
    if shared is None or not (shared.owner_id == member.id or member.role == "admin"):
        return None
    return shared


def add_place(shared: SharedMap, place: Place) -> bool:
    """Append a place at the end. False when it was already on the map or the map is full."""
    if any(item.place_id == place.id for item in shared.items) or len(shared.items) >= MAX_PLACES:
        return False
    position = max((item.position for item in shared.items), default=0) + 1
    # The same place added twice at once (a double click, two tabs): the second request finds it there.
    if insert_if_absent(SharedMapItem, {"shared_map_id": shared.id, "place_id": place.id, "position": position},
                        keys=["shared_map_id", "place_id"]):
        count_event(place, "map_adds")
    shared.updated_at = utcnow()
    db.session.flush()
    db.session.refresh(shared, ["items"])
    return True


def remove_place(shared: SharedMap, place_id: int) -> None:
    shared.items = [item for item in shared.items if item.place_id != place_id]
    _renumber(shared)


def move_place(shared: SharedMap, place_id: int, step: int) -> None:
    """Move a place one step up (-1) or down (+1) in the client's list."""
    items = list(shared.items)
    index = next((i for i, item in enumerate(items) if item.place_id == place_id), None)
    if index is None:
        return
    target = index + step
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        shared.items = items
        _renumber(shared)


def _renumber(shared: SharedMap) -> None:
    for number, item in enumerate(shared.items, start=1):
        item.position = number
    shared.updated_at = utcnow()
    db.session.flush()


def revoke(shared: SharedMap) -> None:
    shared.revoked_at = utcnow()
    db.session.flush()
    log.info("shared map %s revoked", shared.id)


def renew_link(shared: SharedMap) -> None:
    """A fresh link: the old one stops working, printed QR codes too."""
    shared.token = new_token()
    shared.token_hash = token_hash(shared.token)
    shared.revoked_at = None
    db.session.flush()
    log.info("shared map %s got a new link", shared.id)

"""'Eerst komen kijken': a social worker proposes two or three moments to a place's contact person, who
answers through a mailed link without an account.

The link carries a token of 256 random bits; only its SHA-256 hash is stored, it expires after
LINK_DAYS and works once (the first answer closes it).
"""
from __future__ import annotations

import hmac
import logging
import secrets
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.audit import record
from ..core.time import TZ, utcnow
from ..core.tokens import token_hash
from ..experts.guard import identity_problem
from ..experts.services import IDENTITY_MESSAGES
from ..extensions import db
from ..places.models import Place

log = logging.getLogger(__name__)

LINK_DAYS = 14
MIN_MOMENTS, MAX_MOMENTS = 2, 3
SUGGESTION_MAX = 300


class LookFirstRequest(db.Model):
    __tablename__ = "look_first_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    shared_map_id: Mapped[int] = mapped_column(sa.ForeignKey("shared_map.id", ondelete="CASCADE"), index=True)
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("place.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    client_initial: Mapped[str] = mapped_column(sa.String(20), default="")
    moments: Mapped[list] = mapped_column(sa.JSON, default=list)  # ISO 8601 strings, Dutch time
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # asked -> accepted (chosen moment) | other (the contact suggests another moment)
    status: Mapped[str] = mapped_column(sa.String(20), default="asked")
    chosen: Mapped[int | None] = mapped_column()
    suggestion: Mapped[str] = mapped_column(sa.String(SUGGESTION_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    place: Mapped[Place] = relationship(lazy="joined")
    worker = relationship("Member", lazy="joined")

    @property
    def moment_times(self) -> list[datetime]:
        return [datetime.fromisoformat(m) for m in self.moments or []]

    @property
    def chosen_moment(self) -> datetime | None:
        return self.moment_times[self.chosen] if self.chosen is not None else None

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(timezone.utc)
        expires = self.expires_at if self.expires_at.tzinfo else self.expires_at.replace(tzinfo=timezone.utc)
        return self.status == "asked" and expires > now


def contact_address(place: Place) -> str:
    """The contact person's own e-mail, or the place's when the contact has none."""
    return place.contact_email or place.email or ""


def ask_look_first(shared, place: Place, worker, moments: list[datetime],
                   client_initial: str = "") -> tuple[LookFirstRequest | None, str, dict]:
    """(request, token, errors). The token is returned once, for the mail; only its hash is kept."""
    errors: dict = {}
    now = datetime.now(TZ)
    moments = sorted({m.replace(second=0, microsecond=0) for m in moments if m is not None})
    if not MIN_MOMENTS <= len(moments) <= MAX_MOMENTS:
        errors["moments"] = _l("Kies twee of drie verschillende momenten.")
    elif any(m <= now for m in moments):
        errors["moments"] = _l("Kies momenten in de toekomst.")
    initial = (client_initial or "").strip()
    if len(initial.split()) > 1 or len(initial) > 20:
        errors["client_initial"] = _l("Alleen een voornaam of een voorletter, geen achternaam.")
    elif identity_problem(initial):
        errors["client_initial"] = IDENTITY_MESSAGES[identity_problem(initial)]
    if not contact_address(place):
        errors["moments"] = _l("Deze plek heeft nog geen e-mailadres van een contactpersoon.")
    if errors:
        return None, "", errors
    token = secrets.token_urlsafe(32)
    found = LookFirstRequest(shared_map_id=shared.id, place_id=place.id, worker_id=worker.id,
                             client_initial=initial, moments=[m.isoformat() for m in moments],
                             token_hash=token_hash(token), expires_at=utcnow() + timedelta(days=LINK_DAYS))
    db.session.add(found)
    db.session.flush()
    record(worker, "look_first.ask", "place", place.id, request=found.id)
    return found, token, {}


def find_open(token: str) -> LookFirstRequest | None:
    """The open request behind a link; None for an unknown, used or expired one."""
    digest = token_hash(token or "")
    found = db.session.scalar(sa.select(LookFirstRequest).where(LookFirstRequest.token_hash == digest))
    if found is None or not hmac.compare_digest(found.token_hash, digest) or not found.is_open():
        return None
    return found


def answer_look_first(found: LookFirstRequest, chosen: int | None, suggestion: str) -> dict:
    """Accept one moment, or suggest another in words. The link then stops working."""
    suggestion = " ".join((suggestion or "").split())
    if chosen is not None and 0 <= chosen < len(found.moments):
        found.status, found.chosen = "accepted", chosen
    elif suggestion:
        if len(suggestion) > SUGGESTION_MAX:
            return {"suggestion": _l("Dit is te lang (hoogstens %(limit)d tekens).", limit=SUGGESTION_MAX)}
        found.status, found.suggestion = "other", suggestion
    else:
        return {"choice": _l("Kies een moment, of schrijf een ander moment.")}
    found.answered_at = utcnow()
    db.session.flush()
    record(None, "look_first.answer", "place", found.place_id, request=found.id, status=found.status)
    return {}


def look_firsts_for(shared_map_id: int) -> dict[int, LookFirstRequest]:
    """The newest look-first request per place on this map."""
    rows = db.session.scalars(sa.select(LookFirstRequest).where(LookFirstRequest.shared_map_id == shared_map_id)
                              .order_by(LookFirstRequest.id))
    return {row.place_id: row for row in rows}

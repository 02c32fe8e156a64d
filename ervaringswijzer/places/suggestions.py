"""Places suggested by members: published by a moderator, or once enough other peer experts confirm them."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app

from ..core.audit import record
from ..extensions import db
from .models import Place, PlaceConfirmation
from .services import set_place_status, upsert_place

log = logging.getLogger(__name__)


def suggest_place(data: dict, member) -> tuple[Place | None, dict[str, str]]:
    """A member proposes a place; it stays 'suggested' (invisible to visitors) until checked."""
    data = {k: v for k, v in data.items() if k not in ("slug", "status", "location")}
    data["status"] = "suggested"
    place, errors, _created = upsert_place(data, actor=member, action="suggested")
    if place is not None:
        place.suggested_by_id = member.id
        db.session.flush()
    return place, errors


def confirmations(place_id: int) -> list[PlaceConfirmation]:
    return list(db.session.scalars(sa.select(PlaceConfirmation).where(PlaceConfirmation.place_id == place_id)))


def confirm_place(place: Place, member) -> tuple[bool, str | None]:
    """A peer expert (not the one who suggested it) vouches for a suggested place.

    Returns (published now, error). The place is published when the configured number of
    different peer experts has confirmed it.
    """
    if place.status != "suggested":
        return False, "Deze plek hoeft niet meer bevestigd te worden."
    if place.suggested_by_id == member.id:
        return False, "Je kunt je eigen voorstel niet bevestigen; dat doen twee anderen."
    if db.session.get(PlaceConfirmation, (place.id, member.id)):
        return False, "Je hebt deze plek al bevestigd."
    db.session.add(PlaceConfirmation(place_id=place.id, member_id=member.id))
    db.session.flush()
    record(member, "place.confirm", "place", place.id)
    if len(confirmations(place.id)) >= current_app.config["PLACE_CONFIRMATIONS_NEEDED"]:
        set_place_status(place, "published", member)
        record(member, "place.publish", "place", place.id, "bevestigd door ervaringsdeskundigen")
        log.info("place %s published after confirmations", place.id)
        return True, None
    return False, None


def decide_suggestion(place: Place, actor, publish: bool, reason: str = "") -> str | None:
    """A moderator publishes a suggested place, or archives it (with a reason)."""
    if place.status != "suggested":
        return "Deze plek is al beoordeeld."
    if not publish and len(" ".join((reason or "").split())) < 3:
        return "Schrijf kort waarom de plek niet op de kaart komt."
    set_place_status(place, "published" if publish else "archived", actor)
    record(actor, "place.publish" if publish else "place.reject", "place", place.id, reason)
    return None


def suggested_places() -> list[Place]:
    return list(db.session.scalars(sa.select(Place).where(Place.status == "suggested").order_by(Place.created_at)))

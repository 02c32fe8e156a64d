"""Places suggested by members: published by a moderator, or once enough other peer experts confirm them."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core.audit import record
from ..db import insert_if_absent
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


def confirmation_counts(place_ids: list[int]) -> dict[int, int]:
    """How many peer experts vouched for each place, in one query."""
    rows = db.session.execute(sa.select(PlaceConfirmation.place_id, sa.func.count()).where(
        PlaceConfirmation.place_id.in_(place_ids)).group_by(PlaceConfirmation.place_id)) if place_ids else []
    found = {place_id: count for place_id, count in rows}
    return {pid: found.get(pid, 0) for pid in place_ids}


def confirm_place(place: Place, member) -> tuple[bool, str | None]:
    """A peer expert (not the one who suggested it) vouches for a suggested place.

    Returns (published now, error). The place is published when the configured number of
    different peer experts has confirmed it.
    """
    if place.suggested_by_id == member.id:
        return False, _l("Je kunt je eigen voorstel niet bevestigen; dat doen twee anderen.")
    confirmed_before = db.session.get(PlaceConfirmation, (place.id, member.id)) is not None
    if not confirmed_before and place.status == "suggested":
        confirmed_before = not insert_if_absent(PlaceConfirmation, {"place_id": place.id, "member_id": member.id},
                                                keys=["place_id", "member_id"])
        if not confirmed_before:
            return _count_confirmation(place, member), None
    if confirmed_before:
        # Confirmed earlier, or the same tap sent twice at once: answer as the first time did.
        db.session.refresh(place, ["status"])
        return place.status == "published", None
    return False, _l("Deze plek hoeft niet meer bevestigd te worden.")


def _count_confirmation(place: Place, member) -> bool:
    """Audit a new confirmation; publish the place when enough peer experts vouched for it."""
    record(member, "place.confirm", "place", place.id)
    if len(confirmations(place.id)) >= current_app.config["PLACE_CONFIRMATIONS_NEEDED"]:
        set_place_status(place, "published", member)
        record(member, "place.publish", "place", place.id, "bevestigd door ervaringsdeskundigen")
        log.info("place %s published after confirmations", place.id)
        return True
    return False


def decide_suggestion(place: Place, actor, publish: bool, reason: str = "") -> str | None:
    """A moderator publishes a suggested place, or archives it (with a reason)."""
    if place.status != "suggested":
        return _l("Deze plek is al beoordeeld.")
    if not publish and len(" ".join((reason or "").split())) < 3:
        return _l("Schrijf kort waarom de plek niet op de kaart komt.")
    set_place_status(place, "published" if publish else "archived", actor)
    record(actor, "place.publish" if publish else "place.reject", "place", place.id, reason)
    return None


def suggested_places() -> list[Place]:
    return list(db.session.scalars(sa.select(Place).where(Place.status == "suggested").order_by(Place.created_at)))

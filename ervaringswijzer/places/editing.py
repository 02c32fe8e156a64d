"""Correcting a place: when a save needs the geocoder, and storing the edit with its pin and history.

Add and flush only. The caller validates first, ends its read transaction, geocodes (an HTTP call,
never inside a transaction of ours) and then calls save_edit, so the write itself is short.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa

from ..extensions import db
from .geocoding import GeocodeResult, address_query, place_query
from .hours import HoursError, normalize_hours
from .models import Place
from .services import upsert_place

log = logging.getLogger(__name__)


def place_by_slug(slug: str) -> Place | None:
    """Any place, whatever its status: editors also correct suggested and archived places."""
    return db.session.scalar(sa.select(Place).where(Place.slug == slug))


def geocode_query_for(place: Place | None, clean: dict) -> str | None:
    """The address to look up before saving, or None when the pin can stay as it is.

    A new place, or a changed street, number, postcode or city, needs a new pin; a wijk or a
    name does not. A pin set by hand stays unless the address changes.
    """
    query = address_query(clean.get("street", ""), clean.get("house_number", ""),
                          clean.get("postcode", ""), clean.get("city", ""))
    if not query or "lat" in clean:
        return None
    if place is None or place_query(place) != query:
        return query
    return None


def save_edit(place: Place, data: dict, actor,
              geocoded: GeocodeResult | None = None) -> tuple[Place | None, dict[str, str]]:
    """Store an editor's version of a place (history: 'updated' by actor).

    Returns (place, {}) or (None, errors); the data is validated again here, so a change made by
    someone else meanwhile cannot slip an invalid row in.
    """
    saved, errors, _created = upsert_place({**data, "slug": place.slug}, actor=actor, action="updated",
                                           geocoded=geocoded)
    if errors:
        return None, errors
    log.info("place %s edited by %s", saved.slug, getattr(actor, "id", None))
    return saved, {}


def hours_problem(text: str | None) -> HoursError | None:
    """The opening-hours error with its position, for showing where the expression goes wrong."""
    try:
        normalize_hours(text)
    except HoursError as exc:
        return exc
    except (TypeError, AttributeError):
        return None
    return None

"""The participation ladder's "volgende stap": activities one rung up from a place, nearby first."""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .models import Place

TOP_RUNG = 6


def next_steps(place: Place, limit: int = 5) -> list[Place]:
    """Published places one rung higher: in the same city, the nearest first when both have a location."""
    if not place.participation_rung or place.participation_rung >= TOP_RUNG:
        return []
    query = sa.select(Place).where(Place.status == "published", Place.id != place.id,
                                   Place.participation_rung == place.participation_rung + 1,
                                   sa.func.lower(Place.city) == (place.city or "").lower())
    if place.has_location:
        # Squared degrees are enough to order a handful of places in one city (no trigonometry in SQLite).
        near = ((Place.lat - place.lat) * (Place.lat - place.lat)
                + (Place.lon - place.lon) * (Place.lon - place.lon))
        query = query.order_by(Place.lat.is_(None), near, Place.name)
    else:
        query = query.order_by(Place.name)
    return list(db.session.scalars(query.limit(limit)))

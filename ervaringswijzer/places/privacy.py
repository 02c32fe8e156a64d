"""What places store about a member: places they suggested, confirmed or changed (the link is cut on deletion)."""
from __future__ import annotations

import sqlalchemy as sa

from ..core.time import iso
from ..extensions import db
from .models import Place, PlaceChange, PlaceConfirmation


def on_member_export(_sender, *, member) -> dict:
    def rows(model, column):
        return list(db.session.scalars(sa.select(model).where(column == member.id)))

    return {
        "suggested_places": [{"name": p.name, "slug": p.slug, "status": p.status}
                             for p in rows(Place, Place.suggested_by_id)],
        "place_confirmations": [{"place_id": c.place_id, "created_at": iso(c.created_at)}
                                for c in rows(PlaceConfirmation, PlaceConfirmation.member_id)],
        "place_changes": [{"place_id": c.place_id, "action": c.action, "changes": c.changes,
                           "created_at": iso(c.created_at)} for c in rows(PlaceChange, PlaceChange.member_id)],
    }

"""What maps store about a member: the shared maps a social worker made (deleted with the account by the database)."""
from __future__ import annotations

from ..core.time import iso
from .shared import SharedMap, owned_maps


def _map_row(shared: SharedMap) -> dict:
    return {"title": shared.title, "note": shared.note, "link": f"/k/{shared.token}", "state": shared.state(),
            "expires_at": iso(shared.expires_at), "revoked_at": iso(shared.revoked_at),
            "created_at": iso(shared.created_at), "updated_at": iso(shared.updated_at),
            "places": [{"position": item.position, "name": item.place.name, "slug": item.place.slug}
                       for item in shared.items]}


def on_member_export(_sender, *, member) -> dict:
    return {"shared_maps": [_map_row(shared) for shared in owned_maps(member.id)]}

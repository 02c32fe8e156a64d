"""What maps store about a member: the shared maps a social worker made, with the plan per place and the
look-first requests (all deleted with the account by the database)."""
from __future__ import annotations

from ..core.time import iso
from .lookfirst import LookFirstRequest, look_firsts_for
from .shared import SharedMap, owned_maps


def _map_row(shared: SharedMap) -> dict:
    return {"title": shared.title, "note": shared.note, "link": f"/k/{shared.token}", "state": shared.state(),
            "expires_at": iso(shared.expires_at), "revoked_at": iso(shared.revoked_at),
            "created_at": iso(shared.created_at), "updated_at": iso(shared.updated_at),
            "places": [{"position": item.position, "name": item.place.name, "slug": item.place.slug,
                        "note": item.worker_note, "going_along_on": iso(item.going_along_on),
                        "expert_request_id": item.expert_request_id, "follow_up_on": iso(item.follow_up_on)}
                       for item in shared.items],
            "look_first_requests": [_look_row(look) for look in look_firsts_for(shared.id).values()]}


def _look_row(look: LookFirstRequest) -> dict:
    return {"place": look.place.name, "client_initial": look.client_initial, "moments": look.moments,
            "status": look.status, "chosen": look.chosen, "suggestion": look.suggestion,
            "created_at": iso(look.created_at), "answered_at": iso(look.answered_at)}


def on_member_export(_sender, *, member) -> dict:
    return {"shared_maps": [_map_row(shared) for shared in owned_maps(member.id)]}

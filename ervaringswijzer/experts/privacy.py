"""What the databank stores about a member: their profile, requests, answers and notes; the profile goes with the account."""
from __future__ import annotations

import sqlalchemy as sa

from ..core.time import iso
from ..extensions import db
from .models import RequestNote
from .services import profile_of, proposals_for, requests_of


def on_member_export(_sender, *, member) -> dict:
    profile = profile_of(member.id)
    notes = db.session.scalars(sa.select(RequestNote).where(RequestNote.author_id == member.id)
                               .order_by(RequestNote.id))
    return {
        "expert_profile": [] if profile is None else [{
            "display_name": profile.display_name, "region": profile.region, "themes": [t.name for t in profile.themes],
            "offers": profile.offer_list, "languages": profile.language_list, "availability": profile.availability,
            "text": profile.text, "contact": profile.contact, "visible": profile.visible, "public": profile.public,
            "held_at": iso(profile.held_at),
            "created_at": iso(profile.created_at), "updated_at": iso(profile.updated_at)}],
        "expert_requests": [{
            "id": r.id, "kind": r.kind, "topic": r.topic, "audience": r.audience, "place": r.place_text,
            "wanted_on": iso(r.wanted_on), "period": r.period, "language": r.language,
            "client_initial": r.client_initial, "details": r.details, "contact": r.contact, "status": r.status,
            "created_at": iso(r.created_at)} for r in requests_of(member.id)],
        "expert_proposals": [{"request_id": p.request_id, "status": p.status, "answered_at": iso(p.answered_at)}
                             for p in proposals_for(member.id)],
        "expert_request_notes": [{"request_id": n.request_id, "side": n.side, "text": n.text,
                                  "created_at": iso(n.created_at)} for n in notes],
    }


def on_member_deleting(_sender, *, member, keep_reviews: bool) -> dict:
    """The profile (and with it the proposals naming it) is removed; requests stay for the year's figures
    without a requester, notes stay without an author."""
    profile = profile_of(member.id)
    if profile is not None:
        for proposal in proposals_for(member.id):
            db.session.delete(proposal)
        db.session.delete(profile)
        db.session.flush()
    return {"expert_profiles": int(profile is not None)}

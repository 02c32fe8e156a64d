"""The notices of the databank: who hears what when a request moves (inbox, and mail when they gave an address).

Only plain values go into a notice; its templates (experts/templates/notices/) escape them.
"""
from __future__ import annotations

from ..notices import notify


def tell_proposed(request, proposals) -> None:
    """Each proposed expert hears of the request and can say yes or no in one tap."""
    for proposal in proposals:
        notify(proposal.profile.member, "expert_proposed", endpoint="experts.my_proposals",
               topic=request.topic, request_kind=request.kind)


def tell_answer(proposal) -> None:
    request = proposal.request
    if request.requester is not None:
        notify(request.requester, "expert_answered", endpoint="experts.request_detail",
               url_values={"request_id": request.id}, name=proposal.profile.display_name, topic=request.topic,
               accepted=proposal.status == "accepted")


def tell_agreed(request, proposal) -> None:
    notify(proposal.profile.member, "expert_agreed", endpoint="experts.request_detail",
           url_values={"request_id": request.id}, topic=request.topic)


def tell_finished(request, actor) -> None:
    """The other side hears that the request is done or cancelled."""
    people = [p.profile.member for p in request.proposals if p.status in ("agreed", "accepted", "asked")]
    if request.requester is not None:
        people.append(request.requester)
    for member in people:
        if member is not None and member.id != actor.id:
            notify(member, "expert_request_status", endpoint="experts.request_detail",
                   url_values={"request_id": request.id}, topic=request.topic, status=request.status)

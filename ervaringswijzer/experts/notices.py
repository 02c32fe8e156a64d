"""The notices of the databank: who hears what when a request moves. Names in them are the display names."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from .models import KINDS, STATUSES
from .notify import notify


def _link(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


def tell_proposed(request, proposals) -> None:
    """Each proposed expert hears of the request and can say yes or no in one tap."""
    for proposal in proposals:
        notify(proposal.profile.member, subject=_("Een verzoek voor jou: %(kind)s", kind=KINDS[request.kind]),
               body=_("De coördinator vraagt of je dit wilt doen: %(topic)s. Zeg ja of nee op je pagina met "
                      "voorstellen.", topic=request.topic),
               link=_link("experts.my_proposals"))


def tell_answer(proposal) -> None:
    request = proposal.request
    if request.requester is None:
        return
    if proposal.status == "accepted":
        subject = _("%(name)s wil het doen", name=proposal.profile.display_name)
        body = _("%(name)s zegt ja op je verzoek ‘%(topic)s’. Spreek het af op de pagina van het verzoek.",
                 name=proposal.profile.display_name, topic=request.topic)
    else:
        subject = _("%(name)s kan niet", name=proposal.profile.display_name)
        body = _("%(name)s zegt nee op je verzoek ‘%(topic)s’. De coördinator zoekt verder.",
                 name=proposal.profile.display_name, topic=request.topic)
    notify(request.requester, subject=subject, body=body,
           link=_link("experts.request_detail", request_id=request.id))


def tell_agreed(request, proposal) -> None:
    notify(proposal.profile.member, subject=_("Afgesproken: %(topic)s", topic=request.topic),
           body=_("Het is afgesproken. Op de pagina van het verzoek staat hoe je de aanvrager bereikt."),
           link=_link("experts.request_detail", request_id=request.id))


def tell_finished(request, actor) -> None:
    """The other side hears that the request is done or cancelled."""
    people = [p.profile.member for p in request.proposals if p.status in ("agreed", "accepted", "asked")]
    if request.requester is not None:
        people.append(request.requester)
    for member in people:
        if member is not None and member.id != actor.id:
            notify(member, subject=_("Verzoek ‘%(topic)s’: %(status)s", topic=request.topic,
                                     status=STATUSES[request.status]),
                   body=_("Het verzoek staat nu op: %(status)s.", status=STATUSES[request.status]),
                   link=_link("experts.request_detail", request_id=request.id))

"""Databank rules: profiles, the theme list, requests, proposals, status changes and notes. Flush, never commit."""
from __future__ import annotations

import logging
import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record
from ..core.time import today, utcnow
from ..extensions import db
from ..reviews.care import crisis_check
from ..reviews.sanitize import clean_html, plain_text
from ..text import fold
from .guard import identity_problem
from .models import (CLIENT_INITIAL_MAX, CONTACT_MAX, DEFAULT_THEMES, KINDS, NAME_MAX, OFFERS, OPEN_STATUSES,
                     REGION_MAX, SHORT_MAX, TEXT_MAX, ExpertProfile, ExpertRequest, Proposal, RequestNote, Theme)

log = logging.getLogger(__name__)

IDENTITY_MESSAGES = {
    "bsn": _l("Hier lijkt een burgerservicenummer (BSN) in te staan. Haal het weg: een verzoek heeft dat "
              "niet nodig. De rest van je tekst staat er nog."),
    "birth_date": _l("Hier lijkt een geboortedatum in te staan. Haal die weg: een verzoek heeft dat niet "
                     "nodig. De rest van je tekst staat er nog."),
}
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def _too_long(value: str, limit: int, key: str, errors: dict) -> None:
    if len(value) > limit:
        errors[key] = _l("Dit is te lang (hoogstens %(limit)d tekens).", limit=limit)


def _languages(raw: str, errors: dict) -> str:
    codes = [c for c in re.split(r"[\s,;]+", (raw or "").lower()) if c]
    if not all(_LANGUAGE.fullmatch(c) for c in codes):
        errors["languages"] = _l("Schrijf taalcodes met komma's ertussen, zoals: nl, en, ar")
    return ",".join(dict.fromkeys(codes)) or "nl"


# --- themes ---------------------------------------------------------------------------------------

def themes() -> list[Theme]:
    return list(db.session.scalars(sa.select(Theme).order_by(Theme.name)))


def ensure_default_themes() -> int:
    """The starting list, added once; a coordinator changes it afterwards."""
    if db.session.scalar(sa.select(sa.func.count(Theme.id))):
        return 0
    for name in DEFAULT_THEMES:
        db.session.add(Theme(name=name))
    db.session.flush()
    return len(DEFAULT_THEMES)


def add_theme(actor, name: str) -> dict:
    name = " ".join((name or "").split())
    if not name:
        return {"name": _l("Schrijf een thema.")}
    if len(name) > 60:
        return {"name": _l("Dit is te lang (hoogstens %(limit)d tekens).", limit=60)}
    if any(fold(t.name) == fold(name) for t in themes()):
        return {"name": _l("Dit thema staat al in de lijst.")}
    theme = Theme(name=name)
    db.session.add(theme)
    db.session.flush()
    record(actor, "theme.add", "expert_theme", theme.id, note=name)
    return {}


def remove_theme(actor, theme_id: int) -> bool:
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        return False
    record(actor, "theme.remove", "expert_theme", theme.id, note=theme.name)
    db.session.delete(theme)
    db.session.flush()
    return True


# --- profiles -------------------------------------------------------------------------------------

def profile_of(member_id: int) -> ExpertProfile | None:
    return db.session.scalar(sa.select(ExpertProfile).where(ExpertProfile.member_id == member_id))


def save_profile(member, values: dict) -> tuple[ExpertProfile | None, dict]:
    """Create or update the member's profile from plain values; errors keep nothing half-saved."""
    errors: dict = {}
    name = " ".join((values.get("display_name") or "").split())
    if not name:
        errors["display_name"] = _l("Schrijf de naam die je wilt laten zien.")
    _too_long(name, NAME_MAX, "display_name", errors)
    region = (values.get("region") or "").strip()
    _too_long(region, REGION_MAX, "region", errors)
    availability = (values.get("availability") or "").strip()
    _too_long(availability, SHORT_MAX, "availability", errors)
    contact = (values.get("contact") or "").strip()
    _too_long(contact, CONTACT_MAX, "contact", errors)
    text = clean_html(values.get("text") or "")
    if len(plain_text(text)) > TEXT_MAX:
        errors["text"] = _l("Dit is te lang (hoogstens %(limit)d tekens).", limit=TEXT_MAX)
    offers = [key for key in values.get("offers") or [] if key in OFFERS]
    languages = _languages(values.get("languages") or "", errors)
    wanted = {int(t) for t in values.get("themes") or [] if str(t).isdigit()}
    chosen = [t for t in themes() if t.id in wanted]
    if errors:
        return None, errors
    profile = profile_of(member.id)
    if profile is None:
        profile = ExpertProfile(member_id=member.id)
        db.session.add(profile)
    profile.display_name, profile.region, profile.availability = name, region, availability
    profile.contact, profile.text, profile.offers, profile.languages = contact, text, ",".join(offers), languages
    profile.themes = chosen
    # A profile whose words suggest its writer may be in crisis is held for a moderator; the writer is
    # shown where to get help now. The expert's own on/off choice is kept for when a moderator releases it.
    concern = bool(crisis_check(" ".join((name, region, availability, text))))
    profile.visible = bool(values.get("visible"))
    profile.public = bool(values.get("public"))
    if concern:
        profile.held_at = utcnow()
    profile.just_held = concern
    db.session.flush()
    if concern:
        record(member, "expert_profile.held", "expert_profile", profile.id, "crisis phrase")
    return profile, {}


def held_profiles() -> list[ExpertProfile]:
    return list(db.session.scalars(sa.select(ExpertProfile).where(ExpertProfile.held_at.is_not(None))
                                   .order_by(ExpertProfile.held_at)))


def release_profile(profile: ExpertProfile, moderator) -> None:
    """A moderator looked: the profile shows again as the expert chose (on or off)."""
    profile.held_at = None
    db.session.flush()
    record(moderator, "expert_profile.release", "expert_profile", profile.id)


def pause_profile(profile: ExpertProfile) -> None:
    profile.visible = False
    db.session.flush()


def delete_profile(profile: ExpertProfile) -> None:
    db.session.delete(profile)
    db.session.flush()


def find_profiles(*, theme_id: int | None = None, region: str = "", offer: str = "", language: str = "",
                  public_only: bool = False) -> list[ExpertProfile]:
    """Visible profiles matching every filter given; the region matches a city or wijk typed in the profile."""
    query = sa.select(ExpertProfile).where(ExpertProfile.visible.is_(True), ExpertProfile.held_at.is_(None))
    if public_only:
        query = query.where(ExpertProfile.public.is_(True))
    if theme_id:
        query = query.where(ExpertProfile.themes.any(Theme.id == theme_id))
    if offer in OFFERS:
        query = query.where(sa.func.lower(ExpertProfile.offers).contains(offer, autoescape=True))
    profiles = list(db.session.scalars(query.order_by(ExpertProfile.display_name, ExpertProfile.id)))
    if region.strip():
        wanted = fold(region.strip())
        profiles = [p for p in profiles if wanted in fold(p.region)]
    if language.strip():
        profiles = [p for p in profiles if language.strip().lower() in p.language_list]
    return profiles


def visible_profile(profile_id: int, viewer_may_see_all: bool) -> ExpertProfile | None:
    profile = db.session.get(ExpertProfile, profile_id)
    if profile is None or not profile.shown or not (profile.public or viewer_may_see_all):
        return None
    return profile


# --- requests -------------------------------------------------------------------------------------

def validate_request(values: dict) -> tuple[dict, dict]:
    """Clean values and errors (keyed by field). A BSN or birth date anywhere is refused kindly."""
    errors: dict = {}
    clean: dict = {}
    kind = values.get("kind") or ""
    if kind not in KINDS:
        errors["kind"] = _l("Kies wat voor verzoek het is.")
    clean["kind"] = kind
    for key in ("topic", "audience", "place_text", "period", "contact"):
        clean[key] = " ".join((values.get(key) or "").split())
        _too_long(clean[key], CONTACT_MAX if key == "contact" else SHORT_MAX, key, errors)
    if not clean["topic"]:
        errors["topic"] = _l("Schrijf kort waar het over gaat.")
    clean["details"] = clean_html(values.get("details") or "")
    if len(plain_text(clean["details"])) > TEXT_MAX:
        errors["details"] = _l("Dit is te lang (hoogstens %(limit)d tekens).", limit=TEXT_MAX)
    language = (values.get("language") or "nl").strip().lower()
    if not _LANGUAGE.fullmatch(language):
        errors["language"] = _l("Schrijf een taalcode, zoals nl of en.")
    clean["language"] = language
    initial = (values.get("client_initial") or "").strip()
    if kind == "meegaan" and (len(initial.split()) > 1 or len(initial) > CLIENT_INITIAL_MAX):
        errors["client_initial"] = _l("Alleen een voornaam of een voorletter, geen achternaam.")
    clean["client_initial"] = initial if kind == "meegaan" else ""
    clean["wanted_on"] = values.get("wanted_on")
    if clean["wanted_on"] is not None and clean["wanted_on"] < today():
        errors["wanted_on"] = _l("Kies een datum vanaf vandaag, of laat het leeg.")
    if kind == "meegaan" and not (clean["place_text"] or values.get("place_id")):
        errors["place_text"] = _l("Schrijf naar welke plek je cliënt gaat.")
    for key in ("topic", "audience", "place_text", "period", "details", "client_initial"):
        problem = identity_problem(plain_text(clean[key]) if key == "details" else clean[key])
        if problem and key not in errors:
            errors[key] = IDENTITY_MESSAGES[problem]
    return clean, errors


def file_request(requester, values: dict, place_id: int | None = None) -> tuple[ExpertRequest | None, dict]:
    clean, errors = validate_request({**values, "place_id": place_id})
    if errors:
        return None, errors
    request = ExpertRequest(requester_id=requester.id, place_id=place_id, status="nieuw", **clean)
    db.session.add(request)
    db.session.flush()
    # A request is about someone else, so it is not held; the coordinator sees in the audit log that
    # its words need care, and the writer is shown where to get help now.
    request.needs_care = bool(crisis_check(" ".join(
        [clean["topic"], clean["audience"], clean["period"], clean["details"]])))
    record(requester, "expert_request.file", "expert_request", request.id, kind=request.kind,
           crisis=request.needs_care)
    return request, {}


def open_requests() -> list[ExpertRequest]:
    return list(db.session.scalars(sa.select(ExpertRequest).where(ExpertRequest.status.in_(OPEN_STATUSES))
                                   .order_by(ExpertRequest.created_at, ExpertRequest.id)))


def requests_of(member_id: int) -> list[ExpertRequest]:
    return list(db.session.scalars(sa.select(ExpertRequest).where(ExpertRequest.requester_id == member_id)
                                   .order_by(ExpertRequest.created_at.desc(), ExpertRequest.id.desc())))


def proposals_for(member_id: int) -> list[Proposal]:
    return list(db.session.scalars(
        sa.select(Proposal).join(ExpertProfile).where(ExpertProfile.member_id == member_id)
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())))


def _set_status(request: ExpertRequest, actor, status: str, reason: str = "") -> None:
    old = request.status
    request.status = status
    db.session.flush()
    record(actor, "expert_request.status", "expert_request", request.id, reason, old=old, new=status)


def propose(request: ExpertRequest, actor, profile_ids: list[int]) -> list[Proposal]:
    """The coordinator asks one or more visible experts; the request becomes 'voorgesteld'."""
    if request.status not in OPEN_STATUSES:
        return []
    have = {p.profile_id for p in request.proposals}
    added = []
    for profile_id in profile_ids:
        profile = db.session.get(ExpertProfile, profile_id)
        if profile is None or not profile.shown or profile_id in have:
            continue
        proposal = Proposal(profile=profile, status="asked")
        request.proposals.append(proposal)
        added.append(proposal)
        have.add(profile_id)
    if added:
        db.session.flush()
        record(actor, "expert_request.propose", "expert_request", request.id,
               profiles=[p.profile_id for p in added])
        if request.status == "nieuw":
            _set_status(request, actor, "voorgesteld")
    return added


def answer_proposal(proposal: Proposal, actor, accept: bool) -> bool:
    """The expert says yes or no; False when the request is no longer open or the answer was given."""
    if proposal.status not in ("asked", "accepted", "declined") or proposal.request.status not in OPEN_STATUSES:
        return False
    proposal.status = "accepted" if accept else "declined"
    proposal.answered_at = utcnow()
    db.session.flush()
    record(actor, "expert_proposal." + ("accept" if accept else "decline"), "expert_request",
           proposal.request_id, proposal=proposal.id)
    return True


def agree(request: ExpertRequest, actor, proposal: Proposal) -> bool:
    """The requester agrees with an expert who said yes: 'afgesproken', and both see each other's contact."""
    if proposal.request_id != request.id or proposal.status != "accepted" or request.status not in OPEN_STATUSES:
        return False
    proposal.status = "agreed"
    _set_status(request, actor, "afgesproken")
    return True


def finish(request: ExpertRequest, actor, status: str, reason: str = "") -> bool:
    """'gedaan' after an agreement, 'geannuleerd' from any state that is not finished."""
    if status == "gedaan" and request.status == "afgesproken":
        _set_status(request, actor, "gedaan", reason)
        return True
    if status == "geannuleerd" and request.status not in ("gedaan", "geannuleerd"):
        _set_status(request, actor, "geannuleerd", reason)
        return True
    return False


def side_of(request: ExpertRequest, member) -> str | None:
    """'requester', 'expert' (the agreed or a proposed expert) or None."""
    if request.requester_id == member.id:
        return "requester"
    if any(p.profile.member_id == member.id for p in request.proposals):
        return "expert"
    return None


def add_note(request: ExpertRequest, member, text: str) -> dict:
    """One private note per side after 'gedaan', for the coordinator; a BSN or birth date is refused."""
    side = side_of(request, member)
    if request.status != "gedaan" or side is None or (
            side == "expert" and (request.agreed is None or request.agreed.profile.member_id != member.id)):
        return {"text": _l("Een notitie kan pas als het verzoek gedaan is.")}
    if any(note.side == side for note in request.notes):
        return {"text": _l("Je hebt al een notitie geschreven.")}
    cleaned = clean_html(text)
    if not plain_text(cleaned):
        return {"text": _l("Schrijf een korte notitie.")}
    if len(plain_text(cleaned)) > SHORT_MAX * 5:
        return {"text": _l("Dit is te lang (hoogstens %(limit)d tekens).", limit=SHORT_MAX * 5)}
    problem = identity_problem(plain_text(cleaned))
    if problem:
        return {"text": IDENTITY_MESSAGES[problem]}
    request.notes.append(RequestNote(author_id=member.id, side=side, text=cleaned))
    db.session.flush()
    record(member, "expert_request.note", "expert_request", request.id, side=side,
           crisis=bool(crisis_check(cleaned)))
    return {}

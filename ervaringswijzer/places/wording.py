"""Plain words for stored keys: a place's change history, the audit log and language codes as people read them."""
from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .categories import CATEGORIES, FLAGS, PARTICIPATION_RUNGS

EMPTY = "—"

ROLE_LABELS = {"member": _l("lid"), "peer_expert": _l("ervaringsdeskundige"),
               "social_worker": _l("hulpverlener"), "coordinator": _l("coördinator"),
               "moderator": _l("moderator"), "admin": _l("beheerder")}

FIELD_LABELS = {
    "name": _l("Naam"), "description": _l("Beschrijving"), "status": _l("Status"),
    "street": _l("Straat"), "house_number": _l("Huisnummer"), "postcode": _l("Postcode"),
    "city": _l("Plaats"), "wijk": _l("Wijk"), "lat": _l("Breedtegraad"), "lon": _l("Lengtegraad"),
    "location_status": _l("Plek op de kaart"), "phone": _l("Telefoon"), "email": _l("E-mail"),
    "website": _l("Website"), "contact_name": _l("Contactpersoon"), "contact_role": _l("Rol van de contactpersoon"),
    "languages": _l("Talen"), "participation_rung": _l("Trede van de participatieladder"),
    "first_arrival": _l("Als je binnenkomt"), "first_greeter": _l("Wie je ontvangt"),
    "first_coffee_free": _l("Eerste kop koffie gratis"), "first_signup_required": _l("Aanmelden nodig"),
    "first_quiet_times": _l("Rustige momenten"), "first_busy_times": _l("Drukke momenten"),
    "opening_hours": _l("Openingstijden"), "last_checked": _l("Laatst gecontroleerd"),
    "categories": _l("Soort plek"),
    "check_interval_months": _l("Controle na (maanden)"),
}

# Status keys of places, reviews, pins and reports.
STATUS_LABELS = {
    "published": _l("gepubliceerd"), "pending": _l("wacht op controle"), "hidden": _l("verborgen"),
    "archived": _l("gearchiveerd"), "suggested": _l("voorgesteld"), "rejected": _l("afgewezen"),
    "ok": _l("gevonden via het adres"), "manual": _l("zelf op de kaart gezet"),
    "not_found": _l("adres niet gevonden"), "open": _l("open"), "fixed": _l("opgelost"),
    "dismissed": _l("afgewezen"),
}
LOCATION_STATUS_LABELS = {**STATUS_LABELS, "pending": _l("nog niet opgezocht")}

INFO_KIND_LABELS = {"address": _l("adres klopt niet"), "phone": _l("telefoonnummer klopt niet"),
                    "hours": _l("openingstijden kloppen niet"), "closed": _l("plek is gesloten"),
                    "change": _l("voorstel van de wegwijzer")}

AUDIT_ACTIONS = {
    "review.report": _l("Ervaring %(id)s gemeld"),
    "review.hide": _l("Ervaring %(id)s verborgen"),
    "review.restore": _l("Ervaring %(id)s teruggezet"),
    "review.approve": _l("Ervaring %(id)s goedgekeurd"),
    "review.status": _l("Status van ervaring %(id)s gewijzigd"),
    "review.redact": _l("Ervaring %(id)s ingekort"),
    "review.reports_dismissed": _l("Meldingen over ervaring %(id)s afgewezen"),
    "review.respond": _l("Reactie bij ervaring %(id)s geplaatst"),
    "place.report": _l("Fout gemeld bij plek %(id)s"),
    "place.report_fixed": _l("Melding over plek %(id)s opgelost"),
    "place.report_dismissed": _l("Melding over plek %(id)s afgewezen"),
    "place.confirm": _l("Plek %(id)s bevestigd"),
    "place.publish": _l("Plek %(id)s gepubliceerd"),
    "place.reject": _l("Plek %(id)s afgewezen"),
    "member.role": _l("Rol van lid %(id)s: %(before)s → %(after)s"),
    "member.contact_place": _l("Contactplek van lid %(id)s: %(before)s → %(after)s"),
}
_STATUS_CHANGES = {"review.hide", "review.restore", "review.approve", "review.status"}


def field_label(key: str) -> str:
    """The Dutch (or page-language) name of a stored field; an unknown key is shown as it is."""


    return str(FIELD_LABELS.get(key) or FLAGS.get(key, key))


def language_names(codes, locale="nl") -> list[str]:
    """ISO codes as language names in the page's language: ['nl', 'en'] -> ['Nederlands', 'Engels']."""
    try:
        names = Locale.parse(str(locale)).languages
    except (UnknownLocaleError, ValueError):
        names = Locale("nl").languages
    shown = [(names.get(code.strip().lower()), code.strip()) for code in codes if code.strip()]
    return [name[:1].upper() + name[1:] if name else code for name, code in shown]


def value_text(key: str, value, locale="nl") -> str:
    """One stored value as words: ja/nee for yes-no fields, labels for keys, names for language codes."""


    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if key == "location_status":
        return str(LOCATION_STATUS_LABELS.get(value, value))
    if key == "status":
        return str(STATUS_LABELS.get(value, value))
    if key == "categories":
        return ", ".join(str(CATEGORIES.get(c, c)) for c in value)
    if key == "languages":
        return ", ".join(language_names(str(value).split(","), locale))
    if key == "participation_rung":
        return f"{value} ({PARTICIPATION_RUNGS[value]})" if value in PARTICIPATION_RUNGS else str(value)
    return str(value)


def change_lines(changes: dict, locale="nl") -> list[str]:
    """A history row's {field: [before, after]} as lines like 'Straat: Markt → Breestraat'."""
    return [_("%(field)s: %(before)s → %(after)s", field=field_label(key),
              before=value_text(key, values[0], locale), after=value_text(key, values[1], locale))
            for key, values in changes.items()]


def audit_text(action: str, target_id, detail: dict | None) -> str:
    """One audit row as a sentence: 'Rol van lid 7: lid → ervaringsdeskundige'."""
    detail = detail or {}
    before, after = detail.get("before"), detail.get("after")
    if action == "member.role":
        before, after = ROLE_LABELS.get(before, before), ROLE_LABELS.get(after, after)
    elif action in _STATUS_CHANGES:
        before, after = STATUS_LABELS.get(before, before), STATUS_LABELS.get(after, after)
    template = AUDIT_ACTIONS.get(action)
    if template is None:
        return f"{action} {target_id or ''}".strip()
    text = str(template) % {"id": target_id if target_id is not None else EMPTY,
                            "before": before if before not in (None, "") else EMPTY,
                            "after": after if after not in (None, "") else EMPTY}
    if action in _STATUS_CHANGES and before is not None and after is not None:
        text += f": {before} → {after}"
    if detail.get("kind"):
        text += f" ({INFO_KIND_LABELS.get(detail['kind'], detail['kind'])})"
    return text

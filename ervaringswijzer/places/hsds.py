"""Places as Open Referral HSDS 3.0 services, and HSDS services read back as places.

One place is one organization with one service at one location. What HSDS has no field for
(our categories, flags, participation rung, first-visit card, slug, status) travels as attributes
linked to terms of our own taxonomy, so an export read back gives the same place. Identifiers are
UUIDs derived from the slug (or the source's own id), so exporting twice gives the same file.
"""
from __future__ import annotations

import re
import uuid
from datetime import date

from .categories import CATEGORY_KEYS, FLAG_KEYS
from .dutch_hours import osm_to_dutch
from .schedules import OSM_NOTE, osm_to_rules, schedules_to_osm

NAMESPACE = uuid.UUID("5f0c6b2e-8f7e-4a53-9d43-2f4d8e1f6a10")
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy:ervaringswijzer"))
TAXONOMY = {"id": TAXONOMY_ID, "name": "Ervaringswijzer",
            "description": "Categories, client-perspective flags, participation ladder and first-visit card "
                           "of Ervaringswijzer places.",
            "uri": "https://ervaringswijzer.nl/hsds/taxonomy", "version": "1"}
FIRST_VISIT = ("arrival", "greeter", "coffee_free", "signup_required", "quiet_times", "busy_times")
DEFAULT_CATEGORY = "help_advice"

# code -> description of every term of our taxonomy; attributes name them by code.
TERMS: dict[str, str] = {
    **{f"category:{key}": f"Category {key}" for key in CATEGORY_KEYS},
    **{f"flag:{key}": f"Flag {key} (true or false)" for key in FLAG_KEYS},
    "participation_rung": "Rung 1-6 of the Dutch participation ladder (participatieladder)",
    **{f"first_visit:{key}": f"First-visit card: {key}" for key in FIRST_VISIT},
    "slug": "The place's name in Ervaringswijzer addresses",
    "status": "suggested, published or archived",
}


def uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def term_id(code: str) -> str:
    return uid("term", code)


def taxonomy_terms() -> list[dict]:
    return [{"id": term_id(code), "code": code, "name": code, "description": text,
             "taxonomy": "Ervaringswijzer", "taxonomy_id": TAXONOMY_ID} for code, text in TERMS.items()]


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


def service_id(data: dict) -> str:
    """The source's own id when it is a UUID (so a round trip keeps it), else one derived from the slug."""
    if data.get("source_id") and _is_uuid(data["source_id"]):
        return str(uuid.UUID(data["source_id"]))
    return uid("place", data["slug"])


def _drop_empty(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, "", [])}


def _attributes(sid: str, data: dict) -> list[dict]:
    values: list[tuple[str, str]] = [("slug", data["slug"]), ("status", data.get("status") or "published")]
    values += [(f"category:{key}", "true") for key in data["categories"]]
    values += [(f"flag:{key}", "true" if data["flags"][key] else "false") for key in FLAG_KEYS]
    if data.get("participation_rung") is not None:
        values.append(("participation_rung", str(data["participation_rung"])))
    for key in FIRST_VISIT:
        value = (data.get("first_visit") or {}).get(key)
        if value not in (None, ""):
            values.append((f"first_visit:{key}", ("true" if value else "false") if isinstance(value, bool) else value))
    return [{"id": uid(sid, "attribute", code), "link_id": sid, "link_type": "service", "link_entity": "service",
             "taxonomy_term_id": term_id(code), "value": value,
             "taxonomy_term": {"id": term_id(code), "code": code, "name": code, "description": TERMS[code],
                               "taxonomy": "Ervaringswijzer", "taxonomy_id": TAXONOMY_ID}}
            for code, value in values]


def _schedules(sid: str, data: dict) -> list[dict]:
    expr = data.get("opening_hours")
    note = data.get("opening_hours_note") or ""
    if not expr:
        return [{"id": uid(sid, "schedule", "note"), "service_id": sid, "description": note}] if note else []
    base = {"service_id": sid, "description": osm_to_dutch(expr), "notes": OSM_NOTE + expr}
    rules = osm_to_rules(expr) or []
    if not rules:
        return [{"id": uid(sid, "schedule", "0"), **base}]
    return [{"id": uid(sid, "schedule", str(i)), **base, "freq": r.freq, "byday": r.byday, "interval": 1,
             "opens_at": r.opens_at, "closes_at": r.closes_at, "wkst": "MO"} for i, r in enumerate(rules)]


def place_to_service(data: dict) -> dict:
    """One full HSDS service (compiled/service_with_definitions.json) from a place's export dict."""
    sid = service_id(data)
    org_id, loc_id, sal_id = uid(sid, "organization"), uid(sid, "location"), uid(sid, "service_at_location")
    address, contact = data["address"], data["contact"]
    person = data.get("contact_person") or {}
    location = data.get("location") or {}
    org = _drop_empty({"id": org_id, "name": data["name"], "description": data["description"] or data["name"],
                       "email": contact["email"], "website": contact["website"]})
    loc = _drop_empty({
        "id": loc_id, "location_type": "physical", "name": data["name"],
        "latitude": location.get("lat"), "longitude": location.get("lon"),
        "addresses": [{"id": uid(sid, "address"), "location_id": loc_id,
                       "address_1": address["street"], "city": address["city"],
                       **({"region": address["wijk"]} if address["wijk"] else {}), "state_province": "",
                       "postal_code": address["postcode"], "country": "NL", "address_type": "physical"}]
        if address["street"] or address["city"] else [],
        "accessibility": [{"id": uid(sid, "accessibility"), "location_id": loc_id,
                           "description": "Toegankelijk met rolstoel"}] if data["flags"]["wheelchair"] else [],
    })
    return _drop_empty({
        "id": sid, "organization_id": org_id, "name": data["name"], "description": data["description"],
        "url": contact["website"], "email": contact["email"],
        "status": "active" if (data.get("status") or "published") == "published" else "inactive",
        "assured_date": data.get("last_checked"),
        "phones": [{"id": uid(sid, "phone"), "service_id": sid, "number": contact["phone"], "type": "voice"}]
        if contact["phone"] else [],
        "schedules": _schedules(sid, data),
        "languages": [{"id": uid(sid, "language", code), "service_id": sid, "code": code}
                      for code in data.get("languages") or []],
        "contacts": [_drop_empty({"id": uid(sid, "contact"), "service_id": sid, "name": person.get("name"),
                                  "title": person.get("role")})] if person.get("name") or person.get("role") else [],
        "attributes": _attributes(sid, data),
        "organization": org,
        "service_at_locations": [{"id": sal_id, "service_id": sid, "location_id": loc_id, "location": loc}],
    })


# ---------------------------------------------------------------------------------------------------------
# Reading HSDS back
# ---------------------------------------------------------------------------------------------------------

_POSTCODE = re.compile(r"^\d{4}\s?[A-Za-z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _term_code(attribute: dict, terms: dict[str, str]) -> str | None:
    term = attribute.get("taxonomy_term") or {}
    return term.get("code") or terms.get(attribute.get("taxonomy_term_id") or "")


def _attribute_values(service: dict, terms: dict[str, str]) -> dict[str, str]:
    found = {}
    for attribute in service.get("attributes") or []:
        code = _term_code(attribute, terms)
        if code in TERMS:
            found[code] = _text(attribute.get("value"))
    return found


def _bool_attr(values: dict, code: str):
    value = values.get(code)
    return None if value in (None, "") else value.lower() == "true"


def _number(value, warnings: list, field: str, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        warnings.append((field, f"{value!r} is geen getal; niet overgenomen"))
        return None
    if not low <= number <= high:
        warnings.append((field, f"{number:g} ligt buiten {low:g} tot {high:g}; de plek komt zonder kaartpunt binnen"))
        return None
    return number


def service_to_place(service: dict, terms: dict[str, str] | None = None) -> tuple[dict, list[tuple[str, str]]]:
    """(PLACE dict, warnings as (field, message)) for one HSDS service with its related objects inlined.

    Foreign data is taken as far as it fits: what does not fit (a foreign postcode, coordinates
    out of range, schedules that are no opening hours) is left out or kept as text, and said so.
    """
    terms = terms or {}
    warnings: list[tuple[str, str]] = []
    values = _attribute_values(service, terms)
    sals = service.get("service_at_locations") or []
    location = next((s.get("location") for s in sals if isinstance(s, dict) and s.get("location")), None) or {}
    address = next(iter(location.get("addresses") or []), None) or {}

    categories = [code.split(":", 1)[1] for code, v in values.items() if code.startswith("category:") and v == "true"]
    if not categories:
        categories = [DEFAULT_CATEGORY]
        warnings.append(("categories", f"geen categorie van ons gevonden; ingedeeld bij {DEFAULT_CATEGORY}"))

    postcode = _text(address.get("postal_code"))
    if postcode and not _POSTCODE.match(postcode):
        warnings.append(("address.postcode", f"{postcode!r} is geen Nederlandse postcode; niet overgenomen"))
        postcode = ""
    lat = _number(location.get("latitude"), warnings, "location.latitude", -90, 90)
    lon = _number(location.get("longitude"), warnings, "location.longitude", -180, 180)

    phones = list(service.get("phones") or []) + list(location.get("phones") or [])
    person = next(iter(service.get("contacts") or []), None) or {}
    schedules = list(service.get("schedules") or [])
    for sal in sals:
        schedules += list((sal or {}).get("schedules") or [])
    schedules += list(location.get("schedules") or [])
    hours, note = schedules_to_osm(schedules)
    if note:
        warnings.append(("schedules", "de openingstijden zijn niet om te zetten naar vaste tijden; "
                                      "de tekst is bewaard en de tijden staan op 'onbekend'"))
    languages = []
    for language in service.get("languages") or []:
        code = _text(language.get("code")).lower()
        if _LANGUAGE.match(code):
            languages.append(code)
        elif code:
            warnings.append(("languages", f"taalcode {code!r} is onbekend; niet overgenomen"))

    flags = {key: values.get(f"flag:{key}") == "true" for key in FLAG_KEYS}
    if "flag:wheelchair" not in values and location.get("accessibility"):
        flags["wheelchair"] = False  # accessibility text is no promise of wheelchair access
    rung = values.get("participation_rung")
    status = values.get("status") or ("published" if _text(service.get("status")) in ("", "active") else "archived")
    data = {
        "name": _text(service.get("name")),
        "description": _text(service.get("description")),
        "categories": categories,
        "address": {"street": _text(address.get("address_1")), "postcode": postcode,
                    "city": _text(address.get("city")), "wijk": _text(address.get("region"))},
        "location": {"lat": lat, "lon": lon} if lat is not None and lon is not None else None,
        "contact": {"phone": _text(phones[0].get("number")) if phones else "",
                    "email": _text(service.get("email")), "website": _text(service.get("url"))},
        "contact_person": {"name": _text(person.get("name")), "role": _text(person.get("title"))},
        "flags": flags,
        "opening_hours": hours,
        "opening_hours_note": note,
        "first_visit": {key: (_bool_attr(values, f"first_visit:{key}") if key in ("coffee_free", "signup_required")
                              else values.get(f"first_visit:{key}", "")) for key in FIRST_VISIT},
        "languages": languages or None,
        "participation_rung": int(rung) if rung and rung.isdigit() else None,
        "last_checked": _assured(service.get("assured_date"), warnings),
        "status": status,
        "source_id": _text(service.get("id")),
    }
    if values.get("slug"):
        data["slug"] = values["slug"]
    return data, warnings


def _assured(value, warnings) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        warnings.append(("assured_date", f"{value!r} is geen datum; niet overgenomen"))
        return None

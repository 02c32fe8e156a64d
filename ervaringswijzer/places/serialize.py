"""The PLACE JSON shape (a contract: README, "API") and the export shape, which adds what an import needs."""
from __future__ import annotations

from datetime import datetime

from ..core import signals
from .hours import minute_status, open_periods
from .models import Place

ASPECTS = ("welcome", "respect", "calm", "access")


def _asked(signal, place_ids: list[int]) -> dict:
    """What the packages that rate places (reviews) answer, through core.signals."""
    found: dict = {}
    if place_ids:
        for answer in signals.ask(signal, place_ids=place_ids):
            found.update(answer)
    return found


def ranking_for(place_ids: list[int]) -> dict[int, float]:
    """Ranking scores of the rated places among place_ids; unrated places are absent."""
    return _asked(signals.place_ranking, place_ids)


def ranking_query():
    """The same ranking as an SQL subquery (place_id, score) of the rated places, so "best rated first"
    sorts and pages in SQL; None when no package rates places."""
    answers = signals.ask(signals.place_ranking_query)
    return answers[0] if answers else None


def empty_rating() -> dict:
    return {"count": 0, "recommend_pct": None, "aspects": {a: None for a in ASPECTS}}


def ratings_for(place_ids: list[int]) -> dict[int, dict]:
    found = _asked(signals.place_ratings, place_ids)
    return {pid: found.get(pid) or empty_rating() for pid in place_ids}


def _place_fields(place: Place) -> dict:
    """The fields the API and the export share, in the contract's shape (public data only)."""
    return {
        "slug": place.slug,
        "name": place.name,
        "description": place.description,
        "categories": place.categories,
        "address": {"street": place.street_line, "postcode": place.postcode,
                    "city": place.city, "wijk": place.wijk},
        "location": {"lat": place.lat, "lon": place.lon} if place.has_location else None,
        "contact": {"phone": place.phone or None, "email": place.email or None,
                    "website": place.website or None},
        "flags": place.flags,
        "opening_hours": place.opening_hours,
        "first_visit": {"arrival": place.first_arrival, "greeter": place.first_greeter,
                        "coffee_free": place.first_coffee_free,
                        "signup_required": place.first_signup_required,
                        "quiet_times": place.first_quiet_times, "busy_times": place.first_busy_times},
        # The public part only: contact_phone and contact_email are for logged-in workers.
        "contact_person": ({"name": place.contact_name, "role": place.contact_role}
                           if place.contact_name or place.contact_role else None),
        "languages": place.language_list,
        "participation_rung": place.participation_rung,
        "last_checked": place.last_checked.isoformat() if place.last_checked else None,
    }


def place_to_api(place: Place, at: datetime, url: str, rating: dict | None = None) -> dict:
    """One PLACE object exactly as the API contract describes it."""
    status = minute_status(place.opening_hours, at)
    return {
        "id": place.id,
        **_place_fields(place),
        "open_now": status.open_now,
        "next_change": status.next_change.isoformat() if status.next_change else None,
        "rating": rating or empty_rating(),
        "url": url,
    }


def place_to_export(place: Place) -> dict:
    """PLACE without computed fields, plus the fields an import needs to restore the place whole."""
    return {
        **_place_fields(place),
        "status": place.status,
        "check_interval_months": place.check_interval_months,
        # Only when set, so exports of places typed in here stay as they were.
        **({"opening_hours_note": place.opening_hours_note} if place.opening_hours_note else {}),
        **({"source": place.source, "source_id": place.source_id} if place.source else {}),
    }


def add_open_periods(items: list[dict], places: list, window) -> list[dict]:
    """Give each API item `open_periods`: when its place is open inside the asked window (if any)."""
    if window is not None:
        for item, place in zip(items, places):
            item["open_periods"] = [{"start": a.isoformat(), "end": b.isoformat()}
                                    for a, b in open_periods(place.opening_hours, window.start, window.end)]
    return items

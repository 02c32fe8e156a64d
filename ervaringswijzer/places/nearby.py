"""Near me: where the visitor is (a rounded browser position, a known wijk or city, or a geocoded postcode),
kept only in a cookie on their own phone, and the distance, walking time and route links to a place.

The position never goes into a URL, a log line or the database: URLs end up in access logs, so the
browser posts it once and the list page reads it back from a session cookie (see search/views.py).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

import sqlalchemy as sa

from ..extensions import db
from ..text import fold
from .geocoding import geocode
from .models import Place

COOKIE = "ew_dichtbij"
DECIMALS = 3  # 0.001 degree: about 110 m north-south and 70 m east-west in the Netherlands
WALK_KMH = 5.0
WALK_SHOWN_UP_TO_KM = 5.0  # further than an hour's walk, only the distance is said
POSTCODE = re.compile(r"^\s*(\d{4})\s*([a-zA-Z]{2})?\s*$")


def N_(message: str) -> str:
    """Marks a message for the catalog; the view that shows it translates it with gettext."""
    return message


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    label: str = ""  # what the visitor typed or chose, said back ("bij 3561 AB"); empty for "my location"


@dataclass(frozen=True)
class Located:
    position: Position | None
    error: str = ""  # a message for the visitor when there is no position


def rounded(lat: float, lon: float) -> tuple[float, float] | None:
    """The position rounded to about 100 m, or None when it is not a position on Earth."""
    if not all(math.isfinite(x) for x in (lat, lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, DECIMALS), round(lon, DECIMALS)


def normal_postcode(text: str) -> str:
    """'3561ab' -> '3561 AB'; anything that is not a Dutch postcode comes back unchanged (stripped)."""
    match = POSTCODE.match(text)
    if not match:
        return text.strip()
    return f"{match[1]} {match[2].upper()}" if match[2] else match[1]


def known_area(text: str) -> Position | None:
    """A wijk or city of our own places answered without a geocoder: the middle of its places.

    "Overvecht", "Utrecht", "Binnenstad Leiden", "Leiden/Binnenstad". A wijk name shared by several
    cities ("Binnenstad") without its city is not a known area: the geocoder or the visitor decides.
    """
    wanted = fold(" ".join(text.replace("/", " ").replace(",", " ").split()))
    if not wanted:
        return None
    pairs = db.session.execute(sa.select(Place.city, Place.wijk).where(Place.status == "published").distinct())
    wijken, cities = [], set()
    for city, wijk in pairs:
        if city:
            cities.add(city)
        if city and wijk and wanted in (fold(wijk), fold(f"{wijk} {city}"), fold(f"{city} {wijk}")):
            wijken.append((city, wijk))
    if len(wijken) == 1:
        city, wijk = wijken[0]
        return _middle(sa.and_(Place.city == city, Place.wijk == wijk), wijk)
    for city in cities:
        if fold(city) == wanted:
            return _middle(Place.city == city, city)
    return None


def _middle(condition, label: str) -> Position | None:
    lat, lon = db.session.execute(sa.select(sa.func.avg(Place.lat), sa.func.avg(Place.lon)).where(
        condition, Place.status == "published", Place.lat.is_not(None), Place.lon.is_not(None))).one()
    if lat is None or lon is None:
        return None
    lat, lon = rounded(float(lat), float(lon))
    return Position(lat, lon, label)


def locate(text: str) -> Located:
    """A typed postcode, street or place: our own wijken and cities first, then the (cached) geocoder.

    Call it outside a write transaction: it may wait for the geocoder.
    """
    text = normal_postcode(" ".join(text.split())[:120])
    if not text:
        return Located(None, N_("Typ een postcode, straat, wijk of plaats."))
    area = known_area(text)
    if area is not None:
        return Located(area)
    db.session.commit()  # end our read transaction before an HTTP call (nothing was written)
    found = geocode(text, log_query=False)
    if found.status == "ok":
        position = rounded(found.lat, found.lon)
        if position:
            return Located(Position(*position, label=text))
    if found.status == "not_found":
        return Located(None, N_("We konden ‘%(where)s’ niet vinden. Typ een postcode (zoals 3561 AB), "
                                "een straat met plaats, of de naam van een wijk."))
    return Located(None, N_("Zoeken op de kaart lukt nu even niet. Probeer het zo nog eens, "
                            "of kies een wijk of plaats in de filters."))


def from_browser(lat_text: str, lon_text: str) -> Located:
    """The browser's own position, already rounded there; rounded again here, whatever was sent."""
    try:
        position = rounded(float(lat_text), float(lon_text))
    except (TypeError, ValueError):
        position = None
    if position is None:
        return Located(None, N_("We weten niet waar je bent. Typ je postcode of de naam van je wijk."))
    return Located(Position(*position))


def cookie_value(position: Position) -> str:
    """'52.093~5.119~3561%20AB': what the visitor's phone keeps until the browser closes."""
    return f"{position.lat:.{DECIMALS}f}~{position.lon:.{DECIMALS}f}~{quote(position.label[:80], safe='')}"


def read_cookie(value: str | None) -> Position | None:
    if not value:
        return None
    parts = value.split("~", 2)
    try:
        position = rounded(float(parts[0]), float(parts[1]))
    except (IndexError, ValueError):
        return None
    if position is None:
        return None
    return Position(*position, label=unquote(parts[2]) if len(parts) > 2 else "")


def walking_minutes(km: float) -> int:
    return max(1, round(km / WALK_KMH * 60))


def route_links(place_lat: float, place_lon: float, origin: Position | None) -> tuple[str, str]:
    """A geo: link (the phone's own map app) and an OpenStreetMap walking route; both only links."""
    to = f"{place_lat:.5f},{place_lon:.5f}"
    start = f"{origin.lat:.{DECIMALS}f},{origin.lon:.{DECIMALS}f}" if origin else ""
    osm = ("https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route="
           + quote(f"{start};{to}", safe=""))
    return f"geo:{to}", osm

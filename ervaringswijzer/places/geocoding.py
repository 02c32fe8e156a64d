"""Geocoding: address -> lat/lon through a Nominatim-compatible service (geopy), cached in the database.

Rules: at most one request per GEOCODER_MIN_DELAY seconds for the whole application, over every
process and machine (1 s for the public Nominatim; see geocoder_limit.py), a
proper User-Agent, and never an HTTP call inside an open database transaction: the cache is
read and written on its own short connections, and callers geocode before their write or later
(`flask geocode pending`). A geocoder that is down, slow or finds nothing never loses a place:
it stays saved with location_status "pending" (or "not_found") and a plain message.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from urllib.parse import urlparse

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from flask import current_app
from geopy.adapters import RequestsAdapter, URLLibAdapter
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db
from .geocoder_limit import GeocoderBusy, geocoder_turn
from .models import Place

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Marks a message for the catalog; the view that shows it translates it with gettext."""
    return message


class GeocodeCache(db.Model):
    """One row per normalised query; `found` False remembers that the service knows no such address."""
    __tablename__ = "geocode_cache"

    query: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    found: Mapped[bool] = mapped_column(default=False)
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    display_name: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


@dataclass(frozen=True)
class GeocodeResult:
    status: str  # ok | not_found | error
    lat: float | None = None
    lon: float | None = None
    cached: bool = False
    detail: str = ""

    @property
    def message(self) -> str:
        """What an editor reads after saving."""
        if self.status == "ok":
            return N_("De plek staat op de kaart.")
        if self.status == "not_found":
            return N_("We konden dit adres niet vinden op de kaart. De plek is wel bewaard. "
                      "Kijk of het adres klopt, of zet de speld zelf op de kaart.")
        return N_("De kaartdienst was even niet bereikbaar. De plek is wel bewaard; "
                  "we zetten hem later vanzelf op de kaart.")


def address_query(street: str = "", house_number: str = "", postcode: str = "", city: str = "") -> str:
    """One normalised query string. Postcode + house number alone is enough in the Netherlands."""
    street_line = " ".join(p for p in (street, house_number) if p)
    if street:
        parts = [street_line, " ".join(p for p in (postcode, city) if p)]
    elif postcode and house_number:
        parts = [f"{postcode} {house_number}", city]
    else:
        parts = [postcode, city]
    text = ", ".join(p for p in parts if p)
    return " ".join(text.lower().split())


def place_query(place: Place) -> str:
    return address_query(place.street, place.house_number, place.postcode, place.city)


def _geocoder() -> Nominatim:
    config = current_app.config
    url = urlparse(config["GEOCODER_URL"])
    # No silent retries: requests' default of two would triple a timeout and break the 1 request/s
    # rule; a place that failed stays pending and `geocode pending` tries again later.
    adapter = partial(RequestsAdapter, max_retries=0) if RequestsAdapter.is_available else URLLibAdapter
    return Nominatim(user_agent=config["GEOCODER_USER_AGENT"], domain=url.netloc + url.path.rstrip("/"),
                     scheme=url.scheme or "https", timeout=config["GEOCODER_TIMEOUT"], adapter_factory=adapter)


def _read_cache(query: str) -> GeocodeCache | None:
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(GeocodeCache.__table__).where(GeocodeCache.query == query)).first()
    return None if row is None else GeocodeCache(**row._mapping)


def _write_cache(query: str, result: GeocodeResult, display_name: str) -> None:
    table = GeocodeCache.__table__
    values = {"found": result.status == "ok", "lat": result.lat, "lon": result.lon,
              "display_name": display_name[:500], "created_at": utcnow()}
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    with db.engine.begin() as conn:
        # Two processes may geocode the same address at once: the second one simply updates.
        conn.execute(insert(table).values(query=query, **values)
                     .on_conflict_do_update(index_elements=["query"], set_=values))


def geocode(query: str, log_query: bool = True) -> GeocodeResult:
    """Look an address up: from the cache, else from the service (never inside a transaction of ours).

    log_query=False keeps the text out of the log: a visitor's own postcode is where they are.
    """
    query = " ".join(query.lower().split())[:300]
    if not query:
        return GeocodeResult("not_found", detail="empty address")
    hit = _read_cache(query)
    if hit is not None:
        if hit.found:
            return GeocodeResult("ok", hit.lat, hit.lon, cached=True)
        return GeocodeResult("not_found", cached=True)
    config = current_app.config
    url = urlparse(config["GEOCODER_URL"])
    try:
        with geocoder_turn(url.netloc + url.path, float(config.get("GEOCODER_MIN_DELAY", 1.0)),
                           float(config["GEOCODER_TIMEOUT"])):
            location = _geocoder().geocode(query, exactly_one=True, country_codes="nl")
    except GeocoderBusy:
        log.warning("geocoder busy elsewhere for too long; %r stays pending", query if log_query else "…")
        return GeocodeResult("error", detail="busy")
    except (GeopyError, ValueError) as exc:
        # ValueError covers answers that are not the JSON Nominatim promises.
        kind = type(exc).__name__
        log.warning("geocoder failed for %r: %s %s", query if log_query else "…", kind, exc if log_query else "")
        return GeocodeResult("error", detail=kind)
    if location is None:
        result = GeocodeResult("not_found")
        _write_cache(query, result, "")
        return result
    try:
        result = GeocodeResult("ok", float(location.latitude), float(location.longitude))
    except (TypeError, ValueError):
        log.warning("geocoder gave unusable coordinates for %r", query if log_query else "…")
        return GeocodeResult("error", detail="bad coordinates")
    _write_cache(query, result, location.address or "")
    return result


def apply_result(place: Place, result: GeocodeResult) -> None:
    """Store a geocoding outcome on a place (add/flush only). A pin set by hand is never overwritten."""
    if place.location_status == "manual":
        return
    if result.status == "ok":
        place.lat, place.lon, place.location_status = result.lat, result.lon, "ok"
    elif result.status == "not_found":
        place.lat = place.lon = None
        place.location_status = "not_found"
    db.session.flush()


def set_manual_location(place: Place, lat: float, lon: float) -> dict[str, str]:
    """A moderator puts the pin where the place really is."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return {"location": N_("Dit zijn geen geldige coördinaten.")}
    place.lat, place.lon, place.location_status = lat, lon, "manual"
    db.session.flush()
    log.info("place %s pin set by hand", place.slug)
    return {}


def pending_place_ids(include_not_found: bool = False) -> list[int]:
    statuses = ["pending", "not_found"] if include_not_found else ["pending"]
    return list(db.session.scalars(
        sa.select(Place.id).where(Place.location_status.in_(statuses)).order_by(Place.id)))


def geocode_pending(include_not_found: bool = False, limit: int | None = None,
                    report=lambda place, result: None) -> dict[str, int]:
    """Retry every place still waiting for a pin, committing one place at a time (the CLI's job)."""
    counts = {"ok": 0, "not_found": 0, "error": 0}
    ids = pending_place_ids(include_not_found)[:limit]
    db.session.commit()  # end the read transaction before the first HTTP call
    for place_id in ids:
        place = db.session.get(Place, place_id)
        query = place_query(place)
        db.session.commit()
        result = geocode(query)
        place = db.session.get(Place, place_id)
        # The address may have changed while we waited for the service; then this answer is stale.
        if place is not None and place_query(place) == query:
            try:
                apply_result(place, result)
                db.session.commit()
            except StaleDataError:  # an editor saved this place just now; a later run looks again
                db.session.rollback()
        counts[result.status] += 1
        report(place, result)
    return counts


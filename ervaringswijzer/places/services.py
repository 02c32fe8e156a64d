"""Domain rules for places: validate incoming data, build or update a Place, look places up.

Functions here add and flush but never commit; the caller (a view or a CLI command) owns the commit.
"""
from __future__ import annotations

import logging
import re
import time
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from slugify import slugify

from ..edge import day_in_window
from ..extensions import db
from .categories import CATEGORY_KEYS, FLAG_KEYS, STATUSES
from .dutch_hours import hours_from_input
from .geocoding import apply_result
from .hours import HoursError
from .models import Place, PlaceChange

log = logging.getLogger(__name__)

# "Gambiaweg 12", "Oudegracht 245-bis", "Lange Nieuwstraat 7 A"
_STREET_NUMBER = re.compile(r"^(?P<street>.+?)\s+(?P<number>\d+(?:-?[A-Za-z0-9]{1,4}|\s[A-Za-z]{1,3})?)$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE = re.compile(r"^\d{4}\s?[A-Za-z]{2}$")

# Fields that are computed by us; an import ignores them when present.
COMPUTED_FIELDS = ("id", "open_now", "next_change", "rating", "url")

# Text columns have no length of their own; the rest are as long as their column (PostgreSQL refuses
# longer text, SQLite would silently keep it).
TEXT_LIMITS = {"description": 5000, "first_arrival": 2000, "first_greeter": 2000, "opening_hours_note": 2000}


def column_limit(column: str) -> int | None:
    """How many characters the place column holds, so validation and the table always agree."""
    if column in TEXT_LIMITS:
        return TEXT_LIMITS[column]
    return getattr(Place.__table__.c[column].type, "length", None)


def _too_long(limit: int):
    return _("is te lang (hoogstens %(limit)d tekens)", limit=limit)


def split_street(line: str) -> tuple[str, str]:
    """Split 'Gambiaweg 12' into ('Gambiaweg', '12'); a line without a number stays whole."""
    line = " ".join((line or "").split())
    match = _STREET_NUMBER.match(line)
    if not match:
        return line, ""
    return match["street"].strip(), match["number"]


def normalise_postcode(value: str) -> str:
    value = "".join((value or "").split()).upper()
    return f"{value[:4]} {value[4:]}" if len(value) == 6 else value


def unique_slug(name: str, city: str = "", exclude_id: int | None = None) -> str:
    base = slugify(f"{name} {city}".strip(), max_length=100) or "plek"
    slug, n = base, 2
    while True:
        query = sa.select(Place.id).where(Place.slug == slug)
        if exclude_id is not None:
            query = query.where(Place.id != exclude_id)
        if db.session.scalar(query) is None:
            return slug
        slug, n = f"{base}-{n}", n + 1


def _text(data: dict, key: str, errors: dict, label: str | None = None, column: str | None = None) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[label or key] = _("moet tekst zijn")
        return ""
    # PostgreSQL cannot store NUL characters; they never mean anything in a place's text.
    value = value.replace("\x00", "").strip()
    limit = column_limit(column or key)
    if limit and len(value) > limit:
        errors[label or key] = _too_long(limit)
    return value


def _optional_bool(value: Any, key: str, errors: dict) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    errors[key] = _("moet true, false of leeg zijn")
    return None


def validate_place_data(data: dict) -> tuple[dict, dict[str, str]]:
    """Check a PLACE-shaped dict; return (clean values for the model, errors by field).

    The same rules serve the import command, the API shape and the forms, so a place
    that can be typed in can also be imported and exported unchanged.
    """
    errors: dict[str, str] = {}
    if not isinstance(data, dict):
        return {}, {"place": _("moet een object zijn")}
    clean: dict[str, Any] = {}

    clean["name"] = _text(data, "name", errors)
    if not clean["name"]:
        errors.setdefault("name", "naam ontbreekt")
    clean["description"] = _text(data, "description", errors)

    slug = data.get("slug")
    if slug not in (None, ""):
        if not isinstance(slug, str) or not _SLUG.match(slug) or len(slug) > 120:
            errors["slug"] = _("alleen kleine letters, cijfers en streepjes")
        else:
            clean["slug"] = slug

    categories = data.get("categories") or []
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        errors["categories"] = _("moet een lijst van categorieën zijn")
    else:
        unknown = [c for c in categories if c not in CATEGORY_KEYS]
        if unknown:
            errors["categories"] = _("onbekende categorie: %(names)s", names=", ".join(unknown))
        elif not categories:
            errors["categories"] = _("kies minstens één categorie")
        clean["categories"] = categories

    address = data.get("address") or {}
    if not isinstance(address, dict):
        errors["address"] = _("moet een object zijn")
        address = {}
    street, number = split_street(_text(address, "street", errors, "address.street"))
    if len(number) > column_limit("house_number"):
        errors["address.street"] = _("het huisnummer %(problem)s", problem=_too_long(column_limit("house_number")))
    clean.update(street=street, house_number=number,
                 city=_text(address, "city", errors, "address.city"),
                 wijk=_text(address, "wijk", errors, "address.wijk"))
    postcode = _text(address, "postcode", errors, "address.postcode")
    if postcode and not _POSTCODE.match(postcode):
        errors["address.postcode"] = _("een postcode is vier cijfers en twee letters, zoals 3564 BN")
    clean["postcode"] = normalise_postcode(postcode)

    location = data.get("location")
    if location is not None:
        try:
            lat, lon = float(location["lat"]), float(location["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
            clean.update(lat=lat, lon=lon, location_status="manual")
        except (KeyError, TypeError, ValueError):
            errors["location"] = _("moet {lat, lon} met geldige getallen zijn")

    contact = data.get("contact") or {}
    if not isinstance(contact, dict):
        errors["contact"] = _("moet een object zijn")
        contact = {}
    clean["phone"] = _text(contact, "phone", errors, "contact.phone")
    clean["email"] = _text(contact, "email", errors, "contact.email")
    if clean["email"] and not _EMAIL.match(clean["email"]):
        errors["contact.email"] = _("dit is geen geldig e-mailadres")
    clean["website"] = _text(contact, "website", errors, "contact.website")
    if clean["website"] and not clean["website"].startswith(("http://", "https://")):
        errors["contact.website"] = _("een website begint met http:// of https://")

    flags = data.get("flags") or {}
    if not isinstance(flags, dict):
        errors["flags"] = _("moet een object zijn")
        flags = {}
    unknown_flags = [k for k in flags if k not in FLAG_KEYS]
    if unknown_flags:
        errors["flags"] = _("onbekend kenmerk: %(names)s", names=", ".join(unknown_flags))
    for key in FLAG_KEYS:
        value = flags.get(key, False)
        if not isinstance(value, bool):
            errors[f"flags.{key}"] = _("moet true of false zijn")
        clean[key] = bool(value)

    try:
        clean["opening_hours"] = hours_from_input(data.get("opening_hours"))
    except HoursError as exc:
        errors["opening_hours"] = exc.message
    except (TypeError, AttributeError):
        errors["opening_hours"] = _("moet tekst zijn in de OpenStreetMap-notatie")

    status = data.get("status") or "published"
    if status not in STATUSES:
        errors["status"] = _("moet suggested, published of archived zijn")
    clean["status"] = status

    _validate_extras(data, clean, errors)
    return clean, errors


def _validate_extras(data: dict, clean: dict, errors: dict) -> None:
    """Fields outside the API shape that an export carries so that nothing is lost on re-import."""
    first = data.get("first_visit") or {}
    if not isinstance(first, dict):
        errors["first_visit"] = _("moet een object zijn")
        first = {}
    clean["first_arrival"] = _text(first, "arrival", errors, "first_visit.arrival", "first_arrival")
    clean["first_greeter"] = _text(first, "greeter", errors, "first_visit.greeter", "first_greeter")
    clean["first_quiet_times"] = _text(first, "quiet_times", errors, "first_visit.quiet_times", "first_quiet_times")
    clean["first_busy_times"] = _text(first, "busy_times", errors, "first_visit.busy_times", "first_busy_times")
    clean["first_coffee_free"] = _optional_bool(first.get("coffee_free"), "first_visit.coffee_free", errors)
    clean["first_signup_required"] = _optional_bool(
        first.get("signup_required"), "first_visit.signup_required", errors)

    person = data.get("contact_person") or {}
    if not isinstance(person, dict):
        errors["contact_person"] = _("moet een object zijn")
        person = {}
    clean["contact_name"] = _text(person, "name", errors, "contact_person.name", "contact_name")
    clean["contact_role"] = _text(person, "role", errors, "contact_person.role", "contact_role")
    # The contact person's own phone and e-mail are never exported, so an import without them keeps them.
    if "phone" in person:
        clean["contact_phone"] = _text(person, "phone", errors, "contact_person.phone", "contact_phone")
    if "email" in person:
        clean["contact_email"] = _text(person, "email", errors, "contact_person.email", "contact_email")
        if clean["contact_email"] and not _EMAIL.match(clean["contact_email"]):
            errors["contact_person.email"] = "dit is geen geldig e-mailadres"

    languages = data.get("languages") or ["nl"]
    if not isinstance(languages, list) or not all(
            isinstance(c, str) and re.fullmatch(r"[a-z]{2,3}", c) for c in languages):
        errors["languages"] = _("moet een lijst van taalcodes zijn, zoals [\"nl\", \"en\"]")
    elif len(",".join(languages)) > column_limit("languages"):
        errors["languages"] = _("te veel talen: %(problem)s", problem=_too_long(column_limit("languages")))
    else:
        clean["languages"] = ",".join(languages)

    rung = data.get("participation_rung")
    if rung is not None and (isinstance(rung, bool) or not isinstance(rung, int) or not 1 <= rung <= 6):
        errors["participation_rung"] = _("moet een getal van 1 tot en met 6 zijn")
    else:
        clean["participation_rung"] = rung

    interval = data.get("check_interval_months")
    if interval is None:
        clean["check_interval_months"] = 6  # the usual check interval (places/checks.py)
    elif isinstance(interval, bool) or not isinstance(interval, int) or not 1 <= interval <= 24:
        errors["check_interval_months"] = "moet een getal van 1 tot en met 24 zijn"
    else:
        clean["check_interval_months"] = interval
    clean["opening_hours_note"] = _text(data, "opening_hours_note", errors)
    for key in ("source", "source_id"):
        if data.get(key) not in (None, ""):
            clean[key] = _text(data, key, errors)

    checked = data.get("last_checked")
    if checked:
        try:
            clean["last_checked"] = date.fromisoformat(checked)
            if not day_in_window(clean["last_checked"]):
                raise ValueError
        except (TypeError, ValueError):
            errors["last_checked"] = _("moet een datum zijn als 2026-10-14")
    else:
        clean["last_checked"] = None


def apply_place_data(place: Place, clean: dict) -> Place:
    """Copy validated values onto a place (new or existing) and give it a slug."""
    keep_location = "lat" in clean
    address_changed = place.id is not None and any(
        getattr(place, k) != clean.get(k) for k in ("street", "house_number", "postcode", "city"))
    for key, value in clean.items():
        if key == "slug":
            continue
        setattr(place, key, value)
    if not keep_location and (place.id is None or address_changed):
        # A new address needs a new pin; the geocoder picks it up later.
        place.lat = place.lon = None
        place.location_status = "pending"
    if not place.slug:
        with db.session.no_autoflush:
            place.slug = clean.get("slug") or unique_slug(place.name, place.city, exclude_id=place.id)
    return place


def upsert_place(data: dict, actor=None, action: str | None = None,
                 geocoded=None) -> tuple[Place | None, dict[str, str], bool]:
    """Create a place from PLACE data, or update the one with the same slug. Returns (place, errors, created).

    actor is the member making the change (None for imports and commands); the change is kept in
    the place's history. geocoded is a geocoding.GeocodeResult for the new address, looked up by
    the caller before this write, so the history row shows the pin that goes with the address.
    """
    clean, errors = validate_place_data(data)
    if errors:
        return None, errors, False
    place = None
    if clean.get("slug"):
        place = db.session.scalar(sa.select(Place).where(Place.slug == clean["slug"]))
    created = place is None
    before = {} if created else place_snapshot(place)
    if created:
        place = Place(slug=clean.get("slug") or unique_slug(clean["name"], clean["city"]))
        db.session.add(place)
    apply_place_data(place, clean)
    if geocoded is not None:
        apply_result(place, geocoded)
    db.session.flush()
    record_change(place, actor, action or ("created" if created else "updated"), before)
    log.info("place %s %s", "created" if created else "updated", place.slug)
    return place, {}, created


# Columns that are ours to keep, not the place's data; they stay out of the history. The history is
# public, so the contact person's own phone and e-mail stay out of it too.
_UNTRACKED = {"id", "slug", "created_at", "updated_at", "suggested_by_id", "version", "contact_phone", "contact_email"}


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else value


def place_snapshot(place: Place) -> dict:
    """The place's data as plain JSON values, to compare before and after a change."""
    values = {c.key: _jsonable(getattr(place, c.key)) for c in Place.__table__.columns if c.key not in _UNTRACKED}
    values["categories"] = list(place.categories)
    return values


def record_change(place: Place, actor, action: str, before: dict, force: bool = False) -> PlaceChange | None:
    """Add a history row with the fields that differ from before ({field: [old, new]}).

    Nothing is written when nothing changed (re-importing the same file adds no history), unless force.
    """
    after = place_snapshot(place)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v} if before else \
        {k: [None, v] for k, v in after.items() if v not in (None, "", False, [])}
    if not changes and not force:
        return None
    change = PlaceChange(place_id=place.id, member_id=getattr(actor, "id", None), action=action, changes=changes)
    db.session.add(change)
    return change


def mark_checked(place: Place, actor, on: date) -> None:
    """Someone checked the place's data today (for instance after fixing a report)."""
    before = place_snapshot(place)
    place.last_checked = on
    db.session.flush()
    record_change(place, actor, "checked", before, force=True)


def set_place_status(place: Place, status: str, actor) -> None:
    """Publish, archive or send back a place, keeping the step in its history."""
    if status not in STATUSES:
        raise ValueError(status)
    before = place_snapshot(place)
    place.status = status
    db.session.flush()
    record_change(place, actor, status, before, force=True)


def place_history(place_id: int) -> list[PlaceChange]:
    return list(db.session.scalars(sa.select(PlaceChange).where(PlaceChange.place_id == place_id)
                                   .order_by(PlaceChange.created_at.desc(), PlaceChange.id.desc())))


def get_published(slug: str) -> Place | None:
    # Its categories in the same statement: every page about one place shows them, and a second
    # statement (the relationship's selectin) costs more than the joined rows.
    return db.session.scalars(
        sa.select(Place).options(sa.orm.joinedload(Place.category_rows))
        .where(Place.slug == slug, Place.status == "published")).unique().first()


def known_wijken() -> list[tuple[str, str]]:
    """(city, wijk) pairs of published places, for filter menus."""
    def build():
        rows = db.session.execute(
            sa.select(Place.city, Place.wijk).where(Place.status == "published", Place.wijk != "")
            .distinct().order_by(Place.city, Place.wijk))
        return [tuple(r) for r in rows]
    return _remembered("wijken", build)


def known_cities() -> list[str]:
    return _remembered("cities", lambda: list(db.session.scalars(
        sa.select(Place.city).where(Place.status == "published", Place.city != "")
        .distinct().order_by(Place.city))))


# Tables whose rows show on place pages, in the API and on maps; other domains add theirs (reviews).
_version_tables: list[sa.Table] = [Place.__table__]


def add_version_table(table: sa.Table) -> None:
    """Make changes to `table` (it needs an updated_at column) change data_version()."""
    if table not in _version_tables:
        _version_tables.append(table)


_version_columns: list[sa.Column] = []


def add_version_column(column: sa.Column) -> None:
    """Make a new highest value of `column` (an ever-growing id, such as a change log's) change data_version()."""
    if not any(column is known for known in _version_columns):
        _version_columns.append(column)


_versions: dict[str, tuple[float, str]] = {}


def data_version() -> str:
    """A cheap fingerprint of the data pages and feeds show: row count and newest updated_at per table,
    and the highest id of the change logs other packages add (add_version_column).

    One indexed statement instead of rendering a body to hash it, and at most one per
    DATA_VERSION_MAX_AGE seconds per process and database (so answers may lag a change by that
    long). An update changes updated_at, an insert or delete the count. A transaction that commits
    an older updated_at after a newer one was seen can be missed; ETags also carry the minute, so
    that lasts a minute at most.
    """
    key = str(db.engine.url)
    now = time.monotonic()
    found = _versions.get(key)
    if found and now - found[0] < float(current_app.config.get("DATA_VERSION_MAX_AGE", 1.0)):
        return found[1]
    parts = []
    for table in _version_tables:
        parts += [sa.select(sa.func.count()).select_from(table).scalar_subquery(),
                  sa.select(sa.func.max(table.c.updated_at)).scalar_subquery()]
    parts += [sa.select(sa.func.max(column)).scalar_subquery() for column in _version_columns]
    version = "|".join(str(value) for value in db.session.execute(sa.select(*parts)).one())
    _versions[key] = (now, version)
    return version


def distinct_values(column) -> list[str]:
    """Every stored value of a place column (city, wijk), read once per data version and process."""
    return _remembered(f"distinct:{column.key}", lambda: list(db.session.scalars(
        sa.select(column).where(column.is_not(None)).distinct())))


def _remembered(name: str, build):
    """build() once per data version and process: menus of cities and wijken scan every place."""
    version = data_version()
    key = (str(db.engine.url), name)
    found = _menus.get(key)
    if found is None or found[0] != version:
        found = _menus[key] = (version, build())
    return found[1]


_menus: dict[tuple[str, str], tuple[str, object]] = {}

"""Correcting a place: when a save needs the geocoder, and storing the edit with its pin, history and report.

Add and flush only. The caller validates first, ends its read transaction, geocodes (an HTTP call,
never inside a transaction of ours) and then calls save_edit, so the write itself is short.
Because the transaction ends in between, an edit carries the version of the place it started from:
save_edit refuses it (EditConflict) when someone else saved the place since.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from .geocoding import GeocodeResult, address_query, place_query
from .dutch_hours import hours_from_input
from .hours import HoursError
from .models import Place
from .services import upsert_place

log = logging.getLogger(__name__)


def place_by_slug(slug: str) -> Place | None:
    """Any place, whatever its status: editors also correct suggested and archived places."""
    return db.session.scalar(sa.select(Place).where(Place.slug == slug))


def geocode_query_for(place: Place | None, clean: dict) -> str | None:
    """The address to look up before saving, or None when the pin can stay as it is.

    A new place, or a changed street, number, postcode or city, needs a new pin; a wijk or a
    name does not. A pin set by hand stays unless the address changes.
    """
    query = address_query(clean.get("street", ""), clean.get("house_number", ""),
                          clean.get("postcode", ""), clean.get("city", ""))
    if not query or "lat" in clean:
        return None
    if place is None or place_query(place) != query:
        return query
    return None


class EditConflict(Exception):
    """Someone else saved the place after the editor opened the form; nothing of this edit was stored."""


def save_edit(place: Place, data: dict, actor, geocoded: GeocodeResult | None = None,
              report=None, note: str = "", version: int | None = None) -> tuple[Place | None, dict[str, str]]:
    """Store an editor's version of a place (history: 'updated' by actor); close the report it fixes.

    version is the place's version the editor saw; a different stored version, or another save that
    lands before our UPDATE, raises EditConflict (the caller rolls back). Returns (place, {}) or
    (None, errors); the data is validated again here, so a change made by someone else meanwhile
    cannot slip an invalid row in.
    """
    from ..moderation.services import close_info_report

    slug = place.slug
    if version != place.version:
        raise EditConflict(slug)
    try:
        saved, errors, _created = upsert_place({**data, "slug": slug}, actor=actor, action="updated",
                                               geocoded=geocoded)
        if errors:
            return None, errors
        if report is not None and report.status == "open" and report.place_id == saved.id:
            # The moderation rule for a fixed report: last_checked moves to today, in the place's history too.
            close_info_report(report, actor, fixed=True, note=note)
    except StaleDataError as exc:
        raise EditConflict(slug) from exc
    log.info("place %s edited by %s", saved.slug, getattr(actor, "id", None))
    return saved, {}


def hours_problem(text: str | None) -> HoursError | None:
    """The opening-hours error with its position, for showing where the expression goes wrong."""
    try:
        hours_from_input(text)
    except HoursError as exc:
        return exc
    except (TypeError, AttributeError):
        return None
    return None


def conflict_rows(form, place: Place, clean: dict, saved_values: dict) -> list[tuple[str, str, str]]:
    """(label, what the editor typed, what is stored now) for each field whose validated value differs.

    Comparing validated values hides differences of spelling only ('mo-fr' and 'Mo-Fr').
    """
    def stored(column):
        value = getattr(place, column)
        return sorted(value) if column == "categories" else value

    differing = {"street" if column == "house_number" else column for column, value in clean.items()
                 if column != "slug" and stored(column) != (sorted(value) if column == "categories" else value)}
    return [(str(field.label.text), _shown(field, field.data), _shown(field, saved_values.get(field.name)))
            for field in form if field.name in differing]


def _shown(field, value) -> str:
    """A form value as the editor reads it: choice labels, not keys; yes/no for checkboxes."""
    from flask_babel import gettext as _

    if field.type == "BooleanField":
        return _("Ja") if value else _("Nee")
    labels = {str(choice.value): str(choice.label) for choice in getattr(field, "choices", None) or []}
    if isinstance(value, (list, tuple)):
        return ", ".join(sorted(labels.get(str(v), str(v)) for v in value))  # a set: order means nothing
    text = "" if value is None else str(value).strip()
    return labels.get(text, text)

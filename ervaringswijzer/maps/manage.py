"""Owner pages: "Mijn kaarten", building a shared map, adding places from place pages and search results,
and setting a pin by hand (moderators)."""
from __future__ import annotations

import logging
from datetime import datetime, time, timedelta, timezone

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.access import requires
from ..edge import parse_id, parse_ids, safe_next
from ..db import commit
from ..extensions import db
from ..places.geocoding import apply_result, geocode, place_query, set_manual_location
from ..places.hours import TZ
from ..places.models import Place
from ..places.services import get_published
from . import bp
from .forms import PinForm, SharedMapForm
from .shared import (SharedMap, add_place, create_shared_map, get_owned, move_place, owned_maps, remove_place,
                     renew_link, revoke, update_shared_map)
from .visits import coming_for

log = logging.getLogger(__name__)


def _expiry(day) -> datetime | None:
    """A link 'works until and including' a day: it stops at midnight after it, Dutch time."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=TZ).astimezone(timezone.utc)


def last_day(expires_at: datetime):
    """The inverse of _expiry: the last Dutch calendar day on which the link works."""
    aware = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=timezone.utc)
    return (aware.astimezone(TZ) - timedelta(seconds=1)).date()


def _back(default: str) -> str:
    return safe_next(request.form.get("next"), default)


def _owned_or_404(map_id: int) -> SharedMap:
    shared = get_owned(map_id, current_user)
    if shared is None:
        abort(404)
    return shared


@bp.route("/mijn-kaarten", methods=["GET", "POST"])
@requires("shared_map.manage")
def my_maps():
    """A social worker's maps, and the form to start a new one."""
    form = SharedMapForm()
    if form.validate_on_submit():
        shared, errors = create_shared_map(current_user.id, form.title.data, form.note.data or "",
                                           _expiry(form.expires_on.data))
        if shared:
            commit()
            flash(_("Je kaart is gemaakt. Zoek nu plekken en zet ze op de kaart."), "success")
            return redirect(url_for("maps.edit_map", map_id=shared.id))
        for field, message in errors.items():
            getattr(form, "expires_on" if field == "expires_at" else field).errors.append(str(message))
    return render_template("maps/my_maps.html", form=form, maps=owned_maps(current_user.id),
                           coming=coming_for(current_user.id))


@bp.route("/mijn-kaarten/<int:map_id>", methods=["GET", "POST"])
@requires("shared_map.manage")
def edit_map(map_id: int):
    shared = _owned_or_404(map_id)
    form = SharedMapForm(obj=None if request.method == "POST" else shared)
    if request.method == "GET" and shared.expires_at:
        form.expires_on.data = last_day(shared.expires_at)
    if form.validate_on_submit():
        errors = update_shared_map(shared, form.title.data, form.note.data or "", _expiry(form.expires_on.data))
        if not errors:
            commit()
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("maps.edit_map", map_id=shared.id))
        for field, message in errors.items():
            getattr(form, "expires_on" if field == "expires_at" else field).errors.append(str(message))
    return render_template("maps/edit_map.html", form=form, shared=shared, state=shared.state())


@bp.route("/mijn-kaarten/<int:map_id>/plekken", methods=["POST"])
@requires("shared_map.manage")
def change_places(map_id: int):
    """Move a place up or down, or take it off the map."""
    shared = _owned_or_404(map_id)
    place_id = parse_id(request.form.get("place_id"))
    action = request.form.get("action")
    if action == "up":
        move_place(shared, place_id, -1)
    elif action == "down":
        move_place(shared, place_id, 1)
    elif action == "remove":
        remove_place(shared, place_id)
        flash(_("De plek is van de kaart gehaald."), "success")
    else:
        abort(400)
    commit()
    return redirect(url_for("maps.edit_map", map_id=shared.id) + "#plekken")


@bp.route("/mijn-kaarten/toevoegen", methods=["POST"])
@requires("shared_map.manage")
def add_to_map():
    """'Zet op mijn kaart' from a place page or from search results (one or more places)."""
    map_choice = request.form.get("map_id", "")
    if map_choice == "new" or not map_choice:
        shared, errors = create_shared_map(current_user.id, request.form.get("title") or _("Nieuwe kaart"))
        if errors:
            abort(400)
    else:
        shared = _owned_or_404(parse_id(map_choice) or -1)
    added = gone = 0
    for place_id in parse_ids(request.form.getlist("place_id")):
        place = db.session.get(Place, place_id)
        if place is None or place.status != "published":  # archived since the page was loaded
            gone += 1
        elif add_place(shared, place):
            added += 1
    commit()
    if added:
        flash(ngettext("%(num)d plek op de kaart ‘%(title)s’ gezet.", "%(num)d plekken op de kaart ‘%(title)s’ gezet.",
                       added, title=shared.title), "success")
    if gone:
        flash(ngettext("%(num)d plek staat niet meer op Ervaringswijzer en is niet toegevoegd.",
                       "%(num)d plekken staan niet meer op Ervaringswijzer en zijn niet toegevoegd.", gone), "warning")
    elif not added:
        flash(_("Er is niets toegevoegd: de plek stond al op ‘%(title)s’, of de kaart is vol.", title=shared.title),
              "warning")
    return redirect(_back(url_for("maps.edit_map", map_id=shared.id)))


@bp.route("/mijn-kaarten/<int:map_id>/intrekken", methods=["POST"])
@requires("shared_map.manage")
def revoke_map(map_id: int):
    shared = _owned_or_404(map_id)
    revoke(shared)
    commit()
    flash(_("De link werkt niet meer. Wie hem opent, leest dat de kaart is ingetrokken."), "success")
    return redirect(url_for("maps.edit_map", map_id=shared.id))


@bp.route("/mijn-kaarten/<int:map_id>/nieuwe-link", methods=["POST"])
@requires("shared_map.manage")
def renew_map_link(map_id: int):
    shared = _owned_or_404(map_id)
    renew_link(shared)
    commit()
    flash(_("De kaart heeft een nieuwe link. De oude link en QR-code werken niet meer."), "success")
    return redirect(url_for("maps.edit_map", map_id=shared.id))


@bp.route("/plek/<slug>/speld", methods=["GET", "POST"])
@requires("place.edit")
def place_pin(slug: str):
    """A moderator sets or corrects the pin by hand, or asks the geocoder again."""
    place = get_published(slug)
    if place is None:
        abort(404)
    form = PinForm(obj=None if request.method == "POST" else place)
    if request.method == "POST" and request.form.get("action") == "geocode":
        query = place_query(place)
        commit()  # no transaction stays open while the geocoder answers
        result = geocode(query)
        place = get_published(slug)
        if place is None:  # archived (or removed) while the geocoder answered: nothing to put a pin on
            flash(_("Deze plek staat niet meer op de kaart: iemand heeft hem net uit de lijst gehaald. "
                    "De speld is niet veranderd."), "warning")
            return redirect(url_for("moderation.edit_place", slug=slug))
        apply_result(place, result)
        commit()
        flash(_(result.message), "success" if result.status == "ok" else "warning")
        return redirect(url_for("maps.place_pin", slug=slug))
    if form.validate_on_submit():
        errors = set_manual_location(place, float(form.lat.data), float(form.lon.data))
        if not errors:
            commit()
            flash(_("De speld staat op de nieuwe plek."), "success")
            return redirect(url_for("places.place_detail", slug=slug))
        message = errors["location"]  # Dutch, marked for the catalog in geocoding.py
        form.lat.errors.append(_(message))
    return render_template("maps/pin.html", place=place, form=form)

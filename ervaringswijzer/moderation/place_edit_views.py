"""The moderator's place edit page: correct every field, geocode a new address, close the report it fixes."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.access import requires
from ..core.time import today
from ..edge import parse_id
from ..extensions import db
from ..places.categories import FLAG_KEYS
from ..places.editing import EditConflict, conflict_rows, geocode_query_for, hours_problem, place_by_slug
from ..places.forms import PlaceEditForm, edit_form_values, edit_place_data, posted_hours, show_errors
from ..places.geocoding import geocode
from ..places.hours_form import for_display
from ..places.models import Place
from ..places.services import validate_place_data
from . import bp
from .services import open_report_for, save_place_fix

COMMAND = "flask --app ervaringswijzer geocode pending"


def _flash_location(result) -> None:
    if result is None:
        return
    if result.status == "ok":
        flash(_("Het nieuwe adres is gevonden. De speld op de kaart staat goed."), "success")
    elif result.status == "not_found":
        flash(_("We konden het nieuwe adres niet vinden op de kaart. De plek is wel bewaard. Klopt het adres? "
                "Later opnieuw proberen kan met: %(command)s --retry-not-found", command=COMMAND), "error")
    else:
        flash(_("De kaartdienst gaf geen antwoord. De plek is wel bewaard. De speld op de kaart komt later, "
                "met: %(command)s", command=COMMAND), "error")


def _render(place, form, report, hours_error=None, conflict=None, hours=None):
    return render_template("moderation/edit_place.html", place=place, form=form, report=report, flags=FLAG_KEYS,
                           hours_error=hours_error, conflict=conflict,
                           hours=hours or for_display(form.opening_hours.data))


def _render_conflict(slug: str, form, clean: dict, report_id):
    """Someone else saved first: show both versions side by side, keep what this editor typed.

    The form now carries the stored version, so saving again knowingly replaces the other edit.
    """
    db.session.rollback()
    place = place_by_slug(slug)
    if place is None:
        abort(404)
    form.version.data = str(place.version)
    return _render(place, form, open_report_for(place, report_id),
                   conflict=conflict_rows(form, place, clean, edit_form_values(place))), 409


@bp.route("/plek/<slug>/bewerken", methods=["GET", "POST"])
@requires("place.edit")
def edit_place(slug: str):
    place = place_by_slug(slug)
    if place is None:
        abort(404)
    if request.method == "GET":
        report = open_report_for(place, request.args.get("melding"))
        # A change the contact person proposed opens filled in; the moderator checks it and saves.
        proposed = (report.proposed or {}) if report else {}
        form = PlaceEditForm(data={**edit_form_values(place), **proposed, "report_id": report.id if report else "",
                                   "version": place.version})
        return _render(place, form, report)

    form = PlaceEditForm()
    report = open_report_for(place, form.report_id.data)
    hours = posted_hours(form, request.form)
    data = edit_place_data(form, today())
    clean, errors = validate_place_data({**data, "slug": place.slug})
    if errors or hours.errors:
        show_errors(form, errors)
        return _render(place, form, report, hours_problem(form.opening_hours.data), hours=hours)

    query = geocode_query_for(place, clean)
    place_id, report_id = place.id, report.id if report else None
    result = None
    if query:
        db.session.rollback()  # end the read transaction: no HTTP call while we hold the database
        result = geocode(query)
        place = db.session.get(Place, place_id)
        if place is None:  # deleted while we waited for the geocoder
            abort(404)
        report = open_report_for(place, report_id)
    try:
        saved, errors = save_place_fix(place, data, current_user, geocoded=result, report=report,
                                       version=parse_id(form.version.data))
    except EditConflict:
        return _render_conflict(slug, form, clean, report_id)
    if errors:
        db.session.rollback()
        show_errors(form, errors)
        return _render(place, form, report)
    db.session.commit()
    flash(_("De plek is bijgewerkt."), "success")
    if report_id:
        flash(_("De melding staat op opgelost."), "success")
    _flash_location(result)
    if saved.status == "published":
        return redirect(url_for("places.place_detail", slug=saved.slug))
    return redirect(url_for("moderation.edit_place", slug=saved.slug))

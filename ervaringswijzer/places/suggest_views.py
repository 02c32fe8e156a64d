"""Suggesting a place, peer confirmation, and a place's change history."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.access import require_can, requires
from ..extensions import db
from . import bp
from .editing import hours_problem
from .forms import SUGGEST_FLAGS, SuggestPlaceForm, posted_hours, show_errors, suggest_place_data
from .hours_form import for_display
from .models import Place
from .services import get_published, place_history
from .suggestions import confirm_place, confirmations, suggest_place, suggested_places


@bp.route("/plek-voorstellen", methods=["GET", "POST"])
@requires("place.suggest")
def suggest():
    form = SuggestPlaceForm()
    hours = for_display(None)
    if request.method == "POST":
        hours = posted_hours(form, request.form)
        place, errors = (None, {}) if hours.errors else suggest_place(suggest_place_data(form), current_user)
        if place is not None:
            db.session.commit()
            flash(_("Dank je wel! Twee ervaringsdeskundigen of een moderator kijken je voorstel na."), "success")
            return redirect(url_for("places.suggestion_list"))
        show_errors(form, errors)
    return render_template("places/suggest.html", form=form, flags=SUGGEST_FLAGS, hours=hours,
                           hours_error=hours_problem(form.opening_hours.data) if form.opening_hours.errors else None)


@bp.route("/voorstellen")
@requires("place.suggest")
def suggestion_list():
    places = suggested_places()
    counts = {p.id: len(confirmations(p.id)) for p in places}
    return render_template("places/suggestions.html", places=places, confirmations=counts)


@bp.route("/voorstellen/<int:place_id>/bevestigen", methods=["POST"])
@requires("place.confirm")
def confirm(place_id: int):
    place = db.get_or_404(Place, place_id)
    require_can("place.confirm", place)
    published, error = confirm_place(place, current_user)
    if error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Dank je wel! De plek staat nu op de kaart.") if published else _("Dank je wel voor je bevestiging."),
              "success")
    return redirect(url_for("places.suggestion_list"))


@bp.route("/plek/<slug>/geschiedenis", endpoint="place_history")
def history(slug: str):
    place = get_published(slug)
    if place is None:
        abort(404)
    return render_template("places/history.html", place=place, changes=place_history(place.id))

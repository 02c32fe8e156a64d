"""Suggesting a place, peer confirmation, and a place's change history."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..accounts.access import require_can, requires
from ..extensions import db
from . import bp
from .categories import CATEGORIES, FLAGS
from .models import Place
from .services import get_published, place_history
from .suggestions import confirm_place, confirmations, suggest_place, suggested_places

SUGGEST_FLAGS = ("walk_in", "no_referral", "free", "peer_experts", "wheelchair", "quiet_space")


class SuggestPlaceForm(FlaskForm):
    name = StringField(_l("Naam van de plek"))
    category = SelectField(_l("Soort plek"), choices=[SelectChoice("", _l("Kies een soort"))]
                           + [SelectChoice(key, label) for key, label in CATEGORIES.items()],
                           validate_choice=False)
    description = TextAreaField(_l("Wat kun je er doen?"))
    street = StringField(_l("Straat en huisnummer"))
    postcode = StringField(_l("Postcode"))
    city = StringField(_l("Plaats"))
    wijk = StringField(_l("Wijk (mag leeg blijven)"))
    phone = StringField(_l("Telefoon (mag leeg blijven)"))
    website = StringField(_l("Website (mag leeg blijven)"))
    opening_hours = StringField(_l("Openingstijden (mag leeg blijven)"),
                                description=_l("Zoals: Mo-Fr 10:00-16:00. Weet je het niet? Laat het leeg."))


for _flag in SUGGEST_FLAGS:
    setattr(SuggestPlaceForm, _flag, BooleanField(FLAGS[_flag]))

FIELD_OF_ERROR = {"address.street": "street", "address.postcode": "postcode", "address.city": "city",
                  "address.wijk": "wijk", "contact.phone": "phone", "contact.website": "website",
                  "categories": "category"}


def _place_data(form) -> dict:
    return {
        "name": form.name.data or "", "description": form.description.data or "",
        "categories": [form.category.data] if form.category.data else [],
        "address": {"street": form.street.data or "", "postcode": form.postcode.data or "",
                    "city": form.city.data or "", "wijk": form.wijk.data or ""},
        "contact": {"phone": form.phone.data or "", "website": form.website.data or ""},
        "flags": {flag: bool(getattr(form, flag).data) for flag in SUGGEST_FLAGS},
        "opening_hours": (form.opening_hours.data or "").strip() or None,
    }


@bp.route("/plek-voorstellen", methods=["GET", "POST"])
@requires("place.suggest")
def suggest():
    form = SuggestPlaceForm()
    if request.method == "POST":
        place, errors = suggest_place(_place_data(form), current_user)
        if place is not None:
            db.session.commit()
            flash(_("Dank je wel! Twee ervaringsdeskundigen of een moderator kijken je voorstel na."), "success")
            return redirect(url_for("places.suggestion_list"))
        for key, message in errors.items():
            field = getattr(form, FIELD_OF_ERROR.get(key, key), None) or form.name
            field.errors = list(field.errors or []) + [message]
    return render_template("places/suggest.html", form=form, flags=SUGGEST_FLAGS)


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
        flash(error, "error")
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

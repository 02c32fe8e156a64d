"""The links in a check mail, for a place's contact person without an account: "Klopt nog" and "Wijzigen"."""
from __future__ import annotations

from flask import render_template, request

from ..core.time import today
from ..extensions import db
from ..moderation.services import suggest_place_change
from ..places.checks import confirm_by_token, mark_answered, place_for_token, use_token
from ..places.forms import edit_form_values
from . import bp
from .forms import FIELDS, PlaceChangeForm, proposed_values


def _gone():
    return render_template("overview/check_gone.html"), 410


@bp.route("/controle/<token>", methods=["GET", "POST"])
def check_confirm(token: str):
    """Looking at the page spends nothing (mail scanners open links too); the button confirms."""
    if request.method == "GET":
        place = place_for_token(token, "confirm")
        return render_template("overview/check_confirm.html", place=place, token=token) if place else _gone()
    place = confirm_by_token(token, today())
    if place is None:
        db.session.rollback()
        return _gone()
    db.session.commit()
    return render_template("overview/check_thanks.html", place=place, changed=False)


@bp.route("/controle/<token>/wijzigen", methods=["GET", "POST"])
def check_change(token: str):
    place = place_for_token(token, "edit")
    if place is None:
        return _gone()
    if request.method == "GET":
        current = edit_form_values(place)
        form = PlaceChangeForm(data={name: current.get(name) or "" for name in FIELDS})
        return render_template("overview/check_change.html", place=place, form=form, token=token, errors={})
    form = PlaceChangeForm()
    values, errors = proposed_values(form)
    if errors:
        for name, message in errors.items():
            form[name].errors = [message]
        return render_template("overview/check_change.html", place=place, form=form, token=token,
                               errors=errors), 400
    if use_token(token, "edit") is None:
        db.session.rollback()
        return _gone()
    report = suggest_place_change(place, values)
    mark_answered(place, today())
    db.session.commit()
    return render_template("overview/check_thanks.html", place=place, changed=report is not None)

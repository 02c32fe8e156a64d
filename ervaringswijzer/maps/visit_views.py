"""Going along and looking first: the worker's plan per place on a shared map, asking a place whether a client
may come and look first, and the contact person's answer through a mailed link (no account)."""
from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from ..core.access import requires
from ..core.time import TZ
from ..experts.models import STATUSES
from ..extensions import db, limiter
from ..mail import public_url, queue_mail
from ..notices import notify
from . import bp
from .forms import LookFirstAnswerForm, LookFirstForm, PlanForm
from .lookfirst import answer_look_first, ask_look_first, contact_address, find_open, look_firsts_for
from ..db import commit
from .manage import _owned_or_404
from .visits import Plan, save_plan

TOKEN_LIMIT = "60 per minute"


def _item_or_404(shared, place_id: int):
    item = next((i for i in shared.items if i.place_id == place_id), None)
    if item is None:
        abort(404)
    return item


def _put_errors(form, errors: dict, default: str) -> None:
    for name, message in errors.items():
        field = getattr(form, name, None) or getattr(form, default)
        field.errors = list(field.errors or []) + [str(message)]


def _plan_page(shared, item, plan_form, look_form, status=200):
    return render_template("maps/plan.html", shared=shared, item=item, place=item.place, plan_form=plan_form,
                           look_form=look_form, look_first=look_firsts_for(shared.id).get(item.place_id),
                           has_address=bool(contact_address(item.place)), statuses=STATUSES), status


@bp.route("/mijn-kaarten/<int:map_id>/plek/<int:place_id>", methods=["GET", "POST"])
@requires("shared_map.manage")
def place_plan(map_id: int, place_id: int):
    """Note, 'ik ga mee op', 'een ervaringsdeskundige gaat mee', follow-up day."""
    shared = _owned_or_404(map_id)
    item = _item_or_404(shared, place_id)
    form = PlanForm(obj=None if request.method == "POST" else item)
    if request.method == "GET":
        form.note.data = item.worker_note
        form.expert_along.data = item.expert_request_id is not None
    if form.validate_on_submit():
        errors = save_plan(item, current_user, Plan(
            note=form.note.data or "", going_along_on=form.going_along_on.data,
            expert_along=bool(form.expert_along.data), follow_up_on=form.follow_up_on.data,
            client_initial=form.client_initial.data or ""))
        if not errors:
            commit()
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("maps.place_plan", map_id=map_id, place_id=place_id))
        db.session.rollback()
        shared = _owned_or_404(map_id)
        item = _item_or_404(shared, place_id)
        _put_errors(form, errors, "note")
        return _plan_page(shared, item, form, LookFirstForm(formdata=None), 400)
    return _plan_page(shared, item, form, LookFirstForm(formdata=None))


def _moment_text(moment: datetime) -> str:
    return format_datetime(moment, "EEEE d MMMM yyyy 'om' HH:mm")


@bp.route("/mijn-kaarten/<int:map_id>/plek/<int:place_id>/eerst-kijken", methods=["POST"])
@requires("shared_map.manage")
def ask_look(map_id: int, place_id: int):
    """Propose two or three moments; the contact person gets a mail with a link to answer."""
    shared = _owned_or_404(map_id)
    item = _item_or_404(shared, place_id)
    form = LookFirstForm()
    moments = [f.data.replace(tzinfo=TZ) if f.data else None for f in (form.moment_1, form.moment_2, form.moment_3)]
    found, token, errors = (None, "", {"moments": _("Vul de momenten in als datum en tijd.")}) \
        if not form.validate() else ask_look_first(shared, item.place, current_user, moments,
                                                   form.client_initial.data or "")
    if found is None:
        _put_errors(form, {("moment_1" if k == "moments" else k): v for k, v in errors.items()}, "moment_1")
        plan_form = PlanForm(formdata=None, obj=item)
        plan_form.note.data = item.worker_note
        return _plan_page(shared, item, plan_form, form, 400)
    queued = queue_mail(contact_address(item.place), "mail/look_first", lang="nl", place=item.place.name,
                        worker=current_user.pseudonym, client_initial=found.client_initial,
                        moments=[_moment_text(m) for m in found.moment_times],
                        expires=format_datetime(found.expires_at, "d MMMM yyyy"),
                        link=public_url("maps.look_first_answer", token=token))
    if queued is None:
        db.session.rollback()
        flash(_("Het e-mailadres van de contactpersoon klopt niet. Er is niets verstuurd."), "warning")
        return redirect(url_for("maps.place_plan", map_id=map_id, place_id=place_id))
    commit()
    flash(_("Gevraagd. Je ziet het antwoord bij je berichten en op de kaart."), "success")
    return redirect(url_for("maps.place_plan", map_id=map_id, place_id=place_id))


@bp.route("/eerst-kijken/<token>", methods=["GET", "POST"])
@limiter.limit(TOKEN_LIMIT)
def look_first_answer(token: str):
    """The contact person answers without an account. An unknown, used or expired link gets a kind page."""
    found = find_open(token)
    if found is None:
        return render_template("maps/look_first_gone.html"), 410
    form = LookFirstAnswerForm()
    form.choice.choices = [(str(i), _moment_text(m)) for i, m in enumerate(found.moment_times)]
    if form.validate_on_submit():
        choice = form.choice.data
        errors = answer_look_first(found, int(choice) if choice and choice.isdigit() else None,
                                   form.suggestion.data or "")
        if not errors:
            moment = _moment_text(found.chosen_moment) if found.status == "accepted" else ""
            answer = (_("Het moment %(moment)s past.", moment=moment) if moment
                      else _("Ander moment: %(text)s", text=found.suggestion))
            notify(found.worker, "look_first_answered", endpoint="maps.place_plan",
                   url_values={"map_id": found.shared_map_id, "place_id": found.place_id},
                   place=found.place.name, moment=moment, suggestion=found.suggestion)
            commit()
            return render_template("maps/look_first_thanks.html", found=found, answer=answer)
        _put_errors(form, errors, "suggestion")
    return render_template("maps/look_first_answer.html", form=form, found=found)

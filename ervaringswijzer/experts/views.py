"""Databank pages: an expert's profile, the list of experts, filing and following a request, the coordinator's desk."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from ..core.access import can, requires
from ..core.time import today
from ..edge import parse_id, parse_ids
from ..db import commit
from ..extensions import db
from . import bp
from .forms import NoteForm, ProfileFilterForm, ProfileForm, RequestForm, ThemeForm
from .models import KINDS, OFFERS, STATUSES, ExpertProfile, ExpertRequest, Proposal
from .messages import tell_agreed, tell_answer, tell_finished, tell_proposed
from .overview import overview_csv, year_overview
from .services import (add_note, add_theme, agree, answer_proposal, delete_profile, file_request, find_profiles,
                       finish, held_profiles, open_requests, pause_profile, profile_of, proposals_for, propose,
                       release_profile, remove_theme, requests_of, save_profile, side_of, themes, visible_profile)


def _put_errors(form, errors: dict) -> None:
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors or []) + [str(message)]


def _theme_choices(with_all: bool = False):
    return ([("", _("Alles"))] if with_all else []) + [(str(t.id), t.name) for t in themes()]


# --- the expert's own profile ---------------------------------------------------------------------

@bp.route("/mijn-profiel", methods=["GET", "POST"])
@requires("expert_profile.manage")
def my_profile():
    """Opt-in: nothing is shown until the expert switches the profile on."""
    profile = profile_of(current_user.id)
    form = ProfileForm(obj=None if request.method == "POST" else profile)
    form.themes.choices = _theme_choices()
    if request.method == "GET" and profile is not None:
        form.themes.data = [str(t.id) for t in profile.themes]
        form.offers.data = profile.offer_list
        form.languages.data = ", ".join(profile.language_list)
    if form.validate_on_submit():
        saved, errors = save_profile(current_user, {name: f.data for name, f in form._fields.items()})
        if saved is not None:
            commit()
            if saved.just_held:
                return render_template("experts/take_care.html", what="profile")
            flash(_("Je profiel is opgeslagen.") if saved.visible
                  else _("Je profiel is opgeslagen. Het staat uit: niemand ziet het."), "success")
            return redirect(url_for("experts.my_profile"))
        _put_errors(form, errors)
    return render_template("experts/my_profile.html", form=form, profile=profile)


@bp.route("/mijn-profiel/pauzeren", methods=["POST"])
@requires("expert_profile.manage")
def pause_my_profile():
    profile = profile_of(current_user.id)
    if profile is not None:
        pause_profile(profile)
        commit()
    flash(_("Je profiel staat uit. Niemand ziet het tot je het weer aanzet."), "success")
    return redirect(url_for("experts.my_profile"))


@bp.route("/mijn-profiel/verwijderen", methods=["POST"])
@requires("expert_profile.manage")
def delete_my_profile():
    profile = profile_of(current_user.id)
    if profile is not None:
        delete_profile(profile)
        commit()
    flash(_("Je profiel is verwijderd."), "success")
    return redirect(url_for("experts.my_profile"))


@bp.route("/moderatie/profielen", methods=["GET", "POST"])
@requires("expert_profile.moderate")
def held_list():
    """Profiles held by the crisis check; a moderator reads them and releases them."""
    if request.method == "POST":
        profile = db.session.get(ExpertProfile, parse_id(request.form.get("profile_id")) or -1)
        if profile is None or not profile.held:
            abort(404)
        release_profile(profile, current_user)
        commit()
        flash(_("Het profiel is vrijgegeven."), "success")
        return redirect(url_for("experts.held_list"))
    return render_template("experts/held.html", profiles=held_profiles(), offers=OFFERS)


# --- finding experts ------------------------------------------------------------------------------

@bp.route("/ervaringsdeskundigen")
def expert_list():
    """Public profiles for everyone; every switched-on profile, with filters, for social workers and coordinators."""
    see_all = can("expert_profile.view")
    form = ProfileFilterForm(request.args)
    form.theme.choices = _theme_choices(with_all=True)
    profiles = find_profiles(theme_id=parse_id(form.theme.data), region=form.region.data or "",
                             offer=form.offer.data or "", language=form.language.data or "",
                             public_only=not see_all)
    return render_template("experts/list.html", profiles=profiles, form=form, see_all=see_all, offers=OFFERS)


@bp.route("/ervaringsdeskundigen/<int:profile_id>")
def expert_profile(profile_id: int):
    profile = visible_profile(profile_id, can("expert_profile.view"))
    if profile is None:
        abort(404)
    return render_template("experts/profile.html", profile=profile, offers=OFFERS)


# --- requests -------------------------------------------------------------------------------------

@bp.route("/verzoeken")
@requires("expert_request.file")
def my_requests():
    return render_template("experts/my_requests.html", requests=requests_of(current_user.id),
                           kinds=KINDS, statuses=STATUSES)


@bp.route("/verzoeken/nieuw", methods=["GET", "POST"])
@requires("expert_request.file")
def new_request():
    form = RequestForm()
    if request.method == "GET" and request.args.get("soort") in KINDS:
        form.kind.data = request.args["soort"]
    if form.validate_on_submit():
        filed, errors = file_request(current_user, {name: f.data for name, f in form._fields.items()})
        if filed is not None:
            commit()
            if filed.needs_care:
                return render_template("experts/take_care.html", what="request", req=filed)
            flash(_("Je verzoek is verstuurd. De coördinator zoekt een ervaringsdeskundige."), "success")
            return redirect(url_for("experts.request_detail", request_id=filed.id))
        _put_errors(form, errors)
    return render_template("experts/new_request.html", form=form)


def _request_for_viewer(request_id: int) -> tuple[ExpertRequest, str]:
    """The request and how the viewer relates to it: requester, expert or coordinator; 404 for anyone else."""
    found = db.session.get(ExpertRequest, request_id)
    if found is None:
        abort(404)
    side = side_of(found, current_user)
    if side is None and can("databank.manage"):
        side = "coordinator"
    if side is None:
        abort(404)
    return found, side


@bp.route("/verzoeken/<int:request_id>")
@requires("expert_request.view")
def request_detail(request_id: int):
    found, side = _request_for_viewer(request_id)
    mine = next((p for p in found.proposals if p.profile.member_id == current_user.id), None)
    return render_template("experts/request.html", req=found, side=side, mine=mine, kinds=KINDS,
                           statuses=STATUSES, note_form=NoteForm(),
                           has_note=any(n.author_id == current_user.id for n in found.notes))


@bp.route("/verzoeken/<int:request_id>/afspreken", methods=["POST"])
@requires("expert_request.file")
def agree_request(request_id: int):
    found, side = _request_for_viewer(request_id)
    proposal = db.session.get(Proposal, parse_id(request.form.get("proposal_id")) or -1)
    if side != "requester" or proposal is None or not agree(found, current_user, proposal):
        flash(_("Dat kan niet meer: kijk hieronder hoe het verzoek nu staat."), "warning")
        return redirect(url_for("experts.request_detail", request_id=request_id))
    tell_agreed(found, proposal)
    commit()
    flash(_("Afgesproken. Jullie zien nu elkaars contactgegevens."), "success")
    return redirect(url_for("experts.request_detail", request_id=request_id))


@bp.route("/verzoeken/<int:request_id>/status", methods=["POST"])
@requires("expert_request.file")
def finish_request(request_id: int):
    found, side = _request_for_viewer(request_id)
    status = request.form.get("status")
    if side not in ("requester", "coordinator") or not finish(found, current_user, status or ""):
        flash(_("Dat kan niet meer: kijk hieronder hoe het verzoek nu staat."), "warning")
    else:
        tell_finished(found, current_user)
        commit()
        flash(_("Het verzoek staat nu op: %(status)s.", status=STATUSES[found.status]), "success")
    return redirect(url_for("experts.request_detail", request_id=request_id))


@bp.route("/verzoeken/<int:request_id>/notitie", methods=["POST"])
@requires("expert_request.view")
def note_request(request_id: int):
    found, side = _request_for_viewer(request_id)
    form = NoteForm()
    errors = add_note(found, current_user, form.text.data or "")
    if not errors:
        commit()
        flash(_("Je notitie is bewaard. Alleen de coördinator leest hem."), "success")
        return redirect(url_for("experts.request_detail", request_id=request_id))
    _put_errors(form, errors)
    mine = next((p for p in found.proposals if p.profile.member_id == current_user.id), None)
    return render_template("experts/request.html", req=found, side=side, mine=mine, kinds=KINDS,
                           statuses=STATUSES, note_form=form, has_note=False), 400


# --- the expert's answers -------------------------------------------------------------------------

@bp.route("/mijn-voorstellen")
@requires("expert_request.answer")
def my_proposals():
    return render_template("experts/my_proposals.html", proposals=proposals_for(current_user.id),
                           kinds=KINDS, statuses=STATUSES, profile=profile_of(current_user.id))


@bp.route("/voorstel/<int:proposal_id>", methods=["POST"])
@requires("expert_request.answer")
def answer(proposal_id: int):
    """Yes or no in one tap."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.profile.member_id != current_user.id:
        abort(404)
    accept = request.form.get("answer") == "ja"
    if answer_proposal(proposal, current_user, accept):
        tell_answer(proposal)
        commit()
        flash(_("Dank je. We hebben het doorgegeven.") if accept else _("Dank je. We zoeken iemand anders."),
              "success")
    else:
        flash(_("Dit verzoek is niet meer open."), "warning")
    return redirect(url_for("experts.my_proposals"))


# --- the coordinator's desk -----------------------------------------------------------------------

@bp.route("/databank")
@requires("databank.manage")
def desk():
    return render_template("experts/desk.html", requests=open_requests(), kinds=KINDS, statuses=STATUSES)


@bp.route("/databank/verzoek/<int:request_id>", methods=["GET", "POST"])
@requires("databank.manage")
def match(request_id: int):
    """Filter the profiles by theme, region, offer and language; propose one or more experts."""
    found = db.session.get(ExpertRequest, request_id)
    if found is None:
        abort(404)
    if request.method == "POST":
        added = propose(found, current_user, parse_ids(request.form.getlist("profile_id")))
        if added:
            tell_proposed(found, added)
            commit()
            flash(_("Gevraagd: %(names)s.", names=", ".join(p.profile.display_name for p in added)), "success")
        else:
            flash(_("Kies minstens één ervaringsdeskundige die nog niet gevraagd is."), "warning")
        return redirect(url_for("experts.match", request_id=request_id))
    form = ProfileFilterForm(request.args)
    form.theme.choices = _theme_choices(with_all=True)
    if not request.args:
        form.offer.data, form.language.data = found.kind, found.language
    profiles = find_profiles(theme_id=parse_id(form.theme.data), region=form.region.data or "",
                             offer=form.offer.data or "", language=form.language.data or "")
    asked = {p.profile_id for p in found.proposals}
    return render_template("experts/match.html", req=found, form=form, profiles=profiles, asked=asked,
                           kinds=KINDS, statuses=STATUSES, offers=OFFERS)


@bp.route("/databank/themas", methods=["GET", "POST"])
@requires("databank.manage")
def theme_list():
    form = ThemeForm()
    if request.method == "POST" and request.form.get("remove"):
        if remove_theme(current_user, parse_id(request.form.get("remove")) or -1):
            commit()
            flash(_("Het thema is uit de lijst gehaald."), "success")
        return redirect(url_for("experts.theme_list"))
    if form.validate_on_submit():
        errors = add_theme(current_user, form.name.data or "")
        if not errors:
            commit()
            flash(_("Het thema staat in de lijst."), "success")
            return redirect(url_for("experts.theme_list"))
        _put_errors(form, errors)
    return render_template("experts/themes.html", form=form, themes=themes())


def _year() -> int:
    year = parse_id(request.args.get("jaar"))
    return year if year and 2000 <= year <= 2100 else today().year


def month_names() -> list[str]:

    return [format_date(date(2000, m, 1), "MMM") for m in range(1, 13)]


@bp.route("/databank/overzicht")
@requires("databank.manage")
def year_page():
    return render_template("experts/overview.html", overview=year_overview(_year()), kinds=KINDS,
                           months=month_names())


@bp.route("/databank/overzicht.csv")
@requires("databank.manage")
def year_csv():
    overview = year_overview(_year())
    words = {"kind": _("Soort"), "total": _("Totaal"), "matched": _("Gekoppeld"),
             "unmatched": _("Niet gekoppeld"), "open": _("Nog open"),
             "experts_active": _("Actieve ervaringsdeskundigen")}
    text = overview_csv(overview, {k: str(v) for k, v in KINDS.items()}, month_names(), words)
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=databank-{overview.year}.csv"})

"""A member's own account (password, data download, deleting it) and the admin's member list."""
import json

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, gettext as _
from flask_login import current_user

from ..core.access import requires
from ..db import scrub_deleted_rows
from ..edge import parse_id
from ..extensions import db
from ..i18n import available_languages
from . import bp
from .forms import ChangePasswordForm, DeleteAccountForm
from .models import ROLES, Member
from .privacy import delete_member, export_member_data
from .recovery import tell_password_changed
from .services import all_members, change_password, set_contact_place, set_role
from .views import end_session, start_session
from ..places.wording import ROLE_LABELS



@bp.app_context_processor
def role_labels():
    return {"ROLE_LABELS": ROLE_LABELS}


def _account_page(form, delete_form) -> str:
    # Whether the member has a public page is for reviews to say: has_public_page() in the template.
    return render_template("accounts/account.html", form=form, delete_form=delete_form)


@bp.route("/account", methods=["GET", "POST"])
@requires("account.manage")
def account():
    form = ChangePasswordForm()
    if request.method == "POST":
        errors = change_password(current_user, request.form.get("current", ""), request.form.get("new", ""))
        if not errors:
            tell_password_changed(current_user)
            db.session.commit()
            start_session(current_user._get_current_object())  # this device stays in; every other one is out
            flash(_("Je wachtwoord is veranderd. Op andere apparaten ben je nu uitgelogd."), "success")
            return redirect(url_for(".account"))
        for name, message in errors.items():
            getattr(form, name).errors = [message]
    return _account_page(form, DeleteAccountForm())


@bp.route("/account/taal", methods=["POST"])
@requires("account.manage")
def set_language():
    """The language of the member's mails and notices; the pages follow it from now on too."""
    language = request.form.get("language", "")
    if language not in available_languages():
        abort(400)
    current_user.language = language
    db.session.commit()
    session["lang"] = language
    with force_locale(language):
        flash(_("Opgeslagen: je berichten komen in het Nederlands.") if language == "nl"
              else _("Opgeslagen: je berichten komen in het Engels."), "success")
    return redirect(url_for(".account", lang=language))


@bp.route("/account/mijn-gegevens.json")
@requires("account.manage")
def export_data():
    body = json.dumps(export_member_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": "attachment; filename=ervaringswijzer-mijn-gegevens.json"})


@bp.route("/account/verwijderen", methods=["POST"])
@requires("account.manage")
def delete_account():
    form = DeleteAccountForm()
    if not current_user.check_password(request.form.get("password", "")):
        form.password.errors = [_("Je wachtwoord klopt niet. Je account is niet verwijderd.")]
        return _account_page(ChangePasswordForm(), form), 400
    member = db.session.get(Member, current_user.id)
    end_session(everywhere=False)  # the member row goes, and every session naming it with it
    delete_member(member, keep_reviews=request.form.get("reviews") == "keep")
    db.session.commit()
    scrub_deleted_rows()
    flash(_("Je account is verwijderd. Het ga je goed!"), "success")
    return redirect(url_for("pages.home"))


@bp.route("/account/overal-uitloggen", methods=["POST"])
@requires("account.manage")
def logout_everywhere():
    end_session()
    flash(_("Je bent uitgelogd op alle apparaten, ook op dit apparaat."), "success")
    return redirect(url_for("pages.home"))


@bp.route("/beheer/leden", methods=["GET", "POST"])
@requires("roles.grant")
def members():
    if request.method == "POST":
        member = db.session.get(Member, parse_id(request.form.get("member_id")) or 0)
        if member is None:
            abort(404)
        typed = (request.form.get("contact_place_id") or "").strip()
        place_id = (parse_id(typed) or 0) if typed else None  # 0: no such place, said so below
        error = set_role(member, request.form.get("role", ""), current_user, request.form.get("reason", "")) \
            or set_contact_place(member, place_id, current_user)
        if error:
            db.session.rollback()
            flash(error, "error")
        else:
            db.session.commit()
            flash(_("Opgeslagen voor %(name)s.", name=member.pseudonym), "success")
        return redirect(url_for(".members"))
    return render_template("accounts/members.html", members=all_members(), roles=ROLES)

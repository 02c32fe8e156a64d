"""Wachtwoord vergeten: ask for a link by mail, then choose a new password through it."""
import time

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..ratelimits import limit_from_config
from . import bp
from .forms import ForgotPasswordForm, ResetPasswordForm
from .recovery import LINK_GONE, request_reset, reset_password, valid_reset


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limit_from_config("RATELIMIT_PASSWORD_RESET")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        started = time.monotonic()
        request_reset(form.pseudonym.data)
        db.session.commit()
        time.sleep(max(0.0, current_app.config["PASSWORD_RESET_ANSWER_SECONDS"] - (time.monotonic() - started)))
        return render_template("accounts/forgot_sent.html")
    return render_template("accounts/forgot.html", form=form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@limit_from_config("RATELIMIT_PASSWORD_RESET")
def reset_password_page(token: str):
    form = ResetPasswordForm()
    if valid_reset(token) is None:
        return render_template("accounts/reset.html", form=None, gone=str(LINK_GONE)), 410
    if form.validate_on_submit():
        member, errors = reset_password(token, form.new.data)
        if member is not None:
            db.session.commit()
            flash(_("Je wachtwoord is veranderd. Log in met je nieuwe wachtwoord."), "success")
            return redirect(url_for(".login"))
        db.session.rollback()
        if "token" in errors:
            return render_template("accounts/reset.html", form=None, gone=str(errors["token"])), 410
        form.new.errors = [str(errors["new"])]
    return render_template("accounts/reset.html", form=form, gone=None)

"""Register, log in, log out; a member's own account page; admins grant roles."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..edge import safe_next
from ..extensions import db
from ..ratelimits import limit_from_config
from . import bp
from .forms import LoginForm, RegisterForm
from .services import authenticate, register_member


def start_session(member) -> None:
    """Log member in on this device with a fresh CSRF secret (one seen before login is worth nothing after)."""
    session.pop("csrf_token", None)
    login_user(member)


def end_session(everywhere: bool = True) -> None:
    """Log out here; with everywhere, copies of any of this member's session cookies stop working too.

    Sessions are signed cookies without server-side state, so the only way to make a copied cookie
    worthless is a new session secret, which ends the member's sessions on every device.
    """
    if everywhere and current_user.is_authenticated:
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    session.pop("csrf_token", None)


def _safe_next(target: str | None) -> str:
    return safe_next(target, url_for("pages.home"))


@bp.route("/inloggen", methods=["GET", "POST"])
@limit_from_config("RATELIMIT_LOGIN")
def login():
    form = LoginForm()
    if form.validate_on_submit():
        member = authenticate(form.pseudonym.data, form.password.data)
        if member:
            start_session(member)
            flash(_("Je bent ingelogd."), "success")
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Schuilnaam of wachtwoord klopt niet."))
    return render_template("accounts/login.html", form=form)


@bp.route("/aanmelden", methods=["GET", "POST"])
@limit_from_config("RATELIMIT_REGISTER")
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        member, errors = register_member(form.pseudonym.data, form.password.data, form.email.data)
        if member:
            member.language = get_locale().language  # mails and notices in the language the member signed up in
            db.session.commit()
            start_session(member)
            flash(_("Welkom, %(name)s! Je account is klaar.", name=member.pseudonym), "success")
            return redirect(url_for("pages.home"))
        for field, message in errors.items():
            getattr(form, field).errors.append(message)
    return render_template("accounts/register.html", form=form)


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout():
    end_session()
    flash(_("Je bent uitgelogd."), "success")
    return redirect(url_for("pages.home"))


from . import account_views, recovery_views  # noqa: E402,F401

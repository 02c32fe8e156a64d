"""Language choice: Dutch first, English only when the visitor asks for it.

The visitor asks with ?lang=en (the link in the header); the choice is then kept in the
session. The browser's Accept-Language is not used: the site is Dutch unless you choose.
A language is offered only when its catalog is compiled, so a page never claims to be
English while it shows Dutch.
"""
from flask import current_app, g, has_request_context, request, session, url_for

from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

from .extensions import babel


def available_languages() -> list[str]:
    """The configured languages that can really be shown: the default, and those with a compiled catalog."""
    default, languages = current_app.config["BABEL_DEFAULT_LOCALE"], tuple(current_app.config["LANGUAGES"])
    # Asked twice on every page (the locale, the header's links); the catalogs are read once per app and
    # process anyway (Flask-Babel keeps them), so the folder need not be listed again each time.
    kept = current_app.extensions.setdefault("ew_languages", {})
    if (default, languages) not in kept:
        compiled = {str(locale) for locale in babel.list_translations()}
        kept[default, languages] = [lang for lang in languages if lang == default or lang in compiled]
    return list(kept[default, languages])


def select_locale() -> str:
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # CLI commands and background work speak the default language
        return default
    languages = available_languages()
    for chosen in (request.args.get("lang"), session.get("lang")):
        if chosen in languages:
            return chosen
    return default


LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}  # each in its own language, never translated


def language_url(lang: str) -> str:
    """This page in another language, with the visitor's search and filters kept."""
    if not request.endpoint or request.endpoint == "static":
        return url_for("pages.home", lang=lang)
    values = request.args.to_dict(flat=False)
    values.update(request.view_args or {})
    values["lang"] = lang
    return url_for(request.endpoint, **values)


def page_catalog():
    """The translations of the current language, found with one context lookup.

    Flask-Babel walks four context lookups per translated string; a place page translates over a
    hundred, which cost a tenth of its time. The catalog is kept beside Flask-Babel's own locale and
    follows it, so force_locale (mails in the reader's language) still translates rightly.
    """
    state = g.get("_flask_babel") if g else None
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()
    kept = getattr(state, "ew_catalog", None)
    if kept is None or kept[0] is not locale:
        kept = state.ew_catalog = (locale, get_translations())
    return kept[1]


@pass_context
def _page_gettext(context, string: str, **variables):
    """Jinja's newstyle gettext: escaped on an autoescaping page, always a format string ("%%" is "%")."""
    text = page_catalog().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


@pass_context
def _page_ngettext(context, singular: str, plural: str, num: int, **variables):
    variables.setdefault("num", num)
    text = page_catalog().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_catalog().ugettext(s),
        ngettext=lambda s, p, n: page_catalog().ungettext(s, p, n),
        pgettext=lambda c, s: page_catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_catalog().unpgettext(c, s, p, n), newstyle=True)
    # The two that pages use most, without Jinja's wrappers: its `_` looks "gettext" up again on every
    # call and its gettext calls through the context; a place page translates some fifty strings.
    app.jinja_env.globals.update(_=_page_gettext, gettext=_page_gettext, ngettext=_page_ngettext)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["available_languages"] = available_languages
    app.jinja_env.globals["language_url"] = language_url
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["format_decimal"] = format_decimal  # 3,5 in Dutch, 3.5 in English
    app.jinja_env.globals["format_date"] = format_date
    app.jinja_env.globals["format_datetime"] = format_datetime

    @app.before_request
    def remember_language():
        lang = request.args.get("lang")
        if lang and lang in available_languages():
            session["lang"] = lang

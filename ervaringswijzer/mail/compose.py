"""Render a mail from its templates in the reader's language, with header values that cannot inject."""
from __future__ import annotations

import re
from email.utils import parseaddr
from urllib.parse import quote as url_quote, urljoin

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
# One plain address: no display name, no second address, no line breaks, no spaces.
_ADDRESS = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+\.[^@\s<>,;:\"()\[\]\\]+$")
SUBJECT_MAX = 150


def header_text(value: str, limit: int = SUBJECT_MAX) -> str:
    """One line of header text: line breaks and control characters become spaces, then it is cut."""
    text = " ".join(_CONTROL.sub(" ", str(value or "")).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def clean_address(value: str | None) -> str | None:
    """A single plain e-mail address, or None when the value is not one (or tries to be several)."""
    value = (value or "").strip()
    if not value or len(value) > 254 or _CONTROL.search(value) or not _ADDRESS.match(value):
        return None
    name, address = parseaddr(value)
    return address if address == value and not name else None


def public_url(endpoint: str, **values) -> str:
    """An absolute link to a page of this site, for a mail (PUBLIC_URL, else the current request's host)."""
    base = current_app.config.get("PUBLIC_URL") or ""
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    return urljoin((base or "http://127.0.0.1:5000").rstrip("/") + "/", site_path(endpoint, **values).lstrip("/"))


def site_path(endpoint: str, **values) -> str:
    """The path of a page of this site (/account), inside a request or not."""
    if has_request_context():
        return url_for(endpoint, **values)
    anchor = values.pop("_anchor", None)
    adapter = current_app.url_map.bind("localhost", url_scheme="http")  # url_for outside a request wants SERVER_NAME
    path = adapter.build(endpoint, values)
    return f"{path}#{url_quote(anchor, safe='')}" if anchor else path


def render_mail(template: str, lang: str = "nl", **context) -> tuple[str, str, str]:
    """(subject, plain text, HTML) from `<template>.subject.txt`, `<template>.txt` and `<template>.html`.

    The HTML is autoescaped (a .html template); the plain text is not escaped, which is right for
    text/plain. Both are rendered in `lang`, the reader's language, whatever the page's language is.
    """
    languages = current_app.config.get("LANGUAGES", ["nl"])
    with force_locale(lang if lang in languages else current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = header_text(render_template(f"{template}.subject.txt", **context))
        text = render_template(f"{template}.txt", **context).strip() + "\n"
        html = render_template(f"{template}.html", subject=subject, **context)
    return subject, text, html


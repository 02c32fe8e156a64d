"""Mail: a queue in the database, filled in the transaction of a change and sent after its commit.

Send a mail with `queue_mail(to, template, lang, **context)` (mail/queue.py). Templates are
`<template>.subject.txt`, `<template>.txt` and `<template>.html` (the HTML extends mail/base.html).
"""
from flask import Blueprint
from sqlalchemy.orm import Session

from ..extensions import mail
from . import cli, models, queue  # noqa: F401
from .compose import clean_address, header_text, public_url, render_mail  # noqa: F401
from .queue import queue_mail, send_due, wait_for_background  # noqa: F401

bp = Blueprint("mail", __name__, template_folder="templates")


def init_app(app) -> None:
    mail.init_app(app)
    queue.listen(Session)
    app.register_blueprint(bp)
    cli.init_app(app)

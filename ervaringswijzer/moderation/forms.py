"""Moderation forms: a reader's report, and the moderator's decisions, which each carry a reason."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField


class DecisionForm(FlaskForm):
    action = HiddenField()
    reason = TextAreaField(_l("Reden"))


class RedactForm(FlaskForm):
    text = TextAreaField(_l("Tekst van de ervaring"))
    reason = TextAreaField(_l("Reden"))



class ReportForm(FlaskForm):
    reason = TextAreaField(_l("Waarom hoort deze ervaring hier niet?"))

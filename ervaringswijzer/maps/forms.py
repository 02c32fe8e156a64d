"""Forms for shared maps and for setting a pin by hand."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, DateTimeLocalField, DecimalField, RadioField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..edge import DayInWindow, FiniteNumber
from .shared import NOTE_MAX, TITLE_MAX


class SharedMapForm(FlaskForm):
    title = StringField(_l("Naam van de kaart"), validators=[
        DataRequired(_l("Geef de kaart een naam.")), Length(max=TITLE_MAX)],
        description=_l("Bijvoorbeeld: Plekken bij jou in de buurt. Gebruik geen achternaam."))
    note = TextAreaField(_l("Notitie voor je cliënt (mag leeg blijven)"), validators=[Optional(), Length(max=NOTE_MAX)],
                         description=_l("Deze tekst staat boven de kaart en op de afdruk."))
    expires_on = DateField(_l("Werkt tot en met (mag leeg blijven)"), validators=[Optional(), DayInWindow()],
                           description=_l("Na deze dag werkt de link niet meer."))


class PinForm(FlaskForm):
    lat = DecimalField(_l("Breedtegraad (lat)"), places=6, validators=[
        FiniteNumber(), DataRequired(_l("Vul de breedtegraad in.")), NumberRange(-90, 90)],
        description=_l("Bijvoorbeeld 52.09071"))
    lon = DecimalField(_l("Lengtegraad (lon)"), places=6, validators=[
        FiniteNumber(), DataRequired(_l("Vul de lengtegraad in.")), NumberRange(-180, 180)],
        description=_l("Bijvoorbeeld 5.12142"))


class PlanForm(FlaskForm):
    """Per place on a shared map: going along the first time."""
    note = TextAreaField(_l("Jouw notitie bij deze plek (mag leeg blijven)"), validators=[Optional()],
                         description=_l("Je cliënt ziet dit op de kaart, zoals: vraag naar Petra, zij weet dat je komt."))
    going_along_on = DateField(_l("Ik ga mee op (mag leeg blijven)"), validators=[Optional(), DayInWindow()])
    expert_along = BooleanField(_l("Een ervaringsdeskundige gaat mee (dit maakt een verzoek aan de databank)"))
    client_initial = StringField(_l("Voornaam of voorletter van je cliënt (voor de ervaringsdeskundige)"),
                                 validators=[Optional()],
                                 description=_l("Alleen een voornaam of een voorletter. Nooit een achternaam, "
                                                "geboortedatum, BSN of diagnose."))
    follow_up_on = DateField(_l("Nabellen of langsgaan op (mag leeg blijven)"), validators=[Optional(), DayInWindow()],
                             description=_l("Je krijgt de dag ervoor een herinnering."))


class LookFirstForm(FlaskForm):
    """Two or three moments for a client to come and look first."""
    moment_1 = DateTimeLocalField(_l("Moment 1"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    moment_2 = DateTimeLocalField(_l("Moment 2"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    moment_3 = DateTimeLocalField(_l("Moment 3 (mag leeg blijven)"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    client_initial = StringField(_l("Voornaam of voorletter van je cliënt (mag leeg blijven)"), validators=[Optional()],
                                 description=_l("Alleen een voornaam of een voorletter."))


class LookFirstAnswerForm(FlaskForm):
    choice = RadioField(_l("Welk moment past?"), validate_choice=False, validators=[Optional()])
    suggestion = StringField(_l("Of stel een ander moment voor"), validators=[Optional()],
                             description=_l("Zoals: woensdag 10 december om 14.00 uur"))

"""Forms for shared maps and for setting a pin by hand."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, StringField, TextAreaField
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

"""Databank forms: they collect text; every rule lives in services, so a refusal keeps what was typed."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..edge import DayInWindow
from .models import KINDS, OFFERS


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Naam die je laat zien"),
                               description=_l("Je schuilnaam of je echte naam: jij kiest."))
    region = StringField(_l("Regio (plaatsen of wijken)"), description=_l("Bijvoorbeeld: Utrecht, Overvecht, Zeist"))
    themes = CheckboxesField(_l("Thema's uit je ervaring"), validate_choice=False, coerce=str)
    offers = CheckboxesField(_l("Wat bied je aan?"), validate_choice=False,
                             choices=[SelectChoice(key, label) for key, label in OFFERS.items()])
    languages = StringField(_l("Talen"), description=_l("Taalcodes met komma's ertussen, zoals: nl, en, ar"))
    availability = StringField(_l("Wanneer kun je?"), description=_l("In je eigen woorden, zoals: dinsdag en donderdag overdag"))
    text = TextAreaField(_l("Korte tekst over jezelf (mag leeg blijven)"),
                         description=_l("Noem geen namen of diagnoses van anderen."))
    contact = StringField(_l("Hoe kunnen ze je bereiken?"),
                          description=_l("Telefoon of e-mail. Alleen te zien voor wie met jou een afspraak maakt."))
    visible = BooleanField(_l("Mijn profiel staat aan (hulpverleners en coördinatoren zien het)"))
    public = BooleanField(_l("Iedereen mag mijn profiel zien, ook zonder account"))


class RequestForm(FlaskForm):
    kind = SelectField(_l("Wat voor verzoek?"), validate_choice=False,
                       choices=[SelectChoice("", _l("Kies"))] + [SelectChoice(k, label) for k, label in KINDS.items()])
    topic = StringField(_l("Onderwerp"), description=_l("Kort, zoals: voorlichting over herstel voor een team"))
    audience = StringField(_l("Voor wie? (mag leeg blijven)"), description=_l("Zoals: een team van 12 begeleiders"))
    place_text = StringField(_l("Plek"), description=_l(
        "Waar het is. Bij meegaan: alleen de plek waar je cliënt heen gaat, geen adres van je cliënt."))
    wanted_on = DateField(_l("Datum (mag leeg blijven)"), validators=[Optional(), DayInWindow()])
    period = StringField(_l("Of een periode (mag leeg blijven)"), description=_l("Zoals: in maart, op een dinsdag"))
    language = StringField(_l("Taal"), default="nl", description=_l("Een taalcode, zoals nl of en"))
    client_initial = StringField(_l("Voornaam of voorletter van je cliënt (alleen bij meegaan)"), description=_l(
        "Alleen een voornaam of een voorletter. Nooit een achternaam, geboortedatum, BSN of diagnose."))
    details = TextAreaField(_l("Meer uitleg (mag leeg blijven)"), description=_l(
        "Schrijf geen volledige naam, geboortedatum, BSN of diagnose van een cliënt."))
    contact = StringField(_l("Hoe kan de ervaringsdeskundige je bereiken?"),
                          description=_l("Telefoon of e-mail. Pas te zien als jullie allebei ja zeggen."))


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Korte notitie voor de coördinator"),
                         description=_l("Alleen de coördinator leest dit. Schrijf geen namen van cliënten."))


class ThemeForm(FlaskForm):
    name = StringField(_l("Nieuw thema"))


class ProfileFilterForm(FlaskForm):
    class Meta:
        csrf = False

    theme = SelectField(_l("Thema"), validate_choice=False, coerce=str)
    region = StringField(_l("Regio"))
    offer = SelectField(_l("Aanbod"), validate_choice=False,
                        choices=[SelectChoice("", _l("Alles"))] + [SelectChoice(k, label) for k, label in OFFERS.items()])
    language = StringField(_l("Taal"))

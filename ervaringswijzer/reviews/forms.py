"""Review, response and report forms. The rules live in services.py; the forms keep what was typed."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MonthField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

STARS = [SelectChoice(str(n), str(n)) for n in range(1, 6)]


def _stars(label, description):
    # validate_choice=False: services.py gives the one clear Dutch message for a missing choice.
    return RadioField(label, choices=STARS, validate_choice=False, description=description)


class ReviewForm(FlaskForm):
    welcome = _stars(_l("Welkom voelen"), _l("Voelde je je welkom toen je binnenkwam?"))
    respect = _stars(_l("Gelijkwaardig behandeld"), _l("Werd je behandeld als gelijke?"))
    calm = _stars(_l("Sfeer, rust en veiligheid"), _l("Was het er rustig en voelde je je veilig?"))
    access = _stars(_l("Makkelijk binnenkomen"), _l("Was het makkelijk te vinden en binnen te lopen?"))
    recommend = RadioField(_l("Zou je het een ander aanraden?"), choices=[SelectChoice("yes", _l("Ja")), SelectChoice("no", _l("Nee"))],
                           validate_choice=False)
    visit_month = MonthField(_l("Wanneer was je er?"), format="%Y-%m",
                             description=_l("De maand van je (laatste) bezoek."))
    text = TextAreaField(_l("Jouw ervaring"), description=_l(
        "Vertel hoe het voelde om er te komen. Noem geen namen van medewerkers of andere bezoekers."))


class ResponseForm(FlaskForm):
    text = TextAreaField(_l("Reactie van de plek"))

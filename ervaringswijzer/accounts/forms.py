"""Login and registration forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional


class LoginForm(FlaskForm):
    pseudonym = StringField(_l("Schuilnaam"), validators=[DataRequired(_l("Vul je schuilnaam in."))])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul je wachtwoord in."))])


class RegisterForm(FlaskForm):
    pseudonym = StringField(_l("Schuilnaam"), validators=[DataRequired(_l("Kies een schuilnaam.")), Length(3, 40)],
                            description=_l("Een naam die anderen zien. Gebruik niet je echte naam."))
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Kies een wachtwoord."))],
                             description=_l("Minstens 10 tekens."))
    email = EmailField(_l("E-mail (mag leeg blijven)"), validators=[Optional(), Length(max=200)],
                       description=_l("Alleen nodig als je je wachtwoord kwijt raakt."))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Huidig wachtwoord"))
    new = PasswordField(_l("Nieuw wachtwoord"), description=_l("Minstens 10 tekens."))


class DeleteAccountForm(FlaskForm):
    reviews = RadioField(_l("Wat doen we met je ervaringen?"), validate_choice=False, default="remove", choices=[
        SelectChoice("remove", _l("Verwijder ze ook")),
        SelectChoice("keep", _l("Laat ze staan zonder mijn schuilnaam (als ‘oud-lid’)"))])
    password = PasswordField(_l("Je wachtwoord, ter controle"))


class ForgotPasswordForm(FlaskForm):
    pseudonym = StringField(_l("Schuilnaam"), validators=[DataRequired(_l("Vul je schuilnaam in."))])


class ResetPasswordForm(FlaskForm):
    new = PasswordField(_l("Nieuw wachtwoord"), validators=[DataRequired(_l("Kies een wachtwoord."))],
                        description=_l("Minstens 10 tekens."))

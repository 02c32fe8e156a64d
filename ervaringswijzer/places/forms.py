"""Place forms: the fields a member suggests and the full set a moderator corrects, built from one definition.

The forms only collect text; every rule lives in services.validate_place_data, so a place typed in
here follows the same rules as an import. Form values become a PLACE-shaped dict and the
validation errors (keyed like "address.postcode") are put back on the fields they belong to.
"""
from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from ..edge import parse_id
from .categories import CATEGORIES, FLAG_KEYS, FLAGS, PARTICIPATION_RUNGS
from .hours_form import HoursChoice, choose_hours

SUGGEST_FLAGS = ("walk_in", "no_referral", "free", "peer_experts", "wheelchair", "quiet_space")

# Validation error key -> form field that shows it.
FIELD_OF_ERROR = {
    "address.street": "street", "address.postcode": "postcode", "address.city": "city", "address.wijk": "wijk",
    "contact.phone": "phone", "contact.email": "email", "contact.website": "website",
    "contact_person.name": "contact_name", "contact_person.role": "contact_role",
    "contact_person.phone": "contact_phone", "contact_person.email": "contact_email",
    "first_visit.arrival": "first_arrival", "first_visit.greeter": "first_greeter",
    "first_visit.quiet_times": "first_quiet_times", "first_visit.busy_times": "first_busy_times",
    "first_visit.coffee_free": "first_coffee_free", "first_visit.signup_required": "first_signup_required",
}
# The import's wording speaks of JSON lists; a form speaks of what to type.
FORM_MESSAGES = {"languages": _l("Schrijf taalcodes met komma's ertussen, zoals: nl, en, ar")}

# Messages for the opening-hours rows (places/hours_form.py), in the page's language.
HOURS_MESSAGES = {"time": _l("Vul een begin- en eindtijd in, zoals 09:00 en 17:00."),
                  "date": _l("Vul een datum in, zoals 24-12-2026."),
                  "order": _l("De einddatum ligt voor de begindatum.")}


def posted_hours(form: PlaceFieldsForm, posted) -> HoursChoice:
    """Which hours the posted rows or raw field mean; the raw field then carries them to validation."""
    hours = choose_hours(posted, {key: str(message) for key, message in HOURS_MESSAGES.items()})
    form.opening_hours.data = hours.text
    return hours


YES_NO = [SelectChoice("", _l("Weet ik niet")), SelectChoice("yes", _l("Ja")), SelectChoice("no", _l("Nee"))]


class PlaceFieldsForm(FlaskForm):
    """The fields every place form shares: name, what you can do there, address, phone, website, hours."""
    name = StringField(_l("Naam van de plek"))
    description = TextAreaField(_l("Wat kun je er doen?"))
    street = StringField(_l("Straat en huisnummer"))
    postcode = StringField(_l("Postcode"))
    city = StringField(_l("Plaats"))
    wijk = StringField(_l("Wijk (mag leeg blijven)"))
    phone = StringField(_l("Telefoon (mag leeg blijven)"))
    website = StringField(_l("Website (mag leeg blijven)"))
    opening_hours = StringField(_l("Openingstijden als tekst (mag leeg blijven)"),
                                description=_l("Zoals: Mo-Fr 10:00-16:00. Weet je het niet? Laat het leeg."))


class SuggestPlaceForm(PlaceFieldsForm):
    category = SelectField(_l("Soort plek"), choices=[SelectChoice("", _l("Kies een soort"))]
                           + [SelectChoice(key, label) for key, label in CATEGORIES.items()],
                           validate_choice=False)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlaceEditForm(PlaceFieldsForm):
    """Everything about a place, for a moderator who corrects it."""
    categories = CheckboxesField(_l("Soort plek"), validate_choice=False,
                                 choices=[SelectChoice(key, label) for key, label in CATEGORIES.items()])
    email = StringField(_l("E-mail (mag leeg blijven)"))
    contact_name = StringField(_l("Naam van de wegwijzer (mag leeg blijven)"))
    contact_role = StringField(_l("Rol van de wegwijzer, zoals: ervaringsdeskundige (mag leeg blijven)"))
    contact_phone = StringField(_l("Telefoon van de wegwijzer (niet openbaar, mag leeg blijven)"),
                                description=_l("Alleen hulpverleners en coördinatoren zien dit."))
    contact_email = StringField(_l("E-mail van de wegwijzer (niet openbaar, mag leeg blijven)"),
                                description=_l("Alleen hulpverleners en coördinatoren zien dit. Hierheen gaan "
                                               "vragen om eerst te komen kijken."))
    languages = StringField(_l("Talen"), description=_l("Taalcodes met komma's ertussen, zoals: nl, en, ar"))
    participation_rung = SelectField(
        _l("Trede op de participatieladder"), validate_choice=False,
        choices=[SelectChoice("", _l("Niet van toepassing"))]
        + [SelectChoice(str(n), f"{n} — {label}") for n, label in PARTICIPATION_RUNGS.items()])
    first_arrival = TextAreaField(_l("Wat gebeurt er als je binnenkomt?"))
    first_greeter = TextAreaField(_l("Wie ontvangt je?"))
    first_coffee_free = SelectField(_l("Is koffie of thee gratis?"), choices=YES_NO, validate_choice=False)
    first_signup_required = SelectField(_l("Moet je je eerst aanmelden?"), choices=YES_NO, validate_choice=False)
    first_quiet_times = StringField(_l("Wanneer is het rustig?"))
    first_busy_times = StringField(_l("Wanneer is het druk?"))
    status = SelectField(_l("Status"), validate_choice=False, choices=[
        SelectChoice("published", _l("Op de kaart")), SelectChoice("suggested", _l("Voorgesteld, nog niet op de kaart")),
        SelectChoice("archived", _l("Gearchiveerd, niet meer op de kaart"))])
    last_checked = StringField(_l("Laatst gecontroleerd op"), render_kw={"type": "date"},
                               description=_l("Een datum, zoals 2026-10-14. Mag leeg blijven."))
    checked_today = BooleanField(_l("Ik heb de gegevens vandaag gecontroleerd"))
    check_interval_months = SelectField(
        _l("Vraag de wegwijzer om een controle na"), validate_choice=False,
        choices=[SelectChoice(str(n), label) for n, label in (
            (1, _l("1 maand")), (3, _l("3 maanden")), (6, _l("6 maanden")), (12, _l("12 maanden")),
            (24, _l("24 maanden")))])
    report_id = HiddenField()
    version = HiddenField()  # the place's version this edit started from (optimistic locking)


for _flag in FLAG_KEYS:
    setattr(PlaceEditForm, _flag, BooleanField(FLAGS[_flag]))
    if _flag in SUGGEST_FLAGS:
        setattr(SuggestPlaceForm, _flag, BooleanField(FLAGS[_flag]))


def _text(field) -> str:
    return field.data or ""


def shared_place_data(form: PlaceFieldsForm) -> dict:
    """The PLACE-shaped part that every place form fills in."""
    return {
        "name": _text(form.name), "description": _text(form.description),
        "address": {"street": _text(form.street), "postcode": _text(form.postcode),
                    "city": _text(form.city), "wijk": _text(form.wijk)},
        "contact": {"phone": _text(form.phone), "website": _text(form.website)},
        "opening_hours": _text(form.opening_hours).strip() or None,
    }


def suggest_place_data(form: SuggestPlaceForm) -> dict:
    data = shared_place_data(form)
    data["categories"] = [form.category.data] if form.category.data else []
    data["flags"] = {flag: bool(getattr(form, flag).data) for flag in SUGGEST_FLAGS}
    return data


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _rung(value: str | None):
    value = (value or "").strip()
    # A number the validation checks; anything else is passed on as text so it is refused there.
    number = parse_id(value)
    return number if number is not None else (value or None)


def edit_place_data(form: PlaceEditForm, today: date) -> dict:
    """The whole PLACE-shaped dict from the edit form (the slug is the caller's)."""
    data = shared_place_data(form)
    data["contact"]["email"] = _text(form.email)
    data.update(
        categories=list(form.categories.data or []),
        flags={flag: bool(getattr(form, flag).data) for flag in FLAG_KEYS},
        contact_person={"name": _text(form.contact_name), "role": _text(form.contact_role),
                        "phone": _text(form.contact_phone), "email": _text(form.contact_email)},
        languages=[code for code in re.split(r"[\s,;]+", _text(form.languages).lower()) if code],
        participation_rung=_rung(form.participation_rung.data),
        first_visit={"arrival": _text(form.first_arrival), "greeter": _text(form.first_greeter),
                     "quiet_times": _text(form.first_quiet_times), "busy_times": _text(form.first_busy_times),
                     "coffee_free": _yes_no(form.first_coffee_free.data),
                     "signup_required": _yes_no(form.first_signup_required.data)},
        status=form.status.data or "published",
        last_checked=today.isoformat() if form.checked_today.data else _text(form.last_checked).strip() or None,
        check_interval_months=_rung(form.check_interval_months.data),
    )
    return data


def _yes_no_value(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def edit_form_values(place) -> dict:
    """What the edit form shows for a stored place."""
    values = {key: getattr(place, key) for key in (
        "name", "description", "postcode", "city", "wijk", "phone", "email", "website", "contact_name",
        "contact_role", "contact_phone", "contact_email", "first_arrival", "first_greeter", "first_quiet_times", "first_busy_times", "status")}
    values.update({flag: getattr(place, flag) for flag in FLAG_KEYS})
    values.update(
        street=place.street_line, categories=list(place.categories), opening_hours=place.opening_hours or "",
        languages=", ".join(place.language_list),
        participation_rung=str(place.participation_rung or ""),
        first_coffee_free=_yes_no_value(place.first_coffee_free),
        first_signup_required=_yes_no_value(place.first_signup_required),
        last_checked=place.last_checked.isoformat() if place.last_checked else "",
        check_interval_months=str(place.check_interval_months or 6))
    return values


def show_errors(form: FlaskForm, errors: dict[str, str]) -> None:
    """Put validation errors on the fields they belong to (unknown keys go to the name field)."""
    for key, message in errors.items():
        name = FIELD_OF_ERROR.get(key, key)
        if key == "categories" and not hasattr(form, "categories"):
            name = "category"
        field = getattr(form, name, None) or form.name
        field.errors = list(field.errors or []) + [FORM_MESSAGES.get(key, message)]


class ImportForm(FlaskForm):
    """An import: a file or a URL, the format (or let the content say), and the source's name."""
    upload = FileField(_l("Bestand"), description=_l("JSON, GeoJSON, CSV, HSDS (JSON) of een HSDS-zip."))
    url = StringField(_l("Of een internetadres"),
                      description=_l("Alleen van bronnen die de beheerder heeft toegestaan."))
    fmt = SelectField(_l("Formaat"), choices=[SelectChoice("", _l("Zelf herkennen")), SelectChoice("json", "JSON"),
                                               SelectChoice("geojson", "GeoJSON"), SelectChoice("csv", "CSV"),
                                               SelectChoice("hsds", "HSDS (JSON)"),
                                               SelectChoice("hsds-csv", _l("HSDS (zip met CSV)"))],
                      validate_choice=False)
    source = StringField(_l("Naam van de bron (mag leeg)"),
                         description=_l("Plekken met een eigen id uit deze bron worden bij een volgende import "
                                        "bijgewerkt in plaats van dubbel toegevoegd."))


class ImportConfirmForm(FlaskForm):
    token = HiddenField()

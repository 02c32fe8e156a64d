"""The form behind a check mail's "Wijzigen" link: the place's own fields, as the contact person sees them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from ..places.forms import PlaceFieldsForm
from ..places.dutch_hours import hours_from_input
from ..places.hours import HoursError

FIELDS = ("name", "description", "street", "postcode", "city", "wijk", "phone", "email", "website",
          "opening_hours", "contact_name", "contact_role")
MAX_LENGTH = 2000


class PlaceChangeForm(PlaceFieldsForm):
    email = StringField(_l("E-mail van de plek (mag leeg blijven)"))
    contact_name = StringField(_l("Naam van de wegwijzer (mag leeg blijven)"))
    contact_role = StringField(_l("Rol van de wegwijzer (mag leeg blijven)"))


def proposed_values(form: PlaceChangeForm) -> tuple[dict[str, str], dict[str, str]]:
    """(values, errors): the typed values, one line each; errors keyed by field name."""
    values = {name: " ".join((form[name].data or "").split()) if name != "description"
              else (form[name].data or "").strip() for name in FIELDS}
    errors = {name: str(_l("Dit is te lang.")) for name, value in values.items() if len(value) > MAX_LENGTH}
    if not values["name"]:
        errors["name"] = str(_l("Vul de naam van de plek in."))
    try:
        values["opening_hours"] = hours_from_input(values["opening_hours"]) or ""
    except HoursError as exc:
        errors["opening_hours"] = exc.message
    return values, errors

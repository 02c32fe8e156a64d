"""Category keys (a contract: partners filter on them) and the client-perspective flags."""
from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "walk_in_centre": _l("Inloop & huiskamer"),
    "day_activities": _l("Dagbesteding"),
    "sheltered_work": _l("Arbeidsmatige dagbesteding & beschut werk"),
    "volunteering": _l("Vrijwilligerswerk"),
    "help_advice": _l("Hulp & advies"),
    "self_help": _l("Zelfhulp & lotgenoten"),
    "peer_support": _l("Ervaringsdeskundige ondersteuning"),
    "sport": _l("Sport & bewegen"),
    "creative": _l("Creatief & cultuur"),
    "food_coffee": _l("Eten & koffie"),
    "repair_reuse": _l("Repair café & kringloop"),
    "learning_computers": _l("Leren & computer"),
    "community_centre": _l("Buurthuis"),
}
CATEGORY_KEYS = tuple(CATEGORIES)

FLAGS = {
    "walk_in": _l("Binnenlopen zonder afspraak"),
    "no_referral": _l("Geen verwijzing nodig"),
    "free": _l("Gratis"),
    "client_run": _l("Door cliënten gerund"),
    "peer_experts": _l("Ervaringsdeskundigen aanwezig"),
    "wheelchair": _l("Toegankelijk met rolstoel"),
    "bring_someone": _l("Iemand meenemen mag"),
    "look_first": _l("Eerst komen kijken mag"),
    "quiet_space": _l("Prikkelarm"),
}
FLAG_KEYS = tuple(FLAGS)

STATUSES = ("suggested", "published", "archived")

PARTICIPATION_RUNGS = {
    1: _l("Geïsoleerd"),
    2: _l("Sociale contacten buiten de deur"),
    3: _l("Deelname aan georganiseerde activiteiten"),
    4: _l("Onbetaald werk"),
    5: _l("Betaald werk met ondersteuning"),
    6: _l("Betaald werk"),
}


def category_label(key: str) -> str:
    return str(CATEGORIES.get(key, key))


def flag_label(key: str) -> str:
    return str(FLAGS.get(key, key))

"""Who may do what, decided in one place."""
from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager

MEMBERS = ("member", "peer_expert", "social_worker", "coordinator", "moderator")

# action -> roles allowed (admin is always allowed). Views ask `can(action)` or use @requires.
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "account.manage": MEMBERS,           # own password, data export, deleting the account
    "inbox.view": MEMBERS,               # own notices at /berichten
    "review.write": MEMBERS,
    "review.respond": MEMBERS,           # and only as the place's verified contact (see OBJECT_RULES)
    "place.suggest": MEMBERS,
    "place.confirm": ("peer_expert", "moderator"),
    "place.edit": ("moderator",),
    "moderate": ("moderator",),
    "audit.view": ("moderator",),
    "crisis.edit": ("moderator",),       # add phrases to the crisis check
    "shared_map.manage": ("social_worker",),
    "overview.view": ("coordinator",),    # the city's dashboard /overzicht
    "expert_profile.manage": ("peer_expert",),        # one's own expert profile
    "expert_profile.view": ("social_worker", "coordinator"),  # every visible profile, not only public ones
    "expert_request.file": ("social_worker", "coordinator"),
    "expert_request.view": ("peer_expert", "social_worker", "coordinator"),  # and only one's own (OBJECT_RULES)
    "expert_request.answer": ("peer_expert",),        # say yes or no to a proposal
    "expert_profile.moderate": ("moderator",),     # release a profile held by the crisis check
    "databank.manage": ("coordinator",),              # open requests, proposing experts, themes, the year
    "place.contact_view": ("social_worker", "coordinator"),  # the contact person's own phone and e-mail
    "roles.grant": (),
    "place.import": (),                  # admins only: imports change many places at once
}

# Rules that also depend on the object acted on: fn(user, target) -> bool, checked after the role.
OBJECT_RULES = {
    "review.respond": lambda user, review: user.contact_place_id == review.place_id
    and review.member_id != user.id,
    "place.confirm": lambda user, place: place.suggested_by_id != user.id,
}


def can(action: str, user=None, target=None) -> bool:
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.has_role(*PERMISSIONS[action]):
        return False
    rule = OBJECT_RULES.get(action)
    return target is None or rule is None or rule(user, target)


def requires(action: str):
    """Logged-out visitors go to the login page; logged-in members without the role get 403."""
    if action not in PERMISSIONS:
        raise KeyError(action)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(action):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def require_can(action: str, target) -> None:
    """For views that load the object first: 403 unless the object rule allows it."""
    if not can(action, target=target):
        abort(403)

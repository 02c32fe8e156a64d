"""Who may do what, decided in one place."""
from functools import wraps

from flask import abort
from flask_login import current_user

# action -> roles allowed (admin is always allowed). Views ask `can(action)` or use @requires.
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "review.write": ("member", "peer_expert", "social_worker", "moderator"),
    "place.suggest": ("member", "peer_expert", "social_worker", "moderator"),
    "place.confirm": ("peer_expert", "moderator"),
    "place.edit": ("moderator",),
    "moderate": ("moderator",),
    "shared_map.manage": ("social_worker",),
    "roles.grant": (),
}


def can(action: str, user=None) -> bool:
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role(*PERMISSIONS[action])


def requires(action: str):
    """Logged-out visitors go to the login page; logged-in members without the role get 403."""
    if action not in PERMISSIONS:
        raise KeyError(action)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from ..extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(action):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator

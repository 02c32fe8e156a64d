"""Rate limits on login, registration, reviews, reports, search and the API, read from config.

The limiter counts in memory by default and in Redis when RATELIMIT_STORAGE_URI says so (needed
as soon as more than one process serves the site). Addresses are only counted, never stored with data.
"""
from fnmatch import fnmatch

from flask import current_app

from .extensions import limiter

# Endpoints that search; the search package's own endpoints (the place list among them) match "search.*".
SEARCH_ENDPOINTS = ("api.places", "search.*", "api.search")
# Every endpoint under /api/v1 (the API blueprint and the search package's API views).
API_ENDPOINTS = ("api.*", "search.api_*")


def _from_config(key: str):
    return lambda: current_app.config[key]


def limit_from_config(key: str, methods=("POST",)):
    """Decorator: the limit named in config[key], counted per address, on the given methods only."""
    return limiter.limit(_from_config(key), methods=list(methods) if methods else None)


# Made once: the limiter keeps a set of limits per view, so the same object must be reused when
# several apps (tests) wrap the same view.
_search_limit = limiter.shared_limit(_from_config("RATELIMIT_SEARCH"), scope="search")
_api_limit = limiter.shared_limit(_from_config("RATELIMIT_API"), scope="api")


def init_app(app) -> None:
    """Put the search limit on every search endpoint and the API limit on every API endpoint
    registered so far (call after the blueprints)."""
    for endpoint, view in list(app.view_functions.items()):
        if any(fnmatch(endpoint, pattern) for pattern in SEARCH_ENDPOINTS):
            view = app.view_functions[endpoint] = _search_limit(view)
        if any(fnmatch(endpoint, pattern) for pattern in API_ENDPOINTS):
            app.view_functions[endpoint] = _api_limit(view)

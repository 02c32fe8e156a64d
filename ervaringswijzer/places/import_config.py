"""The import limits and allowed source hosts, read from the app's config (IMPORT_*)."""
from __future__ import annotations

from .fetch import FetchLimits


def _list(value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(v.strip() for v in value or () if v and v.strip())


def fetch_limits(config) -> FetchLimits:
    return FetchLimits(allowed_hosts=_list(config.get("IMPORT_ALLOWED_HOSTS")),
                       max_bytes=int(config.get("IMPORT_MAX_BYTES", 20_000_000)),
                       timeout=float(config.get("IMPORT_TIMEOUT", 20)),
                       allowed_networks=_list(config.get("IMPORT_ALLOWED_NETWORKS")))

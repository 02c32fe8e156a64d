"""The one way a lower package hears from the packages above it: named blinker signals.

A package never imports a package above it. Where it needs their part (ratings on a place, review
texts in a search document, a member's data in the export, a health check, demo data), it sends one
of the signals below and uses what the receivers return. Each package connects its receivers in its
own init_app with `signal.connect(fn)`; receivers are module-level functions (blinker holds them
weakly) that take the sender (always None here) and keyword arguments.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

health_check = _signals.signal("health-check")
"""GET /health asks, no arguments. Receivers return {name: (ok, detail)}."""

demo_seeders = _signals.signal("demo-seeders")
"""seed-demo asks, no arguments. Receivers return (order, fn): fn() adds demo rows (flush, no commit)
and returns a one-line summary. Lower orders run first: a domain's data before the data built on it."""

place_ratings = _signals.signal("place-ratings")
"""places asks with place_ids=[...]. Receivers return {place_id: rating} in the API's rating shape."""

place_ranking = _signals.signal("place-ranking")
"""places asks with place_ids=[...]. Receivers return {place_id: score} for the rated places among them:
the one Bayesian average every "best rated first" order uses."""

place_ranking_query = _signals.signal("place-ranking-query")
"""places asks, no arguments, to sort in SQL. A receiver returns a subquery with columns place_id and score:
the place_ranking scores of every rated place, as SQL."""

place_search_texts = _signals.signal("place-search-texts")
"""search asks with session=..., place_ids=[...] while building documents. Receivers return
{place_id: [plain text, ...]} that may be found with the place; only what the public may read."""

member_export = _signals.signal("member-export")
"""accounts asks with member=... for the privacy download. Receivers return {section: [rows]} with
everything their package stores about that member, and nothing about anyone else."""

member_deleting = _signals.signal("member-deleting")
"""accounts tells with member=..., keep_reviews=bool before deleting the account. Receivers remove or
anonymise their rows through the session (flush, no commit) and return {what: count}."""


def ask(signal, **kwargs) -> list:
    """Send signal and return what the receivers answered (None answers left out)."""
    return [answer for _receiver, answer in signal.send(None, **kwargs) if answer is not None]

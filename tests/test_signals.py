"""Every extension point is a core signal, and create_app connects each package's receivers to it."""
from blinker import Signal

from ervaringswijzer.core import signals


def _receivers(signal) -> set[str]:
    return {f"{fn.__module__}.{fn.__name__}" for fn in signal.receivers_for(None)}


def test_create_app_connects_every_package_to_its_signals(app):
    """The table in docs/architecture.md, as it is after create_app: who answers which signal."""
    expected = {
        "health_check": {"ervaringswijzer.search.service.on_health_check"},
        "demo_seeders": {"ervaringswijzer.places.cli.on_demo_seeders", "ervaringswijzer.reviews.demo.on_demo_seeders",
                         "ervaringswijzer.experts.demo.on_demo_seeders", "ervaringswijzer.maps.cli.on_demo_seeders"},
        "place_ratings": {"ervaringswijzer.reviews.services.on_place_ratings"},
        "place_ranking": {"ervaringswijzer.reviews.services.on_place_ranking"},
        "place_search_texts": {"ervaringswijzer.reviews.services.on_place_search_texts"},
        "member_export": {f"ervaringswijzer.{package}.privacy.on_member_export"
                          for package in ("places", "notices", "reviews", "moderation", "experts", "maps")},
        "member_deleting": {"ervaringswijzer.reviews.privacy.on_member_deleting",
                            "ervaringswijzer.experts.privacy.on_member_deleting"},
    }
    found = {name: _receivers(value) for name, value in vars(signals).items() if isinstance(value, Signal)}
    assert found == expected


def test_ask_returns_the_answers_and_leaves_out_none(app):
    """ask() hands back each receiver's answer; a receiver with nothing to say (None) adds nothing."""
    def silent(_sender, *, member):
        return None

    signals.member_export.connect(silent)
    try:
        with app.app_context():
            answers = signals.ask(signals.member_export, member=type("Nobody", (), {"id": -1})())
    finally:
        signals.member_export.disconnect(silent)
    assert sorted(key for answer in answers for key in answer) == [
        "expert_profile", "expert_proposals", "expert_request_notes", "expert_requests", "notices",
        "place_changes", "place_confirmations", "place_reports", "responses", "review_reports", "reviews",
        "shared_maps", "suggested_places"]

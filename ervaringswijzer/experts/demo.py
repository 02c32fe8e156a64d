"""Demo data for the databank: the starting theme list and a switched-on profile for the demo peer expert."""
from __future__ import annotations

from ..accounts.demo import demo_member
from ..extensions import db
from .services import ensure_default_themes, profile_of, save_profile, themes


def seed_experts() -> str:
    ensure_default_themes()
    expert = demo_member("peer-expert-demo", "peer_expert")
    db.session.flush()
    if profile_of(expert.id) is None:
        chosen = [str(t.id) for t in themes() if t.name in ("dakloosheid", "verslaving")]
        save_profile(expert, {"display_name": "Sam (demo)", "region": "Utrecht, Overvecht", "themes": chosen,
                              "offers": ["voorlichting", "meegaan"], "languages": "nl, en",
                              "availability": "dinsdag en donderdag overdag",
                              "text": "Ik heb drie jaar op straat geleefd. Nu ga ik graag mee naar een inloop.",
                              "contact": "sam@example.org", "visible": True, "public": True})
    return "Demo: thema's voor de databank en een profiel van peer-expert-demo"


def on_demo_seeders(_sender) -> tuple:
    return 25, seed_experts

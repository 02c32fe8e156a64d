"""Demo data for reviews: one fictional member per role and about 150 reviews over the demo places."""
from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from ..accounts.demo import DEMO_MEMBERS, DEMO_PASSWORD, demo_member
from ..accounts.models import Member
from ..extensions import db
from ..places.models import Place
from .models import Review
from .sanitize import clean_html

EXTRA_WRITERS = ["Koffieleut", "Wandelaar", "Zonnebloem", "Tuinman Bas", "Lezer 42", "Stille Kracht",
                 "Fietsmaatje", "Nachtuil", "Dagjesmens", "Buurvrouw", "Harde Werker", "Ochtendmens",
                 "Schilder", "Puzzelaar", "Theeleut", "Kringloper"]
TEXTS = [
    "Ik werd meteen welkom geheten en kreeg een kop koffie. Niemand vroeg waarom ik er was.",
    "Rustige plek, je mag gewoon even zitten. Soms wel druk rond de lunch.",
    "Fijn dat er ervaringsdeskundigen zijn. Ze weten waar je het over hebt.",
    "De eerste keer vond ik spannend, maar ik werd goed opgevangen bij de deur.",
    "Het is lastig te vinden: de ingang zit aan de zijkant. Binnen is het gezellig.",
    "Ik voelde me gelijkwaardig behandeld. Er wordt naar je geluisterd.",
    "Soms wat rumoerig, maar er is een stille kamer waar je even kunt bijkomen.",
    "Goede plek om mensen te ontmoeten zonder dat je iets moet.",
    "Ik kom er elke week. Het geeft structuur aan mijn dag.",
    "Het contact was vriendelijk, alleen de openingstijden zijn kort.",
]


def _members() -> list[Member]:
    """Fictional accounts for trying the site: one per role, and more writers."""
    members = [demo_member(pseudonym, role)
               for pseudonym, role in DEMO_MEMBERS + [(name, "member") for name in EXTRA_WRITERS]]
    db.session.flush()
    return members


def seed_reviews(target: int = 150) -> str:
    """Idempotent: a member reviews a place at most once, and existing reviews are left alone."""
    members = _members()
    places = list(db.session.scalars(sa.select(Place).where(Place.status == "published").order_by(Place.id)))
    if not places:
        return "Demo: geen plekken, dus geen ervaringen."
    existing = {tuple(row) for row in db.session.execute(sa.select(Review.member_id, Review.place_id))}
    writers = [m for m in members if m.role != "admin"]
    added = 0
    for n in range(target):
        rng = random.Random(n)  # one seed per review: the same demo every time, whatever is skipped
        member, place = writers[n % len(writers)], places[rng.randrange(len(places))]
        if (member.id, place.id) in existing:
            continue
        existing.add((member.id, place.id))
        base = rng.choice([2, 3, 4, 4, 5, 5])
        aspects = {a: max(1, min(5, base + rng.choice([-1, 0, 0, 1]))) for a in ("welcome", "respect", "calm", "access")}
        month = date.today().replace(day=1) - timedelta(days=rng.randrange(0, 700))
        db.session.add(Review(member_id=member.id, place_id=place.id, **aspects, recommend=base >= 3,
                              text=clean_html(rng.choice(TEXTS)), visit_month=month.replace(day=1),
                              status="published"))
        added += 1
    db.session.flush()
    names = ", ".join(p for p, _r in DEMO_MEMBERS)
    return (f"Demo: {added} ervaringen toegevoegd. Demo-accounts ({names}) hebben wachtwoord "
            f"'{DEMO_PASSWORD}'.")


def on_demo_seeders(_sender) -> tuple:
    return 20, seed_reviews

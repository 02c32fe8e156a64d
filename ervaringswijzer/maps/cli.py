"""Map commands: the demo social worker and a demo shared map for seed-demo."""
import sqlalchemy as sa

from ..accounts.demo import DEMO_PASSWORD
from ..accounts.services import find_member, register_member
from ..core import signals
from ..extensions import db
from ..places.models import Place
from .shared import SharedMap, add_place, create_shared_map, token_hash

DEMO_WORKER = "social-worker-demo"  # one of the demo members the reviews seeder makes (order 20)
DEMO_MAP_TITLE = "Plekken voor jou in Overvecht (demo)"
# A known link, so a tester can open /k/<token> straight after seed-demo. Demo data only.
DEMO_TOKEN = "demo-kaart-overvecht-9f3c2a7b5e1d4c60"


def seed_maps() -> str:
    """Adds the demo social worker (if missing) and one shared map with a known token; safe to run again."""
    lines = []
    worker = find_member(DEMO_WORKER)
    if worker is None:
        worker, errors = register_member(DEMO_WORKER, DEMO_PASSWORD, role="social_worker")
        if errors:
            raise ValueError(f"demo social worker: {errors}")
        lines.append(f"Demo: hulpverlener '{DEMO_WORKER}' aangemaakt, wachtwoord: {DEMO_PASSWORD}")
    shared = db.session.scalar(sa.select(SharedMap).where(SharedMap.token_hash == token_hash(DEMO_TOKEN)))
    if shared is None:
        shared, errors = create_shared_map(
            worker.id, DEMO_MAP_TITLE,
            "Hoi! Dit zijn plekken waar je zonder afspraak binnen kunt lopen. Begin gerust bij nummer 1: "
            "daar is de koffie gratis. Bel me als je vragen hebt.")
        if errors:
            raise ValueError(f"demo shared map: {errors}")
        shared.token, shared.token_hash = DEMO_TOKEN, token_hash(DEMO_TOKEN)
        places = db.session.scalars(
            sa.select(Place).where(Place.status == "published", Place.wijk == "Overvecht", Place.lat.is_not(None))
            .order_by(Place.name).limit(5))
        for place in places:
            add_place(shared, place)
    lines.append(f"Demo: gedeelde kaart '{shared.title}' van {DEMO_WORKER} met {len(shared.items)} plekken: /k/{DEMO_TOKEN}")
    return "\n".join(lines)


def on_demo_seeders(_sender) -> tuple:
    return 30, seed_maps


def init_app(app) -> None:
    signals.demo_seeders.connect(on_demo_seeders)

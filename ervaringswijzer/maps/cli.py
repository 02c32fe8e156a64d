"""Map commands: follow-up reminders (cron), the demo social worker and a demo shared map for seed-demo."""
import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..accounts.demo import DEMO_PASSWORD
from ..accounts.services import find_member, register_member
from ..core import signals
from ..core.time import today
from ..extensions import db
from ..notices import notify
from ..places.models import Place
from .shared import SharedMap, add_place, create_shared_map, token_hash
from .visits import due_reminders, mark_reminded

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


maps_cli = AppGroup("maps", help="Shared maps: reminders for follow-ups.")


def send_follow_up_reminders() -> int:
    """A reminder to the worker the day before each follow-up, once (safe to run often, on several machines)."""
    sent = 0
    for shared, item in due_reminders(today()):
        if not mark_reminded(item):
            continue
        notify(shared.owner, "follow_up_reminder", endpoint="maps.place_plan",
               url_values={"map_id": shared.id, "place_id": item.place_id}, place=item.place.name, title=shared.title)
        db.session.commit()
        sent += 1
    return sent


@maps_cli.command("remind-follow-ups")
def remind_follow_ups_command():
    """Remind workers of tomorrow's follow-ups (run daily from cron)."""
    click.echo(f"{send_follow_up_reminders()} herinnering(en) verstuurd")


def init_app(app) -> None:
    signals.demo_seeders.connect(on_demo_seeders)
    app.cli.add_command(maps_cli)

"""flask overview ...: the gap map's open blocks and the check mails, for cron."""
import click
from flask.cli import AppGroup

from ..core.time import today
from ..extensions import db
from ..places.counters import refresh_reach
from ..places.openblocks import refresh_open_blocks
from .checks import send_due_checks

overview = AppGroup("overview", help="The coordinator's dashboard.")


@overview.command("refresh")
def refresh_command():
    """Compute the open blocks of every place that changed since they were last computed, and (once a
    month) each place's reach over the closed months."""
    count = refresh_open_blocks(today())
    rebuilt = refresh_reach(today())
    db.session.commit()
    click.echo(f"{count} places computed" + ("; reach of the closed months summed" if rebuilt else ""))


@overview.command("send-checks")
def send_checks_command():
    """Mail the contact persons of places that are due for a check, and one reminder after two weeks.
    For cron: idempotent, and safe to run on several machines at once."""
    run = send_due_checks(today())
    click.echo(f"{run.mailed} check mails, {run.reminded} reminders, {run.unsendable} without a usable address")


def init_app(app) -> None:
    app.cli.add_command(overview)

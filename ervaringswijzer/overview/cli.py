"""flask overview ...: keep the gap map's open blocks current (cron may run it; the dashboard also does)."""
import click
from flask.cli import AppGroup

from ..core.time import today
from ..extensions import db
from ..places.openblocks import refresh_open_blocks

overview = AppGroup("overview", help="The coordinator's dashboard.")


@overview.command("refresh")
def refresh_command():
    """Compute the open blocks of every place that changed since they were last computed."""
    count = refresh_open_blocks(today())
    db.session.commit()
    click.echo(f"{count} places computed")


def init_app(app) -> None:
    app.cli.add_command(overview)

"""seed-demo asks every domain for its demo data through one signal and runs them bottom-up in one commit."""
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.maps.shared import SharedMap
from ervaringswijzer.places.models import Place
from ervaringswijzer.reviews.models import Review


def test_seed_demo_runs_places_then_reviews_then_maps(app):
    """The command prints each domain's line in layer order, stores their rows, and adds nothing when run again."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert "plekken toegevoegd" in lines[0] and "ervaringen toegevoegd" in lines[1]
    assert "/k/" in lines[-1] and len(lines) in (3, 4)
    with app.app_context():
        counts = [db.session.scalar(sa.select(sa.func.count()).select_from(model))
                  for model in (Place, Review, SharedMap)]
    assert counts[0] > 10 and counts[1] > 50 and counts[2] == 1
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "Demo: 0 plekken toegevoegd" in again.output
    assert "Demo: 0 ervaringen toegevoegd" in again.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == counts[1]

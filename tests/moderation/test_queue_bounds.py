"""The moderation queue shows a bounded number of items per list and counts all of them in SQL."""
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.moderation.services import QUEUE_SHOWN
from ervaringswijzer.places.models import Place
from tests.conftest import reviews_login


def test_many_suggestions_show_the_oldest_and_count_all(app, client, reviews_member):
    """With more suggested places than the queue shows: the heading counts all, the oldest are listed, a note says so."""
    total = QUEUE_SHOWN + 7
    with app.app_context():
        for i in range(total):
            place = Place(slug=f"voorstel-{i:03d}", name=f"Voorstel {i:03d}", status="suggested", city="Utrecht")
            place.categories = ["walk_in_centre"]
            db.session.add(place)
            db.session.flush()
        db.session.commit()
        newest = db.session.scalar(sa.select(Place.name).order_by(Place.created_at.desc(), Place.id.desc()).limit(1))
    reviews_login(client, reviews_member("moderator"))
    html = client.get("/moderatie").get_data(as_text=True)
    assert f"Voorgestelde plekken ({total})" in html
    assert f"De oudste {QUEUE_SHOWN} staan hieronder." in html
    assert "Voorstel 000" in html and newest not in html
    assert html.count('name="action" value="publish"') == QUEUE_SHOWN

"""A search page kept for visitors without a session (core.caching.shared_page) follows the index, not only the
database: a change the follower applies later still shows on the next search."""
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.services import upsert_place
from ervaringswijzer.search.follower import follow_once
from ervaringswijzer.search.searchlog import SearchLogEntry

from .helpers import PLACE


def test_a_kept_search_page_shows_what_the_follower_applied_after_it(search_app):
    app = search_app
    app.config["SEARCH_FOLLOWER"] = "external"  # the index catches up only when the follower runs
    client = app.test_client()
    url = "/plekken?q=zilvermeeuw"
    assert "Wandelclub Zilvermeeuw" not in client.get(url).get_data(as_text=True)
    with app.app_context():
        _place, errors, _created = upsert_place(PLACE)
        assert not errors
        db.session.commit()
    # Stored, not yet in the index: the page built now (and kept) cannot show it.
    assert "Wandelclub Zilvermeeuw" not in client.get(url).get_data(as_text=True)
    assert follow_once(app).status == "done"
    html = app.test_client().get(url).get_data(as_text=True)
    assert "Wandelclub Zilvermeeuw" in html


def test_a_kept_search_page_still_counts_a_search_without_answers(search_app):
    """The unmet-demand log counts every search that found nothing, also when the page was kept."""
    for _ in range(3):
        assert "Wandelclub" not in search_app.test_client().get("/plekken?q=kwartelkoning").get_data(as_text=True)
    with search_app.app_context():
        searches = db.session.scalar(sa.select(sa.func.sum(SearchLogEntry.searches))
                                     .where(SearchLogEntry.query.contains("kwartelkoning")))
    assert searches == 3

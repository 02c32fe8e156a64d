"""Unmet demand: zero- and low-result searches counted per normalised query and week, for moderators only."""
import csv
import io
from datetime import date

import sqlalchemy as sa

from ervaringswijzer.accounts.services import register_member
from ervaringswijzer.extensions import db
from ervaringswijzer.places.filters import PlaceFilters
from ervaringswijzer.search.models import SearchLogEntry
from ervaringswijzer.search.searchlog import iso_week, record_search


def _rows(app):
    with app.app_context():
        return [(r.query, r.filters, r.week, r.searches, r.zero_results, r.last_hits)
                for r in db.session.scalars(sa.select(SearchLogEntry).order_by(SearchLogEntry.query))]


def _login(app, role):
    with app.app_context():
        register_member(f"test {role}", "een lang wachtwoord", role=role)
        db.session.commit()
    client = app.test_client()
    client.post("/inloggen", data={"pseudonym": f"test {role}", "password": "een lang wachtwoord"})
    return client


def test_zero_result_searches_are_counted_per_normalised_query(search_app):
    """'Zwembad', ' zwembad ' and 'ZWEMBAD!' count as one query; a search with many hits is not logged."""
    client = search_app.test_client()
    for q in ("Zwembad", " zwembad ", "ZWEMBAD!", "koffie"):
        client.get("/plekken", query_string={"q": q})
    client.get("/api/v1/search", query_string={"q": "zwembad", "city": "Utrecht", "wijk": "Overvecht"})
    rows = _rows(search_app)
    week = iso_week(date.today())
    assert rows == [("zwembad", "", week, 3, 3, 0), ("zwembad", "wijk=overvecht&city=utrecht", week, 1, 1, 0)]


def test_log_keeps_no_address_and_no_account(search_app):
    """The log table has no column for an IP address, an account or an exact time."""
    columns = set(SearchLogEntry.__table__.columns.keys())
    assert columns == {"id", "query", "filters", "week", "last_day", "searches", "zero_results", "last_hits",
                       "city", "wijk"}


def test_low_result_searches_are_counted_and_weeks_kept_apart(search_app):
    """A search with one or two hits counts as low; the same query in another week is its own row."""
    with search_app.app_context():
        f = PlaceFilters(q="Kapstok")
        assert record_search(f, 1, low=2, day=date(2026, 11, 23))
        assert record_search(f, 1, low=2, day=date(2026, 11, 24))
        assert record_search(f, 0, low=2, day=date(2026, 11, 30))
        assert not record_search(f, 3, low=2, day=date(2026, 11, 30))
        db.session.commit()
    assert _rows(search_app) == [("kapstok", "", "2026-W48", 2, 0, 1), ("kapstok", "", "2026-W49", 1, 1, 0)]


def test_report_is_for_moderators_only(search_app):
    """Visitors are sent to log in, members get 403, moderators and admins see the report."""
    search_app.test_client().get("/plekken?q=zwembad")
    anonymous = search_app.test_client().get("/moderatie/zoekvragen")
    assert anonymous.status_code == 302 and "/inloggen" in anonymous.headers["Location"]
    assert _login(search_app, "member").get("/moderatie/zoekvragen").status_code == 403
    for role in ("moderator", "admin"):
        client = _login(search_app, role)
        page = client.get("/moderatie/zoekvragen")
        assert page.status_code == 200 and "zwembad" in page.get_data(as_text=True)
        assert 'href="/moderatie/zoekvragen"' in client.get("/moderatie").get_data(as_text=True)


def test_csv_export(search_app):
    """The CSV has a header and one row per query and week, for moderators."""
    search_app.test_client().get("/plekken?q=zwembad")
    search_app.test_client().get("/plekken?q=sauna")
    response = _login(search_app, "moderator").get("/moderatie/zoekvragen.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["week", "query", "filters", "searches", "zero_results", "last_hits", "last_day"]
    assert sorted(r[1] for r in rows[1:]) == ["sauna", "zwembad"]
    assert _login(search_app, "member").get("/moderatie/zoekvragen.csv").status_code == 403

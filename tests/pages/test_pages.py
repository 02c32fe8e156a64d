"""The HTML pages render with demo data and show what they should."""
import re

import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place


def test_home_has_search_and_every_category(demo_client):
    """Home shows the search box and a tile for each category with its count."""
    html = demo_client.get("/").get_data(as_text=True)
    assert 'name="q"' in html and 'role="search"' in html
    for label in ("Inloop & huiskamer", "Dagbesteding", "Repair café & kringloop", "Buurthuis"):
        assert label in html
    assert re.search(r"\d+ plekken", html)


def test_list_filters_and_pages(demo_client):
    """The list page filters by city and walk-in, and pages through the results."""
    html = demo_client.get("/plekken?city=Leiden&walk_in=1").get_data(as_text=True)
    count = int(re.search(r"(\d+) plek(?:ken)? gevonden", html).group(1))
    assert 0 < count < 30
    assert "Leiden" in html and "Utrecht</p>" not in html
    html = demo_client.get("/plekken").get_data(as_text=True)
    assert "Pagina 1 van" in html and 'rel="next"' in html


def test_list_shows_friendly_note_for_bad_filter(demo_client):
    """A bad filter value does not break the page; it is skipped with a note."""
    response = demo_client.get("/plekken?category=pub&page=zero")
    assert response.status_code == 200
    assert "overgeslagen" in response.get_data(as_text=True)


def test_place_page_shows_every_part(client, make_place):
    """The place page shows address, contact, flags, week table with today, first visit and last check."""
    make_place(name="Inloop 24/7", opening_hours="24/7", contact={"phone": "030 123 4567"},
               first_visit={"arrival": "Je loopt gewoon binnen.", "coffee_free": True},
               contact_person={"name": "Ingrid", "role": "coördinator"}, last_checked="2026-10-14")
    html = client.get("/plek/inloop-24-7-utrecht").get_data(as_text=True)
    assert "<h1>Inloop 24/7</h1>" in html
    assert "Gambiaweg 12" in html and "3564 BN Utrecht" in html
    assert 'href="tel:0301234567"' in html
    assert "Binnenlopen zonder afspraak" in html and "Gratis" in html
    assert "Nu open" in html
    assert 'aria-current="date"' in html and "(vandaag)" in html
    assert "Je eerste keer" in html and "Je loopt gewoon binnen." in html
    assert "Ingrid (coördinator)" in html
    assert "Gecontroleerd op 14 oktober 2026" in html


def test_unknown_hours_are_never_shown_as_closed(client, make_place):
    """A place without hours says 'bel even' and not 'Gesloten'."""
    make_place(name="Bel Even", opening_hours=None)
    html = client.get("/plek/bel-even-utrecht").get_data(as_text=True)
    assert "Openingstijden onbekend — bel even" in html
    assert "Gesloten" not in html


def test_every_demo_place_page_renders(demo_client, demo_app):
    """Each published demo place has a page that shows its name."""
    with demo_app.app_context():
        places = db.session.execute(sa.select(Place.slug, Place.name).where(Place.status == "published")).all()
    for slug, name in places:
        response = demo_client.get(f"/plek/{slug}")
        assert response.status_code == 200, slug
        assert name.replace("&", "&amp;").replace("'", "&#39;") in response.get_data(as_text=True)


def test_friendly_404_and_about(client):
    """Unknown pages get a plain-Dutch 404; the about page explains reviews."""
    response = client.get("/plek/bestaat-niet")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet (meer)" in response.get_data(as_text=True)
    html = client.get("/over").get_data(as_text=True)
    assert "Hoe werken de ervaringen?" in html and "schuilnaam" in html


def test_english_on_request(client):
    """?lang=en switches the interface language attribute (Dutch stays the default)."""
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)

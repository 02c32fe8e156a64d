"""Conditional GETs on the API and the marker feed: 304 while nothing changed, a new ETag after any change."""
import pytest

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place

FEEDS = ["/api/v1/places?per_page=5", "/api/v1/places.geojson?city=Utrecht"]


def test_etag_gives_304_until_the_place_changes(app, client, make_place):
    """The same ETag answers 304 with no body; renaming a place gives a new ETag and the new name."""
    pid = make_place(name="De Kapstok")
    for url in FEEDS + [f"/api/v1/places/{pid}"]:
        first = client.get(url)
        etag = first.headers["ETag"].strip('"')
        assert first.status_code == 200 and "De Kapstok" in first.get_data(as_text=True)
        assert first.headers["Cache-Control"] == "no-cache"
        again = client.get(url, headers={"If-None-Match": f'"{etag}"'})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == f'"{etag}"'
    with app.app_context():
        db.session.get(Place, pid).name = "De Kapstok Noord"
        db.session.commit()
    for url in FEEDS + [f"/api/v1/places/{pid}"]:
        changed = client.get(url, headers={"If-None-Match": f'"{etag}"'})
        assert changed.status_code == 200 and "De Kapstok Noord" in changed.get_data(as_text=True), url


def test_category_change_alone_changes_the_etag(app, client, make_place):
    """Categories live in their own table; changing only them still changes the API answer and its ETag."""
    pid = make_place()
    first = client.get("/api/v1/places?category=sport")
    assert first.get_json()["total"] == 0
    with app.app_context():
        db.session.get(Place, pid).categories = ["sport"]
        db.session.commit()
    second = client.get("/api/v1/places?category=sport", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.get_json()["total"] == 1


def test_new_review_changes_the_rating_in_the_feed(app, client, make_place, reviews_member, reviews_review):
    """A review changes the rating the API and the map feed show, so their ETags change too."""
    pid = make_place()
    before = {url: client.get(url) for url in FEEDS}
    reviews_review(reviews_member(), pid)
    after = client.get(FEEDS[0], headers={"If-None-Match": before[FEEDS[0]].headers["ETag"]})
    assert after.status_code == 200 and after.get_json()["items"][0]["rating"]["count"] == 1
    feed = client.get(FEEDS[1], headers={"If-None-Match": before[FEEDS[1]].headers["ETag"]})
    assert feed.status_code == 200 and feed.get_json()["features"][0]["properties"]["reviews"] == 1


@pytest.mark.parametrize("url", ["/api/v1/places?per_page=5", "/api/v1/places.geojson"])
def test_etag_differs_per_query(client, make_place, url):
    """Two different queries never share an ETag (a 304 for one is never the other's answer)."""
    make_place()
    plain = client.get(url).headers["ETag"]
    filtered = client.get(url + "&walk_in=1" if "?" in url else url + "?walk_in=1").headers["ETag"]
    assert plain != filtered

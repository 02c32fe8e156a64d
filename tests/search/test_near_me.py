"""Dichtbij mij: a rounded browser position, a known wijk or city without a geocoder, a typed postcode
through geopy's real HTTP path (cached); nearest first with distance, walking time and route links;
the position never stored or logged."""
import logging
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.places.nearby import COOKIE, Position, cookie_value, read_cookie, rounded, walking_minutes

HERE = {"lat": "52.0876543", "lon": "5.1341234"}  # what a phone's GPS might say, to the metre


@pytest.fixture
def near_app(demo_app, geocoder_server):
    demo_app.config.update(GEOCODER_URL=geocoder_server.url, GEOCODER_TIMEOUT=0.5, GEOCODER_MIN_DELAY=0,
                           GEOCODER_USER_AGENT="Ervaringswijzer-tests/1.0")
    geocoder_server.requests.clear()
    return demo_app


def _results(html: str) -> list[tuple[str, str]]:
    """(place name, distance line) of each result card, in page order."""
    return re.findall(r'class="place-card-title"><a [^>]*>([^<]*)</a>.*?class="distance">([^<]*)<', html, re.S)


def _km(distance_line: str) -> float:
    number = distance_line.split(" · ")[0]
    value = float(number.split()[0].replace(".", "").replace(",", "."))
    return value if number.endswith("km") else value / 1000


def test_position_is_rounded_to_about_100_m_and_the_cookie_reads_back():
    """Three decimals (about 110 m by 70 m here); nonsense is no position; the cookie keeps the label."""
    assert rounded(52.0987654, 5.1123456) == (52.099, 5.112)
    assert rounded(float("nan"), 5.1) is None and rounded(91, 5) is None
    back = read_cookie(cookie_value(Position(52.099, 5.112, "3561 AB")))
    assert back == Position(52.099, 5.112, "3561 AB")
    assert read_cookie("52.1~oops") is None and read_cookie("") is None
    assert (walking_minutes(0.65), walking_minutes(1.25), walking_minutes(0.01)) == (8, 15, 1)


def test_browser_position_lists_nearest_first_with_walking_time_and_routes(near_app, geocoder_server):
    """A posted browser position: a cookie on the phone (not the URL), nearest first, '650 m · 8 min lopen', geo: and OSM links."""
    client = near_app.test_client()
    response = client.post("/dichtbij", data={**HERE, "q": "", "walk_in": "1"})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert "dichtbij=1" in location and "walk_in=1" in location and "52.08" not in location
    assert response.headers["Set-Cookie"].startswith(f"{COOKIE}=52.088~5.134~;")
    page = client.get(location)
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store" and "Cookie" in page.headers["Vary"]
    rows = _results(html)
    assert len(rows) >= 3
    distances = [_km(line) for _name, line in rows]
    assert distances == sorted(distances) and distances[-1] <= 15
    first = rows[0][1]
    assert re.fullmatch(r"\d+ m · \d+ min lopen|\d+,\d km · \d+ min lopen", first), first
    assert "geo:" in html and "route=52.088%2C5.134%3B" in html
    assert "52.0876" not in html and "5.1341" not in html
    # Every link on the page (pager, facets, filters) says dichtbij=1, never the position.
    assert not re.search(r'href="/[^"]*near=', html) and 'name="near"' not in html
    assert geocoder_server.requests == []


def test_known_wijk_and_city_need_no_geocoder(near_app, geocoder_server):
    """Typed or chosen from the list, 'Overvecht', 'utrecht', 'Binnenstad, Leiden' are answered from our own places; no geocoder."""
    client = near_app.test_client()
    page = client.get("/plekken").get_data(as_text=True)
    assert '<option value="Binnenstad, Leiden">' in page and '<option value="Utrecht">' in page  # to choose from
    for typed, said in (("Overvecht", "Dichtbij Overvecht"), ("utrecht", "Dichtbij Utrecht"),
                        ("Leiden/Binnenstad", "Dichtbij Binnenstad"), ("Binnenstad, Leiden", "Dichtbij Binnenstad")):
        response = client.post("/dichtbij", data={"waar": typed}, follow_redirects=True)
        html = response.get_data(as_text=True)
        assert said in html, typed
        assert _results(html), typed
    assert geocoder_server.requests == []


def test_typed_postcode_goes_through_the_cached_geocoder(near_app, geocoder_server):
    """'3561ab' is asked once as '3561 ab' over HTTP; the second time it comes from the cache."""
    client = near_app.test_client()
    for _ in range(2):
        html = client.post("/dichtbij", data={"waar": "3561ab"}, follow_redirects=True).get_data(as_text=True)
        assert "Dichtbij 3561 AB" in html and _results(html)
    assert [r["params"]["q"] for r in geocoder_server.requests] == ["3561 ab"]
    assert geocoder_server.requests[0]["user_agent"] == "Ervaringswijzer-tests/1.0"


@pytest.mark.parametrize("typed, message", [
    ("leeg 12", "We konden ‘leeg 12’ niet vinden"),
    ("kapot 12", "Zoeken op de kaart lukt nu even niet"),
    ("", "Typ een postcode, straat, wijk of plaats."),
])
def test_unknown_or_failing_place_keeps_the_typed_text_with_an_error_summary(near_app, typed, message):
    """Nothing found, or the geocoder down: the list page again, an error summary linking to the field, text kept."""
    client = near_app.test_client()
    response = client.post("/dichtbij", data={"waar": typed, "q": "koffie"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and COOKIE not in response.headers.get("Set-Cookie", "")
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group()
    assert f'href="#waar">{message}' in summary
    assert f'id="waar" name="waar" type="text" value="{typed}"' in html
    assert 'aria-invalid="true"' in html
    assert 'name="q" value="koffie"' in html  # the other filters travel on


def test_english_visitor_reads_near_me_in_english(near_app):
    """The near-me words and the walking time are translated."""
    client = near_app.test_client()
    client.get("/?lang=en")
    html = client.post("/dichtbij", data={"waar": "Overvecht"}, follow_redirects=True).get_data(as_text=True)
    assert "Near Overvecht: nearest first" in html and "min walk" in html and "Walking route on OpenStreetMap" in html
    html = client.post("/dichtbij", data={"waar": "leeg 3"}).get_data(as_text=True)
    assert "We could not find ‘leeg 3’" in html and "There is a problem" in html


def test_position_is_never_stored_or_logged(near_app, caplog):
    """After a near-me search from the phone's position, neither the database, the instance folder nor the logs hold it."""
    caplog.set_level(logging.DEBUG)
    client = near_app.test_client()
    response = client.post("/dichtbij", data=HERE)
    client.get(response.headers["Location"])
    client.get("/plekken?dichtbij=1&sort=distance&q=koffie")
    needles = ("52.088", "5.134", "52.0876", "5.1341")
    with near_app.app_context():
        rows = []
        for table in db.metadata.sorted_tables:
            rows += [repr(tuple(row)) for row in db.session.execute(sa.select(table))]
        stored = "\n".join(rows)
        db.session.remove()
    assert not [n for n in needles if n in stored]
    files = [p for p in Path(near_app.instance_path).rglob("*") if p.is_file()]
    uri = near_app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        files.append(Path(uri.removeprefix("sqlite:///")))
    for path in files:
        data = path.read_bytes()
        assert not [n for n in needles if n.encode() in data], path
    assert not [n for n in needles if n in caplog.text]

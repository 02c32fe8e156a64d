"""Opening hours as rows for editors: every demo place's hours read into the rows and written back mean the
same; posted rows become the expression; a changed raw field wins; errors get a summary and keep the text;
the raw field is read back in plain Dutch, with and without JavaScript."""
import json
import re
from datetime import date, datetime, timedelta

import pytest

from ervaringswijzer.extensions import db
from ervaringswijzer.places.hours import TZ, normalize_hours, open_periods
from ervaringswijzer.places.hours_form import choose_hours, read_expression, write_expression
from ervaringswijzer.places.models import Place
from tests.conftest import DEMO_FILE, reviews_login

START = datetime(2026, 11, 30, tzinfo=TZ)
END = START + timedelta(days=400)  # a whole year of holidays, yearly closures and both DST changes


def _meaning(expr):
    return open_periods(normalize_hours(expr), START, END)


def test_every_demo_place_round_trips_through_the_rows():
    """Each demo place's hours -> rows -> expression gives the same open periods over 400 days."""
    places = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    unreadable, changed = [], []
    for place in places:
        stored = normalize_hours(place.get("opening_hours"))
        rows = read_expression(stored)
        if rows is None:
            unreadable.append(stored)
            continue
        if _meaning(stored) != _meaning(write_expression(rows)):
            changed.append((stored, write_expression(rows)))
    assert unreadable == [] and changed == []
    assert len(places) == 100


@pytest.mark.parametrize("expr, written", [
    ("Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-12:00", "Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-12:00"),
    ("Th-Sa 22:00-02:00; PH off", "Th-Sa 22:00-02:00"),
    ("Mo-Fr 10:00-16:00; PH 12:00-16:00", "Mo-Fr 10:00-16:00; PH 12:00-16:00"),
    ("Tu[1,3] 19:30-21:30", "Tu[1,3] 19:30-21:30"),
    ("Mo-Sa 09:00-17:00, Tu,Th 19:00-22:00", "Mo,We,Fr-Sa 09:00-17:00; Tu,Th 09:00-17:00,19:00-22:00"),
    ('Mo-Fr 09:00-17:00; Dec 24-Dec 26 off; 2026 Dec 25 12:00-15:00 "Kerstdiner"',
     'Mo-Fr 09:00-17:00; Dec 24-Dec 26 off; 2026 Dec 25 12:00-15:00 "Kerstdiner"'),
    ("Mar-Nov Mo-Fr 09:30-15:00", "Mo-Fr 09:30-15:00; Dec-Feb off"),
    ("24/7", "24/7"),
])
def test_rows_write_the_expression_back_with_the_same_meaning(expr, written):
    """Breaks, past midnight, holidays, weeks of the month, additional rules, closures, named days, seasons."""
    assert write_expression(read_expression(normalize_hours(expr))) == written
    assert _meaning(expr) == _meaning(written)


def test_hours_the_rows_cannot_show_stay_in_the_raw_field():
    """Easter offsets and a day in two kinds of weeks are kept as text: no rows, nothing lost."""
    assert read_expression(normalize_hours("Mo 10:00-12:00; easter +1 day 10:00-14:00")) is None
    assert read_expression(normalize_hours("Sa 10:00-12:00; Sa[1] 13:00-16:00")) is None
    # a closure after a special day it covers wins over it; the rows would write it the other way round
    assert read_expression(normalize_hours('Dec 25 12:00-15:00 "Kerstdiner"; Dec 24-Dec 26 off')) is None


ROWS = {"hours_rows": "1", "hours_row_count": "2", "hours_original": "", "opening_hours": "",
        "h-0-0-open": "09:00", "h-0-0-close": "12:00", "h-0-1-open": "13:00", "h-0-1-close": "17:00",
        "h-1-0-open": "09:00", "h-1-0-close": "12:00", "h-1-1-open": "13:00", "h-1-1-close": "17:00",
        "h-4-0-open": "22:00", "h-4-0-close": "02:00", "h-5-0-open": "10:00", "h-5-0-close": "14:00",
        "h-5-weeks": "-1", "h-ph": "open", "h-ph-0-open": "12:00", "h-ph-0-close": "16:00",
        "c-0-from": "2026-12-24", "c-0-to": "2027-01-04",
        "s-0-date": "2026-12-25", "s-0-0-open": "12:00", "s-0-0-close": "15:00", "s-0-name": "Kerstdiner"}


def test_posted_rows_become_one_expression():
    """Two periods a day, past midnight, the last Saturday, holidays open, a closure and a named day."""
    hours = choose_hours(ROWS)
    assert hours.errors == {}
    assert hours.text == ('Mo-Tu 09:00-12:00,13:00-17:00; Fr 22:00-02:00; Sa[-1] 10:00-14:00; PH 12:00-16:00; '
                          '2026 Dec 24-2027 Jan 04 off; 2026 Dec 25 12:00-15:00 "Kerstdiner"')
    assert normalize_hours(hours.text)


def test_a_changed_raw_field_wins_and_unchanged_rows_keep_the_stored_spelling():
    """Rows unchanged + raw changed: the raw text counts. Nothing changed: the stored text stays as it was."""
    stored = "Mo-Fr 10:00-16:00; PH closed"
    same = {"hours_rows": "1", "hours_original": stored, "opening_hours": stored,
            **{f"h-{d}-0-open": "10:00" for d in range(5)}, **{f"h-{d}-0-close": "16:00" for d in range(5)}}
    assert choose_hours(same).text == stored
    assert choose_hours({**same, "opening_hours": "ma-vr 9-17"}).text == "ma-vr 9-17"
    assert choose_hours({**same, "h-0-0-close": "17:00"}).text == "Mo 10:00-17:00; Tu-Fr 10:00-16:00"


@pytest.fixture
def moderator_client(client, reviews_member):
    reviews_login(client, reviews_member("moderator", pseudonym="mod-uren"))
    return client


def _edit_form(client, slug):
    html = client.get(f"/plek/{slug}/bewerken").get_data(as_text=True)
    fields = {"categories": []}
    for tag in re.findall(r"<input[^>]*>", html):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        if "name" not in attrs or (attrs.get("type") in ("checkbox", "radio") and " checked" not in tag):
            continue
        if attrs["name"] == "categories":
            fields["categories"].append(attrs["value"])
        else:
            fields[attrs["name"]] = attrs.get("value", "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields[name] = body.strip()
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    return html, fields


def test_edit_page_saves_changed_rows_and_keeps_errors_with_a_summary(app, moderator_client, make_place):
    """On the edit page: rows shown for the stored hours, a changed row saved, a bad row and bad raw text refused kindly."""
    place_id = make_place(opening_hours="Mo-Fr 10:00-16:00")
    with app.app_context():
        slug = db.session.get(Place, place_id).slug
    html, fields = _edit_form(moderator_client, slug)
    assert fields["h-0-0-open"] == "10:00" and fields["h-4-0-close"] == "16:00" and fields["h-5-0-open"] == ""
    assert "Maandag t/m vrijdag: 10:00–16:00" in html  # the reading, without JavaScript

    bad_row = {**fields, "h-2-1-open": "18:00"}
    page = moderator_client.post(f"/plek/{slug}/bewerken", data=bad_row).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group()
    assert 'href="#h-2-1-open">Vul een begin- en eindtijd in' in summary
    assert 'id="h-2-1-open" name="h-2-1-open" value="18:00"' in page

    bad_raw = {**fields, "opening_hours": "ma-vr 9-17 en soms"}
    page = moderator_client.post(f"/plek/{slug}/bewerken", data=bad_raw).get_data(as_text=True)
    assert 'href="#opening_hours">' in re.search(r'<div class="error-summary".*?</div>', page, re.S).group()
    assert 'value="ma-vr 9-17 en soms"' in page

    fields.update({"h-5-0-open": "20:00", "h-5-0-close": "01:00"})
    response = moderator_client.post(f"/plek/{slug}/bewerken", data=fields)
    assert response.status_code == 302, re.findall(r'field-error[^>]*>([^<]*)', response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Place, place_id).opening_hours == "Mo-Fr 10:00-16:00; Sa 20:00-01:00"


def test_live_reading_answers_in_plain_words(client):
    """The endpoint behind hours.js reads OSM, Dutch, and says plainly what is wrong."""
    lines = client.get("/openingstijden/lezen?tekst=ma-vr 9-17; za 10-14").get_json()["lines"]
    assert lines == ["Maandag t/m vrijdag: 09:00–17:00", "Zaterdag: 10:00–14:00", "Op feestdagen dicht."]
    lines = client.get("/openingstijden/lezen", query_string={"tekst": 'Fr 22:00-02:00; Dec 24-Jan 04 off'}).get_json()["lines"]
    assert lines[0] == "Vrijdag: 22:00–02:00 (tot de volgende dag)" and lines[2].startswith("Gesloten 24 dec – 4 jan")
    lines = client.get("/openingstijden/lezen?tekst=Mo-Fr 25:00-16:00").get_json()["lines"]
    assert len(lines) == 1 and "kloppen niet" in lines[0]
    assert client.get("/openingstijden/lezen?tekst=").get_json()["lines"] == ["Openingstijden onbekend — bel even"]


def test_reading_is_english_for_an_english_visitor(client):
    """Days and words of the reading follow the page's language."""
    client.get("/?lang=en")
    lines = client.get("/openingstijden/lezen?tekst=Mo-Fr 09:00-17:00").get_json()["lines"]
    assert lines == ["Monday to Friday: 09:00–17:00", "Closed on public holidays."]


def test_date_rows_are_read_as_dates():
    """A closure's dates come back as dates, a yearly one without its year in the expression."""
    rows = read_expression(normalize_hours("Mo 10:00-12:00; Jul 13-Aug 23 off"))
    assert (rows.closures[0].first, rows.closures[0].last, rows.closures[0].yearly) == (
        date(2026, 7, 13), date(2026, 8, 23), True)

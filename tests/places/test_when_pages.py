"""The time window through the list page, the places API and the search API."""
import re

import pytest

SUNDAY_EVENING = "2026-12-06T18:00:00%2B01:00/2026-12-07T00:00:00%2B01:00"


@pytest.fixture
def three_places(make_place):
    """An evening place, a daytime place and one with unknown hours."""
    return {
        "avond": make_place(name="Avondhuiskamer", opening_hours="Su 19:00-21:30"),
        "dag": make_place(name="Dagbesteding Zon", opening_hours="Mo-Fr 09:00-17:00"),
        "onbekend": make_place(name="Bel Even", opening_hours=None),
    }


def test_places_api_open_between_filters_and_says_when(client, three_places):
    """open_between keeps places open inside the window, each with its open periods in the window."""
    data = client.get(f"/api/v1/places?open_between={SUNDAY_EVENING}").get_json()
    assert [item["name"] for item in data["items"]] == ["Avondhuiskamer"] and data["total"] == 1
    assert data["items"][0]["open_periods"] == [
        {"start": "2026-12-06T19:00:00+01:00", "end": "2026-12-06T21:30:00+01:00"}]


def test_places_api_open_at_is_an_instant(client, three_places):
    """open_at filters on that moment and sets open_now and next_change for it."""
    data = client.get("/api/v1/places?open_at=2026-12-07T10:00:00%2B01:00").get_json()
    assert [item["name"] for item in data["items"]] == ["Dagbesteding Zon"]
    item = data["items"][0]
    assert item["open_now"] is True and item["next_change"] == "2026-12-07T17:00:00+01:00"
    assert item["open_periods"] == [{"start": "2026-12-07T10:00:00+01:00", "end": "2026-12-07T10:01:00+01:00"}]


def test_places_api_without_window_has_no_open_periods(client, three_places):
    """Without a window the PLACE shape stays exactly the contract's."""
    data = client.get("/api/v1/places").get_json()
    assert data["total"] == 3 and all("open_periods" not in item for item in data["items"])


@pytest.mark.parametrize(("query", "field", "words"), [
    ("open_at=zondag", "open_at", "ISO 8601"),
    ("open_between=2026-12-06T18:00", "open_between", "START/END"),
    ("open_between=2026-12-01T00:00/2026-12-20T00:00", "open_between", "at most 8 days"),
    ("open_between=2026-12-06T18:00/2026-12-06T10:00", "open_between", "after the start"),
])
@pytest.mark.parametrize("path", ["/api/v1/places", "/api/v1/search?q=koffie"])
def test_bad_window_is_a_400_naming_the_parameter(client, path, query, field, words):
    """A bad or too long window answers 400 JSON naming open_at or open_between."""
    response = client.get(f"{path}{'&' if '?' in path else '?'}{query}")
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert message.startswith(field + ":") and words in message


def test_search_api_time_words_become_the_window(client, three_places):
    """'avondhuiskamer zondagavond' searches the name and filters on Sunday evening; periods say when."""
    data = client.get("/api/v1/search?q=avondhuiskamer%20zondagavond&open_between=" + SUNDAY_EVENING).get_json()
    assert [item["name"] for item in data["items"]] == ["Avondhuiskamer"]
    assert data["items"][0]["open_periods"][0]["start"] == "2026-12-06T19:00:00+01:00"
    only_time = client.get("/api/v1/search?q=dit%20weekend")
    assert only_time.status_code == 200


def test_list_page_says_the_window_back_and_when_each_place_is_open(client, three_places):
    """The list page reads 'zondagavond' from q, says the window back and shows 'zo 19:00–21:30'."""
    page = client.get("/plekken?q=zondagavond").get_data(as_text=True)
    assert "Open op zondag" in page and "tussen 18:00 en 24:00" in page
    assert "Avondhuiskamer" in page and "Dagbesteding Zon" not in page and "Bel Even" not in page
    assert "Open zo 19:00–21:30" in page
    assert 'value="zondagavond"' in page  # the search box keeps what was typed


def test_sunday_evening_question_answers_with_places(client, three_places):
    """'Waar kan ik zondagavond heen?' lists the place open on Sunday evening, not zero results."""
    page = client.get("/plekken?q=Waar+kan+ik+zondagavond+heen%3F").get_data(as_text=True)
    assert "Avondhuiskamer" in page and "Dagbesteding Zon" not in page
    assert "1 plek gevonden" in page


def test_list_page_wanneer_day_and_time(client, three_places):
    """The Wanneer? choice with a native date and time gives the same filter, and no 'Nu' line."""
    page = client.get("/plekken?wanneer=dag&dag=2026-12-07&tijd=10:00").get_data(as_text=True)
    assert "Open op maandag 7 december om 10:00" in page
    assert "Dagbesteding Zon" in page and "Avondhuiskamer" not in page
    assert "Open · sluit om 17:00" in page
    assert 'type="date"' in page and 'type="time"' in page


def test_chosen_moment_never_says_nu(client, three_places):
    """With ?at= the status lines speak of that moment, not of 'nu'."""
    page = client.get("/plekken?at=2026-12-07T10:00:00%2B01:00").get_data(as_text=True)
    lines = [" ".join(line.split()) for line in re.findall(r'<p class="status[^>]*>(.*?)</p>', page, re.S)]
    assert any(line.endswith("Open · sluit om 17:00") for line in lines), lines
    assert not any("Nu" in line for line in lines)
    assert page.count("Nu open") == 1  # only the "Nu open" filter's label: the map's lines agree
    map_page = client.get("/kaart?at=2026-12-07T10:00:00%2B01:00").get_data(as_text=True)
    assert "Open · sluit om 17:00" in map_page and "Nu open" not in map_page.replace(
        'value="1" > Nu open', "")

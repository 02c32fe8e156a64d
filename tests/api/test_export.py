"""GET /api/v1/export/<format>: streamed, filtered like the list, and linked from the list and map pages."""
import csv
import io
import json
import zipfile

import pytest


def test_export_honours_filters_and_streams(demo_client):
    """The export holds exactly the places the filters pick, in each format."""
    everything = demo_client.get("/api/v1/export/geojson")
    assert everything.status_code == 200 and everything.is_streamed
    assert everything.mimetype == "application/geo+json"
    assert "attachment" in everything.headers["Content-Disposition"]
    total = len(json.loads(everything.get_data())["features"])
    utrecht = json.loads(demo_client.get("/api/v1/export/json?city=Utrecht&flags=walk_in").get_data())
    assert 0 < len(utrecht) < total
    assert all(p["address"]["city"] == "Utrecht" and p["flags"]["walk_in"] for p in utrecht)
    listed = demo_client.get("/api/v1/places?city=Utrecht&flags=walk_in&per_page=100").get_json()["total"]
    assert len(utrecht) == listed
    raw = demo_client.get("/api/v1/export/csv?city=Utrecht&flags=walk_in&delimiter=;").get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert len(list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))) == listed
    zipped = demo_client.get("/api/v1/export/hsds-csv?city=Utrecht&flags=walk_in").get_data()
    with zipfile.ZipFile(io.BytesIO(zipped)) as zf:
        assert len(zf.read("services.csv").decode().strip().splitlines()) == listed + 1


@pytest.mark.parametrize("url, status", [("/api/v1/export/xml", 404), ("/api/v1/export/json?near=x", 400),
                                         ("/api/v1/export/csv?delimiter=|", 400)])
def test_export_errors_are_json(demo_client, url, status):
    """Unknown formats and bad filters answer with the API's JSON error."""
    response = demo_client.get(url)
    assert response.status_code == status and "error" in response.get_json()


def test_list_and_map_pages_link_to_exports_with_their_filters(demo_client):
    """The list, a city map and a wijk map offer downloads that carry the filters on screen."""
    page = demo_client.get("/plekken?walk_in=1").get_data(as_text=True)
    assert "/api/v1/export/csv?delimiter=;&amp;walk_in=1" in page
    city = demo_client.get("/kaart/Utrecht").get_data(as_text=True)
    assert "/api/v1/export/hsds-csv?city=Utrecht" in city
    wijk = demo_client.get("/kaart/Utrecht/Overvecht").get_data(as_text=True)
    assert "/api/v1/export/geojson?city=Utrecht&amp;wijk=Overvecht" in wijk

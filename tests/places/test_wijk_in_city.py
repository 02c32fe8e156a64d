"""A wijk belongs to its city: one name ("Binnenstad") in four cities stays four wijken everywhere."""
import pytest
from werkzeug.datastructures import MultiDict

from ervaringswijzer.places.filters import city_and_wijk, parse_filters
from ervaringswijzer.search import rebuild_index

CITIES = ("Groningen", "Leiden", "Utrecht", "Zwolle")


@pytest.fixture
def binnensteden(app, make_place):
    """A place in wijk Binnenstad of each of four cities, indexed."""
    for city in CITIES:
        make_place(name=f"Inloop {city}", slug=f"inloop-{city.lower()}",
                   address={"street": "Markt 1", "city": city, "wijk": "Binnenstad"})
    with app.app_context():
        rebuild_index()
    return app


def names(page: str) -> list[str]:
    return sorted(city for city in CITIES if f"Inloop {city}<" in page)


def test_city_and_wijk_reads_both_forms_and_refuses_a_lone_wijk():
    """'Leiden/Binnenstad' and city+wijk give the same pair; a wijk without city or in another city is refused."""
    errors = {}
    assert city_and_wijk("", "Leiden/Binnenstad", errors) == ("Leiden", "Binnenstad")
    assert city_and_wijk("leiden", "Leiden / Binnenstad", errors) == ("leiden", "Binnenstad")
    assert city_and_wijk("Leiden", "Binnenstad", errors) == ("Leiden", "Binnenstad")
    assert errors == {}
    assert city_and_wijk("", "Binnenstad", errors) == ("", "") and "city" in errors["wijk"]
    errors = {}
    assert city_and_wijk("Utrecht", "Leiden/Binnenstad", errors) == ("Utrecht", "") and "Leiden" in errors["wijk"]
    f, _page, _per_page, errors = parse_filters(MultiDict({"wijk": "Zwolle/Binnenstad"}))
    assert (f.city, f.wijk, errors) == ("Zwolle", "Binnenstad", {})


def test_list_page_keeps_the_wijk_in_its_city(binnensteden):
    """Choosing 'Binnenstad (Leiden)' lists only Leiden, and after a reload the menu still says Leiden."""
    client = binnensteden.test_client()
    page = client.get("/plekken?wijk=Leiden/Binnenstad").get_data(as_text=True)
    assert names(page) == ["Leiden"]
    assert '<option value="Leiden/Binnenstad" selected>Binnenstad (Leiden)</option>' in page
    assert '<option value="Zwolle/Binnenstad" >Binnenstad (Zwolle)</option>' in page
    assert names(client.get("/plekken?city=Zwolle&wijk=Binnenstad").get_data(as_text=True)) == ["Zwolle"]


def test_list_page_ignores_a_wijk_without_city_and_says_so(binnensteden):
    """?wijk=Binnenstad alone is not matched in every city: it is left out with a plain message."""
    page = binnensteden.test_client().get("/plekken?wijk=Binnenstad").get_data(as_text=True)
    assert "Een wijk zoeken we alleen binnen een plaats" in page
    assert "selected>Binnenstad" not in page


def test_search_facets_count_per_city_and_link_back(binnensteden):
    """A text search counts Binnenstad once per city; the facet link and the index filter keep the city."""
    client = binnensteden.test_client()
    data = client.get("/api/v1/search?q=inloop").get_json()
    assert data["facets"]["wijk"] == {f"{city}/Binnenstad": 1 for city in CITIES}
    page = client.get("/plekken?q=inloop").get_data(as_text=True)
    assert 'Binnenstad (Leiden) <span class="facet-count">(1)</span>' in page
    assert "Binnenstad <span" not in page
    assert "wijk=Leiden/Binnenstad" in page or "wijk=Leiden%2FBinnenstad" in page
    one = client.get("/api/v1/search?q=inloop&wijk=Leiden/Binnenstad").get_json()
    assert [item["name"] for item in one["items"]] == ["Inloop Leiden"]
    assert names(client.get("/plekken?q=inloop&city=Groningen&wijk=Binnenstad").get_data(as_text=True)) == ["Groningen"]


def test_api_wants_the_city_with_a_wijk(binnensteden):
    """The API answers a lone wijk with a 400 naming it, and city + wijk with one city's places."""
    client = binnensteden.test_client()
    for path in ("/api/v1/places?wijk=Binnenstad", "/api/v1/search?q=inloop&wijk=Binnenstad",
                 "/api/v1/places?city=Utrecht&wijk=Leiden/Binnenstad"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert response.get_json()["error"]["message"].startswith("wijk: ")
    data = client.get("/api/v1/places?city=Utrecht&wijk=binnenstad").get_json()
    assert [(i["address"]["city"], i["address"]["wijk"]) for i in data["items"]] == [("Utrecht", "Binnenstad")]
    data = client.get("/api/v1/places?wijk=Groningen/Binnenstad").get_json()
    assert [i["name"] for i in data["items"]] == ["Inloop Groningen"]


def test_map_pages_keep_the_wijk_in_its_city(binnensteden):
    """/kaart with 'Leiden/Binnenstad' and /kaart/Zwolle/Binnenstad show one city; a lone wijk gets a message."""
    client = binnensteden.test_client()
    assert names(client.get("/kaart?wijk=Leiden/Binnenstad").get_data(as_text=True)) == ["Leiden"]
    assert names(client.get("/kaart/Zwolle/Binnenstad").get_data(as_text=True)) == ["Zwolle"]
    page = client.get("/kaart?wijk=Binnenstad").get_data(as_text=True)
    assert "Een wijk zoeken we alleen binnen een plaats" in page and names(page) == list(CITIES)

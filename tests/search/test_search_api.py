"""GET /api/v1/search, /api/v1/suggest, q on /api/v1/places and the search page: shape, filters, facets, sorting."""
import pytest

from ervaringswijzer.extensions import db
from ervaringswijzer.places.services import upsert_place

from .helpers import PLACE

OVERVECHT = (52.1185, 5.1095)


def test_search_shape_and_snippet(search_client):
    """The search API answers the contract shape; snippets mark the matched words and escape the rest."""
    data = search_client.get("/api/v1/search?q=koffieochtenden").get_json()
    assert set(data) == {"items", "total", "did_you_mean", "facets"}
    assert data["total"] == len(data["items"]) == 5 and data["did_you_mean"] is None
    first = data["items"][0]
    assert set(first) == {"id", "name", "score", "snippet"} and first["score"] > 0
    assert "<mark>koffieochtenden</mark>" in first["snippet"]
    assert set(data["facets"]) == {"category", "wijk", "city", "flags"}
    assert data["facets"]["category"]["community_centre"] >= 3


def test_search_needs_q(search_client):
    """Without q the search API says so with a JSON error."""
    response = search_client.get("/api/v1/search")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_parameter"


def test_did_you_mean_for_a_typo(search_client):
    """A typo is searched as what was meant, and the answer says what that was."""
    data = search_client.get("/api/v1/search?q=huiskamr%20overvecht").get_json()
    assert data["did_you_mean"] == "huiskamer overvecht"
    assert data["items"][0]["name"] == "Huiskamer De Kapstok"


def test_facet_counts_count_all_matches(search_client):
    """Facet counts cover every match, not just the page, and add up to the total per wijk."""
    data = search_client.get("/api/v1/search?q=koffie&per_page=2").get_json()
    assert len(data["items"]) == 2 and data["total"] > 20
    assert sum(data["facets"]["wijk"].values()) == data["total"]
    assert data["facets"]["flags"]["walk_in"] <= data["total"]


def test_text_and_filters_combine(search_client):
    """Text plus category, wijk, city and flags: only places that meet all of them."""
    data = search_client.get("/api/v1/search?q=koffie&city=Utrecht&wijk=overvecht&flags=free,walk_in"
                             "&category=walk_in_centre").get_json()
    names = [i["name"] for i in data["items"]]
    assert names == ["Huiskamer De Kapstok", "Buurtkamer Overal Welkom"] or set(names) == {
        "Huiskamer De Kapstok", "Buurtkamer Overal Welkom"}
    assert data["total"] == 2 and data["facets"]["wijk"] == {"Utrecht/Overvecht": 2}


def test_near_me_filters_and_sorts_by_distance(search_client):
    """near + radius_km keep places within the circle; sort=distance puts the nearest first."""
    data = search_client.get("/api/v1/places", query_string={
        "q": "koffie", "near": "%s,%s" % OVERVECHT, "radius_km": 3, "sort": "distance"}).get_json()
    cities = {item["address"]["city"] for item in data["items"]}
    assert data["total"] >= 2 and cities == {"Utrecht"}
    assert data["items"][0]["address"]["wijk"] == "Overvecht"


def test_places_api_q_goes_through_the_index(search_client):
    """q on /api/v1/places forgives typos (the SQL fallback would find nothing for 'kapstk')."""
    data = search_client.get("/api/v1/places?q=kapstk").get_json()
    assert data["items"][0]["name"] == "Huiskamer De Kapstok"
    assert set(data) == {"items", "total", "page", "per_page"}


def test_paging_through_search_results(search_client):
    """Pages of a text search do not overlap and the total stays the same."""
    first = search_client.get("/api/v1/places?q=koffie&per_page=5&page=1").get_json()
    second = search_client.get("/api/v1/places?q=koffie&per_page=5&page=2").get_json()
    assert first["total"] == second["total"] > 10
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_sort_by_rating_uses_the_review_ranking(search_client, search_app):
    """sort=rating puts the best-ranked reviewed place first; without reviews, relevance order holds."""
    from datetime import date

    from ervaringswijzer.accounts.models import Member
    from ervaringswijzer.extensions import db
    from ervaringswijzer.reviews.models import Review

    relevance = [i["id"] for i in search_client.get("/api/v1/search?q=koffie&per_page=5").get_json()["items"]]
    assert [i["id"] for i in search_client.get("/api/v1/search?q=koffie&per_page=5&sort=rating")
            .get_json()["items"]] == relevance
    favourite = relevance[3]
    with search_app.app_context():
        for n in range(12):
            member = Member(pseudonym=f"lid {n}", pseudonym_key=f"lid {n}", password_hash="-")
            db.session.add(Review(member=member, place_id=favourite, welcome=5, respect=5, calm=4, access=5,
                                  recommend=True, text="<p>Heel fijn.</p>", visit_month=date(2026, 9, 1)))
        db.session.commit()
    items = search_client.get("/api/v1/search?q=koffie&per_page=5&sort=rating").get_json()["items"]
    assert [i["id"] for i in items] == [favourite] + [i for i in relevance if i != favourite]


def test_suggest_completes_the_last_word(search_client):
    """Search-as-you-type: the last word is completed from the index, the words before are kept."""
    data = search_client.get("/api/v1/suggest?q=gratis%20koffieo").get_json()
    assert data["suggestions"][:2] == ["gratis koffieochtenden", "gratis koffieochtend"] or \
        set(data["suggestions"]) >= {"gratis koffieochtenden", "gratis koffieochtend"}
    assert search_client.get("/api/v1/suggest?q=k").get_json()["suggestions"] == []


def test_search_page_shows_snippets_facets_and_did_you_mean(search_client):
    """/plekken with q is the search results page: snippets, 'Bedoelde je', facets, relevance order."""
    page = search_client.get("/plekken?q=huiskamr").get_data(as_text=True)
    assert "Bedoelde je" in page and "q=huiskamer" in page
    assert '<p class="snippet">' in page and "<mark>" in page
    assert "Verfijn de resultaten" in page and "Overvecht" in page
    first_title = page.split('class="place-card-title"', 1)[1][:200]
    assert "Huiskamer" in first_title


def test_partial_match_says_so(search_client):
    """When no place has every word, the page says it shows places with some of them."""
    page = search_client.get("/plekken?q=kapstok%20zwembad").get_data(as_text=True)
    assert "Huiskamer De Kapstok" in page and "een deel ervan" in page


@pytest.mark.parametrize("q", ["<b>kapstok</b>", "kapstok <script>x</script>"])
def test_user_text_is_escaped_on_the_page(search_client, q):
    """What was typed comes back escaped in the heading, the field and the 'Bedoelde je' link."""
    page = search_client.get("/plekken", query_string={"q": q}).get_data(as_text=True)
    assert "<b>kapstok</b>" not in page and "<script>x" not in page
    assert "&lt;b&gt;kapstok&lt;/b&gt;" in page or "&lt;script&gt;" in page


def test_search_page_in_english(search_client):
    """With ?lang=en the search notes and facets are English too."""
    page = search_client.get("/plekken?q=huiskamr&lang=en").get_data(as_text=True)
    assert "Did you mean" in page and "Narrow the results" in page and "Best match" in page
    assert "Bedoelde je" not in page and "Verfijn de resultaten" not in page


def test_a_word_with_digits_is_never_corrected_but_found_exactly(search_app):
    """A code like 3581kv gets no did-you-mean (one letter off finds nothing), and written as it is, it finds its place."""
    with search_app.app_context():
        place, errors, _created = upsert_place({**PLACE, "name": "Inloop Bieb Oost",
                                                "description": "Elke dinsdag in ruimte 3581kv naast de bibliotheek."})
        assert not errors, errors
        db.session.commit()
        place_id = place.id
    client = search_app.test_client()
    exact = client.get("/api/v1/search?q=3581kv").get_json()
    assert [item["id"] for item in exact["items"]] == [place_id] and exact["did_you_mean"] is None
    near = client.get("/api/v1/search?q=3581kw").get_json()
    assert near["did_you_mean"] is None and place_id not in [item["id"] for item in near["items"]]
    split = client.get("/api/v1/search?q=koffie3581kv").get_json()  # no "two words run together" either
    assert split["did_you_mean"] is None

"""GET /api/v1/places and /api/v1/places/<id>: the PLACE contract, filters, paging, errors."""
import pytest

PLACE_KEYS = {"id", "slug", "name", "description", "categories", "address", "location", "contact",
              "flags", "opening_hours", "open_now", "next_change", "rating", "url", "first_visit", "contact_person",
              "languages", "participation_rung", "last_checked"}
FLAG_KEYS = {"walk_in", "no_referral", "free", "client_run", "peer_experts", "wheelchair",
             "bring_someone", "look_first", "quiet_space"}


def test_place_has_exactly_the_contract_shape(client, make_place):
    """One place comes back with every contract key and nested shape, nothing more."""
    pid = make_place(opening_hours="Mo-Fr 10:00-16:00")
    # Tuesday 24 November 2026, 11:00 in Amsterdam (CET, +01:00).
    data = client.get(f"/api/v1/places/{pid}?at=2026-11-24T11:00:00%2B01:00").get_json()
    assert set(data) == PLACE_KEYS
    assert data["address"] == {"street": "Gambiaweg 12", "postcode": "3564 BN", "city": "Utrecht", "wijk": "Overvecht"}
    assert data["location"] == {"lat": 52.1135, "lon": 5.112}
    assert set(data["contact"]) == {"phone", "email", "website"}
    assert set(data["flags"]) == FLAG_KEYS and data["flags"]["walk_in"] is True and data["flags"]["client_run"] is False
    assert data["categories"] == ["walk_in_centre"]
    assert data["open_now"] is True
    assert data["next_change"] == "2026-11-24T16:00:00+01:00"
    assert data["rating"] == {"count": 0, "recommend_pct": None,
                              "aspects": {"welcome": None, "respect": None, "calm": None, "access": None}}
    assert data["url"].endswith("/plek/huiskamer-de-kapstok-utrecht")


def test_open_now_at_a_given_moment(client, make_place):
    """?at= decides open_now and next_change; unknown hours give null, never false."""
    pid = make_place(opening_hours="Fr 20:00-02:00")
    unknown = make_place(name="Bel Even", opening_hours=None)
    sat_1am = client.get(f"/api/v1/places/{pid}?at=2026-11-28T01:00:00%2B01:00").get_json()
    assert sat_1am["open_now"] is True and sat_1am["next_change"] == "2026-11-28T02:00:00+01:00"
    sat_noon = client.get(f"/api/v1/places/{pid}?at=2026-11-28T12:00:00%2B01:00").get_json()
    assert sat_noon["open_now"] is False and sat_noon["next_change"] == "2026-12-04T20:00:00+01:00"
    data = client.get(f"/api/v1/places/{unknown}").get_json()
    assert data["open_now"] is None and data["next_change"] is None and data["opening_hours"] is None


def test_unknown_place_is_a_json_404(client):
    """An unknown id answers 404 with the JSON error shape."""
    response = client.get("/api/v1/places/12345")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("query, field", [
    ("per_page=101", "per_page"), ("per_page=0", "per_page"), ("page=-1", "page"), ("page=abc", "page"),
    ("category=pub", "category"), ("flags=walk_in,dogs", "flags"), ("near=52.1", "near"),
    ("near=abc,def", "near"), ("near=52.1,5.1&radius_km=-3", "radius_km"), ("radius_km=3", "radius_km"),
    ("at=yesterday", "at"), ("open_now=maybe", "open_now"),
])
def test_bad_parameters_are_400_json(client, query, field):
    """Each bad parameter answers 400 with a JSON error naming it."""
    response = client.get(f"/api/v1/places?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_parameter" and error["message"].startswith(field)


def test_filters_combine(demo_client):
    """Category, wijk, city and flags narrow the list, and every item satisfies them."""
    all_items = demo_client.get("/api/v1/places?per_page=100").get_json()
    data = demo_client.get("/api/v1/places?city=Utrecht&flags=walk_in,free&per_page=100").get_json()
    assert 0 < data["total"] < all_items["total"]
    for item in data["items"]:
        assert item["address"]["city"] == "Utrecht"
        assert item["flags"]["walk_in"] and item["flags"]["free"]
    data = demo_client.get("/api/v1/places?category=repair_reuse&category=sport&per_page=100").get_json()
    assert data["total"] >= 5
    assert all({"repair_reuse", "sport"} & set(i["categories"]) for i in data["items"])
    data = demo_client.get("/api/v1/places?wijk=utrecht/overvecht").get_json()
    assert data["total"] >= 5 and all(i["address"]["wijk"] == "Overvecht" for i in data["items"])


def test_open_now_filter_uses_at(demo_client):
    """open_now=1 keeps only places open at the given moment."""
    at = "2026-11-24T11:00:00%2B01:00"
    data = demo_client.get(f"/api/v1/places?open_now=1&at={at}&per_page=100").get_json()
    assert data["total"] > 5
    assert all(item["open_now"] is True for item in data["items"])
    night = demo_client.get("/api/v1/places?open_now=1&at=2026-11-25T03:30:00%2B01:00&per_page=100").get_json()
    assert night["total"] < data["total"]


def test_near_sorts_by_distance_within_radius(demo_client):
    """near + radius_km keeps places within the circle, nearest first."""
    from ervaringswijzer.places.filters import distance_km
    centre = (52.1160, 5.1130)  # Overvecht, Utrecht
    data = demo_client.get("/api/v1/places?near=52.1160,5.1130&radius_km=3&per_page=100").get_json()
    dists = [distance_km(centre, (i["location"]["lat"], i["location"]["lon"])) for i in data["items"]]
    assert len(dists) >= 5 and all(d <= 3 for d in dists) and dists == sorted(dists)


def test_wijk_and_city_filters_ignore_case_and_accents(app, client, make_place):
    """wijk=RHONEWEG&city=UTRECHT finds the place in wijk 'Rhôneweg', as the search index would."""
    make_place(name="Inloop Rhôneweg", address={"city": "Utrecht", "wijk": "Rhôneweg"})
    make_place(name="Inloop Rhonestraat", address={"city": "Utrecht", "wijk": "Rhonestraat"})
    data = client.get("/api/v1/places?wijk=RHONEWEG&city=UTRECHT").get_json()
    assert [item["name"] for item in data["items"]] == ["Inloop Rhôneweg"]


def test_distance_is_within_half_a_percent_of_the_ellipsoid():
    """Utrecht Centraal to Groningen: the great-circle figure is within 0.5 % of geopy's geodesic."""
    from geopy.distance import geodesic

    from ervaringswijzer.places.filters import distance_km
    utrecht, groningen = (52.0894, 5.1101), (53.2105, 6.5641)
    assert abs(distance_km(utrecht, groningen) / geodesic(utrecht, groningen).km - 1) < 0.005
    assert 155 < distance_km(utrecht, groningen) < 160


def test_paging(demo_client):
    """Pages do not overlap, and total and per_page are reported."""
    p1 = demo_client.get("/api/v1/places?per_page=10&page=1").get_json()
    p2 = demo_client.get("/api/v1/places?per_page=10&page=2").get_json()
    assert (p1["page"], p1["per_page"], len(p1["items"])) == (1, 10, 10)
    assert p1["total"] == p2["total"] >= 80
    assert not {i["id"] for i in p1["items"]} & {i["id"] for i in p2["items"]}
    far = demo_client.get("/api/v1/places?per_page=100&page=50").get_json()
    assert far["items"] == [] and far["total"] == p1["total"]


def test_unpublished_places_are_not_served(client, make_place):
    """Suggested and archived places are neither listed nor served by id."""
    pid = make_place(status="suggested")
    assert client.get(f"/api/v1/places/{pid}").status_code == 404
    assert client.get("/api/v1/places").get_json()["total"] == 0

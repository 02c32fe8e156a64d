"""A search that finds nothing offers looser searches, near matches, night places and help by phone."""
import html as htmllib
import re
from datetime import datetime

from werkzeug.datastructures import MultiDict

from ervaringswijzer.places.filters import PlaceFilters, parse_filters
from ervaringswijzer.places.hours import TZ
from ervaringswijzer.places.when import TimeWindow
from ervaringswijzer.search.alternatives import filter_args, no_results_alternatives

TUESDAY_1AM = datetime(2026, 12, 1, 1, 0, tzinfo=TZ)
QUIET_UTRECHT_OPEN = "city=Utrecht&quiet_space=1&open_now=1&at=2026-12-01T01:00:00%2B01:00"


def _three_places(make_place):
    make_place(name="Nachtcafé De Uil", opening_hours="Fr,Sa 21:00-03:00", flags={"walk_in": True})
    make_place(name="Huiskamer Stil", opening_hours="Mo-Fr 10:00-16:00", flags={"quiet_space": True})
    make_place(name="Inloop Altijd", opening_hours="24/7", flags={"quiet_space": True},
               address={"street": "Breestraat 1", "city": "Leiden", "wijk": "Centrum"})


def test_alternatives_drop_each_filter_and_order_by_opening(app, make_place):
    """Each filter gets a looser search with its count; near matches open first; night places include 24/7 and past-midnight hours."""
    _three_places(make_place)
    f = PlaceFilters(city="Utrecht", flags=["quiet_space"], open_now=True, at=TUESDAY_1AM)
    with app.app_context():
        found = no_results_alternatives(f, TUESDAY_1AM)
        relaxed = {r.label: (r.args, r.total) for r in found.relaxations}
        closest = [p.name for p in found.closest]
        night = [p.name for p in found.night]
    assert set(relaxed) == {"Utrecht", "Nu open", "Prikkelarm"}
    assert relaxed["Utrecht"][1] == 1 and "city" not in relaxed["Utrecht"][0]
    assert relaxed["Nu open"][1] == 1 and "open_now" not in relaxed["Nu open"][0]
    assert relaxed["Prikkelarm"][1] == 0 and relaxed["Prikkelarm"][0]["city"] == "Utrecht"
    assert closest == ["Inloop Altijd", "Huiskamer Stil"]  # open now, then opens at ten
    assert night == ["Inloop Altijd", "Nachtcafé De Uil"]


def test_filter_args_read_back_as_the_same_filters():
    """The arguments built for a link (the time window included) parse back into exactly the filters they came from."""
    f = PlaceFilters(q="koffie", categories=["food_coffee", "sport"], wijk="Overvecht", city="Utrecht",
                     open_now=True, flags=["walk_in", "quiet_space"], near=(52.1, 5.1), radius_km=3.0,
                     at=TUESDAY_1AM, typed_q="koffie",
                     when=TimeWindow(TUESDAY_1AM.replace(hour=18), TUESDAY_1AM.replace(hour=23)))
    args = MultiDict()
    for key, value in filter_args(f).items():
        for item in value if isinstance(value, list) else [value]:
            args.add(key, str(item))
    parsed, _page, _per_page, errors = parse_filters(args)
    assert errors == {} and parsed == f


def test_zero_results_page_offers_ways_on(client, make_place):
    """The list page with nothing found links to each looser search, shows near matches and night places, and names 113 and the huisartsenpost."""
    _three_places(make_place)
    page = client.get("/plekken?" + QUIET_UTRECHT_OPEN).get_data(as_text=True)
    assert "0 plekken gevonden" in page
    links = {htmllib.unescape(text.strip()): htmllib.unescape(href) for href, text in
             re.findall(r'<a href="([^"]+)">(Zonder ‘[^’]+’)', page)}
    assert set(links) == {"Zonder ‘Utrecht’", "Zonder ‘Nu open’", "Zonder ‘Prikkelarm’"}
    assert "city=" not in links["Zonder ‘Utrecht’"] and "quiet_space=1" in links["Zonder ‘Utrecht’"]
    assert "quiet_space" not in links["Zonder ‘Prikkelarm’"] and "open_now=1" in links["Zonder ‘Prikkelarm’"]
    looser = client.get(links["Zonder ‘Utrecht’"]).get_data(as_text=True)
    assert "1 plek gevonden" in looser and "Inloop Altijd" in looser
    almost, night = page.split("Deze plekken passen bijna")[1].split("Open in de nacht")
    assert almost.index("Inloop Altijd") < almost.index("Huiskamer Stil")
    assert "Nachtcafé De Uil" in night and "Huiskamer Stil" not in night
    assert 'href="tel:08000113"' in page and "huisartsenpost" in page


def test_filter_button_counts_active_filters(demo_client):
    """Every client flag is in the folded filter form, and its button says how many filters are on."""
    page = demo_client.get("/plekken?walk_in=1&quiet_space=1&city=Leiden").get_data(as_text=True)
    assert "<summary>Filters (3)</summary>" in page
    for flag in ("walk_in", "no_referral", "free", "client_run", "peer_experts", "wheelchair",
                 "bring_someone", "look_first", "quiet_space"):
        assert f'name="{flag}"' in page
    assert 'name="quiet_space" value="1" checked' in page

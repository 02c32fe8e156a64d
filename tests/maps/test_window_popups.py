"""With a time window chosen ("vanavond", "zondag"), map popups and the list beside the map say when a place
is open in that window, as the result list does, never how it is now."""
import json
import re

SUNDAY_EVENING = "2026-12-06T18:00:00%2B01:00/2026-12-07T00:00:00%2B01:00"


def test_popups_and_map_list_speak_of_the_chosen_window(app, client, make_place):
    """Sunday evening: the Sunday place says 'Open zo 18:00–21:00', nothing says 'Nu'; a picked instant is that moment."""
    make_place(name="Zondagavond Soep", opening_hours="Su 18:00-21:00")
    feed = json.loads(client.get(f"/api/v1/places.geojson?open_between={SUNDAY_EVENING}").get_data(as_text=True))
    assert feed["statuses"] == ["Open zo 18:00–21:00"]
    assert not any(line.startswith("Nu") for line in feed["statuses"])
    page = client.get(f"/kaart?open_between={SUNDAY_EVENING}").get_data(as_text=True)
    assert re.findall(r'class="map-list-status">([^<]*)<', page) == ["Open zo 18:00–21:00"]

    feed = json.loads(client.get("/api/v1/places.geojson?open_at=2026-12-06T19:30:00%2B01:00").get_data(as_text=True))
    assert feed["statuses"] == ["Open · sluit om 21:00"]

"""Shared maps: a social worker builds one, a client opens it logged out; revoke, expiry, guessing, roles."""
import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from ervaringswijzer.extensions import db
from ervaringswijzer.maps.shared import SharedMap, find_by_token, token_hash
from ervaringswijzer.places.models import Place
from tests.conftest import maps_login


def place_ids(app, n=3):
    with app.app_context():
        return list(db.session.scalars(sa.select(Place.id).where(Place.wijk == "Overvecht")
                                       .order_by(Place.name).limit(n)))


@pytest.fixture
def worker_client(demo_app):
    """A logged-in social worker on the demo data."""
    from ervaringswijzer.accounts.services import register_member
    with demo_app.app_context():
        register_member("wijkteam-anna", "wachtwoord-123", role="social_worker")
        db.session.commit()
    client = demo_app.test_client()
    maps_login(client, "wijkteam-anna")
    return client


def build_map(demo_app, client, title="Plekken voor Sam", note="Begin bij nummer 1.") -> SharedMap:
    response = client.post("/mijn-kaarten", data={"title": title, "note": note})
    assert response.status_code == 302
    ids = place_ids(demo_app)
    for pid in ids:
        client.post("/mijn-kaarten/toevoegen", data={"map_id": response.location.rsplit("/", 1)[1], "place_id": pid})
    with demo_app.app_context():
        shared = db.session.scalar(sa.select(SharedMap).where(SharedMap.title == title))
        db.session.expunge(shared)
        return shared


def test_social_worker_builds_orders_and_shares_a_map(demo_app, worker_client):
    """Create, add places, move one up, and the logged-out link shows them numbered in that order with the note."""
    shared = build_map(demo_app, worker_client)
    ids = place_ids(demo_app)
    assert worker_client.post(f"/mijn-kaarten/{shared.id}/plekken",
                              data={"place_id": ids[2], "action": "up"}).status_code == 302
    with demo_app.app_context():
        stored = db.session.get(SharedMap, shared.id)
        assert [i.place_id for i in stored.items] == [ids[0], ids[2], ids[1]]
        assert len(stored.token) >= 32 and stored.token_hash == token_hash(stored.token)
        names = [i.place.name for i in stored.items]
    page = demo_app.test_client().get(f"/k/{shared.token}")  # logged out
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Plekken voor Sam" in html and "Begin bij nummer 1." in html
    visible = re.sub(r'<script type="application/json".*?</script>', "", html, flags=re.S)  # the list, not the data
    positions = [visible.index(name) for name in names]
    assert positions == sorted(positions)
    assert '"numbered":true' in html
    listing = worker_client.get("/mijn-kaarten").get_data(as_text=True)
    assert "Plekken voor Sam" in listing and "3 plekken" in listing


def test_qr_codes_and_print_view(demo_app, worker_client):
    """The link gives a PNG and an SVG QR code and an A4 print view with address, phone, hours and note."""
    shared = build_map(demo_app, worker_client)
    client = demo_app.test_client()
    png = client.get(f"/k/{shared.token}/qr.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    svg = client.get(f"/k/{shared.token}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    printed = client.get(f"/k/{shared.token}/afdrukken").get_data(as_text=True)
    with demo_app.app_context():
        first = db.session.scalar(sa.select(Place).where(Place.id == place_ids(demo_app)[0]))
        assert first.street_line in printed and (not first.phone or first.phone in printed)
    assert "Begin bij nummer 1." in printed and 'class="print-day"' in printed
    assert f"/k/{shared.token}" in printed and "<svg" in printed


def test_revoked_and_expired_links_explain_themselves(demo_app, worker_client):
    """A revoked link answers 410 with a kind page, so does an expired one; a new link works again."""
    shared = build_map(demo_app, worker_client)
    worker_client.post(f"/mijn-kaarten/{shared.id}/intrekken")
    gone = demo_app.test_client().get(f"/k/{shared.token}")
    assert gone.status_code == 410 and "heeft de link uitgezet" in gone.get_data(as_text=True)
    assert demo_app.test_client().get(f"/k/{shared.token}/qr.png").status_code == 410

    worker_client.post(f"/mijn-kaarten/{shared.id}/nieuwe-link")
    with demo_app.app_context():
        renewed = db.session.get(SharedMap, shared.id)
        new_token = renewed.token
        renewed.expires_at = datetime.now(timezone.utc) - timedelta(minutes=1)
        db.session.commit()
    assert new_token != shared.token
    assert demo_app.test_client().get(f"/k/{shared.token}").status_code == 404
    expired = demo_app.test_client().get(f"/k/{new_token}")
    assert expired.status_code == 410 and "Die dag is voorbij" in expired.get_data(as_text=True)


def test_expiry_date_from_the_form_means_through_that_day(demo_app, worker_client):
    """'Werkt tot en met' a date keeps the link working that whole Dutch day; a past date is refused kindly."""
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).date()
    response = worker_client.post("/mijn-kaarten", data={"title": "Kort", "expires_on": tomorrow.isoformat()})
    assert response.status_code == 302
    with demo_app.app_context():
        shared = db.session.scalar(sa.select(SharedMap).where(SharedMap.title == "Kort"))
        assert shared.state() == "active"
        assert shared.state(datetime.now(timezone.utc) + timedelta(days=3)) == "expired"
    past = worker_client.post("/mijn-kaarten", data={"title": "Oud", "note": "bewaar mij",
                                                      "expires_on": "2020-01-01"})
    html = past.get_data(as_text=True)
    assert past.status_code == 200 and "Kies een datum in de toekomst" in html and "bewaar mij" in html


def test_guessing_tokens_is_404_with_one_hashed_lookup(demo_app, worker_client):
    """Wrong, truncated, near-miss and absurd tokens all get 404 through the same path: one query by SHA-256."""
    shared = build_map(demo_app, worker_client)
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    guesses = [shared.token[:-1] + ("A" if shared.token[-1] != "A" else "B"), shared.token[:16],
               shared.token + "x", "x" * 500, "%00", "' OR 1=1 --"]
    with demo_app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            for guess in guesses:
                statements.clear()
                assert find_by_token(guess) is None
                assert len(statements) == 1
                statement, params = statements[0]
                assert "token_hash" in statement and "shared_map.token =" not in statement
                assert token_hash(guess) in str(params) and guess not in str(params)
            statements.clear()
            assert find_by_token(shared.token).state == "active"
            assert "token_hash" in statements[0][0]  # the same first query; then its places load
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
    client = demo_app.test_client()
    for guess in guesses[:4]:
        assert client.get(f"/k/{guess}").status_code == 404
        assert client.get(f"/k/{guess}/qr.png").status_code == 404


@pytest.mark.parametrize("role, status", [(None, 302), ("member", 403), ("peer_expert", 403),
                                          ("moderator", 403), ("social_worker", 200), ("admin", 200)])
def test_only_social_workers_and_admins_manage_maps(demo_app, role, status):
    """'Mijn kaarten' sends visitors to the login page and refuses members without the role."""
    client = demo_app.test_client()
    if role:
        from ervaringswijzer.accounts.services import register_member
        with demo_app.app_context():
            register_member(f"iemand-{role}", "wachtwoord-123", role=role)
            db.session.commit()
        maps_login(client, f"iemand-{role}")
    response = client.get("/mijn-kaarten")
    assert response.status_code == status
    if status == 302:
        assert "/inloggen" in response.location
    created = client.post("/mijn-kaarten", data={"title": "x"})
    assert created.status_code == (302 if status == 200 else status)
    with demo_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SharedMap)) == (1 if status == 200 else 0)


def test_nobody_else_can_edit_or_add_to_my_map(demo_app, worker_client):
    """Another social worker gets 404 for my map's pages and cannot add places to it."""
    shared = build_map(demo_app, worker_client)
    from ervaringswijzer.accounts.services import register_member
    with demo_app.app_context():
        register_member("wijkteam-bob", "wachtwoord-123", role="social_worker")
        db.session.commit()
    other = demo_app.test_client()
    maps_login(other, "wijkteam-bob")
    assert other.get(f"/mijn-kaarten/{shared.id}").status_code == 404
    assert other.post(f"/mijn-kaarten/{shared.id}/intrekken").status_code == 404
    assert other.post("/mijn-kaarten/toevoegen", data={"map_id": shared.id, "place_id": 1}).status_code == 404
    with demo_app.app_context():
        assert db.session.get(SharedMap, shared.id).revoked_at is None


def test_add_to_map_from_place_page_and_search_results(demo_app, worker_client):
    """The place page and the list page offer 'Zet op mijn kaart'; adding from the list takes the ticked places."""
    page = worker_client.get("/plek/huiskamer-de-kapstok-overvecht").get_data(as_text=True)
    assert "Zet op mijn kaart" in page and 'value="new"' in page
    listing = worker_client.get("/plekken?city=Utrecht&wijk=Overvecht").get_data(as_text=True)
    assert 'type="checkbox" name="place_id"' in listing
    ids = place_ids(demo_app, 2)
    response = worker_client.post("/mijn-kaarten/toevoegen", data={"map_id": "new", "place_id": ids,
                                                                    "next": "/plekken?wijk=Overvecht"})
    assert response.status_code == 302 and response.location.endswith("/plekken?wijk=Overvecht")
    with demo_app.app_context():
        shared = db.session.scalar(sa.select(SharedMap))
        assert [i.place_id for i in shared.items] == ids
    assert "Zet op mijn kaart" not in demo_app.test_client().get("/plek/huiskamer-de-kapstok-overvecht").get_data(
        as_text=True)


def test_added_places_are_counted_in_words(demo_app, worker_client):
    """The message after adding says '1 plek' or '2 plekken', in English '1 place' or '2 places'."""
    first, second, third = place_ids(demo_app, 3)
    worker_client.post("/mijn-kaarten/toevoegen", data={"map_id": "new", "place_id": [first, second]})
    assert "2 plekken op de kaart ‘" in worker_client.get("/mijn-kaarten").get_data(as_text=True)
    with demo_app.app_context():
        map_id = db.session.scalar(sa.select(SharedMap.id))
    worker_client.get("/mijn-kaarten?lang=en")
    worker_client.post("/mijn-kaarten/toevoegen", data={"map_id": map_id, "place_id": third})
    assert "1 place added to the map ‘" in worker_client.get("/mijn-kaarten").get_data(as_text=True)


def test_moderator_sets_a_pin_by_hand(demo_app):
    """A moderator corrects the pin; the place becomes 'manual' and a member cannot reach the form."""
    from ervaringswijzer.accounts.services import register_member
    with demo_app.app_context():
        register_member("mod-mia", "wachtwoord-123", role="moderator")
        register_member("lid-lex", "wachtwoord-123", role="member")
        db.session.commit()
    member = demo_app.test_client()
    maps_login(member, "lid-lex")
    assert member.get("/plek/huiskamer-de-kapstok-overvecht/speld").status_code == 403
    client = demo_app.test_client()
    maps_login(client, "mod-mia")
    assert "Speld verzetten" in client.get("/plek/huiskamer-de-kapstok-overvecht").get_data(as_text=True)
    bad = client.post("/plek/huiskamer-de-kapstok-overvecht/speld", data={"lat": "123", "lon": "5.1"})
    assert bad.status_code == 200 and 'value="123"' in bad.get_data(as_text=True)
    ok = client.post("/plek/huiskamer-de-kapstok-overvecht/speld", data={"lat": "52.1", "lon": "5.2"})
    assert ok.status_code == 302
    with demo_app.app_context():
        place = db.session.scalar(sa.select(Place).where(Place.slug == "huiskamer-de-kapstok-overvecht"))
        assert (place.lat, place.lon, place.location_status) == (52.1, 5.2, "manual")


def test_seed_demo_adds_worker_and_map_once(demo_app):
    """seed-demo's maps part creates the demo social worker and a map with a known link, and is idempotent."""
    from ervaringswijzer.maps.cli import DEMO_TOKEN, seed_maps
    with demo_app.app_context():
        first = seed_maps()
        db.session.commit()
        second = seed_maps()
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SharedMap)) == 1
    assert "wachtwoord" in first and "wachtwoord" not in second and DEMO_TOKEN in second
    assert demo_app.test_client().get(f"/k/{DEMO_TOKEN}").status_code == 200


def test_map_form_refusal_is_english_on_an_english_page(demo_app, worker_client):
    """A past expiry date on the English page is refused in English, not with the Dutch service text."""
    worker_client.get("/mijn-kaarten?lang=en")
    html = worker_client.post("/mijn-kaarten", data={"title": "Old", "expires_on": "2020-01-01"}).get_data(as_text=True)
    assert "Choose a date in the future, or leave it empty." in html and "Kies een datum" not in html


def test_pin_lookup_for_a_place_archived_meanwhile_says_so(demo_app, geocoder_server):
    """'Zoek opnieuw' while someone archives the place during the geocoder call: a plain message, no error, no pin."""
    from ervaringswijzer.accounts.services import register_member
    slug = "huiskamer-de-kapstok-overvecht"
    demo_app.config.update(GEOCODER_URL=geocoder_server.url, GEOCODER_TIMEOUT=2, GEOCODER_MIN_DELAY=0)
    with demo_app.app_context():
        register_member("mod-mia", "wachtwoord-123", role="moderator")
        db.session.commit()
        before = db.session.scalar(sa.select(Place).where(Place.slug == slug))
        pin = (before.lat, before.lon, before.location_status)

    def archive(_query):
        with demo_app.app_context():
            db.session.scalar(sa.select(Place).where(Place.slug == slug)).status = "archived"
            db.session.commit()

    client = demo_app.test_client()
    maps_login(client, "mod-mia")
    geocoder_server.on_request = archive
    try:
        response = client.post(f"/plek/{slug}/speld", data={"action": "geocode"}, follow_redirects=True)
    finally:
        geocoder_server.on_request = None
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Deze plek staat niet meer op de kaart" in html
    with demo_app.app_context():
        after = db.session.scalar(sa.select(Place).where(Place.slug == slug))
        assert (after.status, (after.lat, after.lon, after.location_status)) == ("archived", pin)


def test_adding_a_place_archived_since_the_page_loaded_says_so(demo_app, worker_client):
    """A place archived after the list was shown is not put on the map, and the worker is told why."""
    first, second = place_ids(demo_app, 2)
    with demo_app.app_context():
        db.session.get(Place, second).status = "archived"
        db.session.commit()
    response = worker_client.post("/mijn-kaarten/toevoegen", data={"map_id": "new", "place_id": [first, second]},
                                  follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "1 plek op de kaart ‘" in html and "1 plek staat niet meer op Ervaringswijzer" in html
    with demo_app.app_context():
        assert [i.place_id for i in db.session.scalar(sa.select(SharedMap)).items] == [first]


def test_print_view_lists_coming_deviations_and_the_weeks_it_covers(demo_app, worker_client):
    """The printout names a coming closure of a place and says which four weeks it looked at."""
    from flask_babel import format_date

    from ervaringswijzer.places.display import short_date
    from ervaringswijzer.places.hours import TZ, holiday_name

    shared = build_map(demo_app, worker_client)
    today = datetime.now(TZ).date()
    closed = next(today + timedelta(days=n) for n in range(3, 10)
                  if not any(holiday_name(today + timedelta(days=n + k)) for k in range(3)))
    with demo_app.app_context():
        first = db.session.get(Place, place_ids(demo_app)[0])
        first.opening_hours = f"Mo-Su 09:00-17:00; {closed:%Y %b %d}-{closed + timedelta(days=2):%Y %b %d} off"
        db.session.commit()
    printed = demo_app.test_client().get(f"/k/{shared.token}/afdrukken").get_data(as_text=True)
    with demo_app.test_request_context():
        closure = f"Gesloten {short_date(closed)} – {short_date(closed + timedelta(days=2))}"
        covers = (f"Afwijkende tijden gelden voor {format_date(today, 'd MMMM yyyy')} tot en met "
                  f"{format_date(today + timedelta(days=27), 'd MMMM yyyy')}")
        made = f"Gemaakt met Ervaringswijzer op {format_date(today, 'd MMMM yyyy')}"
    assert "Anders dan normaal:" in printed and closure in printed
    assert covers in printed and made in printed

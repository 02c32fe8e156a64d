"""Every role against every protected action: allowed where it should be, refused (403 or login) where not."""
import pytest

from ervaringswijzer.core.access import PERMISSIONS, can
from ervaringswijzer.accounts.models import ROLES, Member
from ervaringswijzer.extensions import db
from tests.conftest import reviews_login

# The rules as the product wants them, written out independently of access.py.
EXPECTED = {
    "account.manage": {"member", "peer_expert", "social_worker", "coordinator", "moderator", "admin"},
    "inbox.view": {"member", "peer_expert", "social_worker", "coordinator", "moderator", "admin"},
    "review.write": {"member", "peer_expert", "social_worker", "coordinator", "moderator", "admin"},
    "review.respond": {"member", "peer_expert", "social_worker", "coordinator", "moderator", "admin"},
    "place.suggest": {"member", "peer_expert", "social_worker", "coordinator", "moderator", "admin"},
    "place.confirm": {"peer_expert", "moderator", "admin"},
    "place.edit": {"moderator", "admin"},
    "moderate": {"moderator", "admin"},
    "audit.view": {"moderator", "admin"},
    "crisis.edit": {"moderator", "admin"},
    "shared_map.manage": {"social_worker", "admin"},
    "overview.view": {"coordinator", "admin"},
    "expert_profile.manage": {"peer_expert", "admin"},
    "expert_profile.view": {"social_worker", "coordinator", "admin"},
    "expert_request.file": {"social_worker", "coordinator", "admin"},
    "expert_request.view": {"peer_expert", "social_worker", "coordinator", "admin"},
    "expert_request.answer": {"peer_expert", "admin"},
    "expert_profile.moderate": {"moderator", "admin"},
    "databank.manage": {"coordinator", "admin"},
    "place.contact_view": {"social_worker", "coordinator", "admin"},
    "roles.grant": {"admin"},
    "place.import": {"admin"},
}

# One request per action that has a page of its own. {place}, {suggestion} and {review} are filled in.
ENDPOINTS = {
    "account.manage": ("GET", "/account"),
    "inbox.view": ("GET", "/berichten"),
    "review.write": ("GET", "/plek/huiskamer-de-kapstok-utrecht/ervaring"),
    "place.suggest": ("GET", "/plek-voorstellen"),
    "place.confirm": ("POST", "/voorstellen/{suggestion}/bevestigen"),
    "moderate": ("GET", "/moderatie"),
    "audit.view": ("GET", "/moderatie/logboek"),
    "crisis.edit": ("GET", "/moderatie/crisiszinnen"),
    "roles.grant": ("GET", "/beheer/leden"),
    "overview.view": ("GET", "/overzicht"),
    "expert_profile.manage": ("GET", "/mijn-profiel"),
    "expert_request.file": ("GET", "/verzoeken/nieuw"),
    "expert_request.answer": ("GET", "/mijn-voorstellen"),
    "databank.manage": ("GET", "/databank"),
    "place.import": ("GET", "/beheer/import"),
}
MODERATION_POSTS = [("POST", "/moderatie/ervaring/{review}", {"action": "dismiss"}),
                    ("GET", "/moderatie/ervaring/{review}/redigeren", None)]


def test_the_rules_table_matches_the_product_rules():
    """access.py grants exactly the roles the product wants, for every action it knows."""
    assert set(PERMISSIONS) == set(EXPECTED)
    for action, roles in EXPECTED.items():
        for role in ROLES:
            assert can(action, Member(role=role, id=1)) == (role in roles), (action, role)


def test_anonymous_visitors_are_refused_every_action(client):
    """Without logging in, can() says no and protected pages send the visitor to the login page."""
    class Anonymous:
        is_authenticated = False
    for action in EXPECTED:
        assert can(action, Anonymous()) is False
    for method, url in list(ENDPOINTS.values()) + [(m, u) for m, u, _d in MODERATION_POSTS]:
        url = url.format(place=1, suggestion=1, review=1)
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"], url


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_pages(app, client, make_place, reviews_member, reviews_review, role):
    """Per role: each protected page answers when allowed and gives 403 when not."""
    from ervaringswijzer.places.suggestions import suggest_place

    place_id = make_place()
    suggester = reviews_member("member")
    with app.app_context():
        place, errors = suggest_place({"name": "Nieuwe Plek", "categories": ["sport"],
                                       "address": {"street": "Laan 1", "city": "Utrecht"}},
                                      db.session.get(Member, suggester))
        assert not errors
        db.session.commit()
        suggestion = place.id
    review = reviews_review(reviews_member("member"), place_id)
    reviews_login(client, reviews_member(role))
    ids = {"place": place_id, "suggestion": suggestion, "review": review}
    for action, (method, url) in ENDPOINTS.items():
        response = client.open(url.format(**ids), method=method)
        if role in EXPECTED[action]:
            assert response.status_code in (200, 302), (action, role, response.status_code)
            assert "/inloggen" not in response.headers.get("Location", "")
        else:
            assert response.status_code == 403, (action, role)
            assert "Dat lukt niet" in response.get_data(as_text=True)
    for method, url, data in MODERATION_POSTS:
        response = client.open(url.format(**ids), method=method, data=data)
        expected = (200, 302) if role in EXPECTED["moderate"] else (403,)
        assert response.status_code in expected, (url, role, response.status_code)


def test_object_rules_own_suggestion_and_response_contact(app, make_place, reviews_member, reviews_review):
    """A peer expert cannot confirm their own suggestion; only the place's contact may respond to its reviews."""
    from ervaringswijzer.accounts.models import PlaceContact
    from ervaringswijzer.places.models import Place
    from ervaringswijzer.reviews.models import Review

    place_id = make_place()
    expert, contact = reviews_member("peer_expert"), reviews_member("member")
    review_id = reviews_review(reviews_member("member"), place_id)
    with app.app_context():
        expert_m, contact_m = db.session.get(Member, expert), db.session.get(Member, contact)
        contact_m.contact = PlaceContact(place_id=place_id)
        db.session.flush()
        own = Place(name="x", slug="x", status="suggested", suggested_by_id=expert)
        other = Place(name="y", slug="y", status="suggested", suggested_by_id=contact)
        review = db.session.get(Review, review_id)
        assert can("place.confirm", expert_m, own) is False
        assert can("place.confirm", expert_m, other) is True
        assert can("review.respond", contact_m, review) is True
        assert can("review.respond", expert_m, review) is False


def test_form_post_without_csrf_token_is_refused(app, client, make_place, reviews_member):
    """With CSRF on (as in production), a login post without a token is refused with 400. The report form on
    the place page carries no token for visitors (reading a place sets no cookie): another site's post is
    refused by its origin, a member's post still needs their token."""
    make_place()
    app.config["WTF_CSRF_ENABLED"] = True
    report = "/plek/huiskamer-de-kapstok-utrecht/klopt-niet"
    for url in ("/inloggen", "/aanmelden"):
        response = client.post(url, data={"pseudonym": "a", "password": "b", "kind": "phone"})
        assert response.status_code == 400, url
    visitor = app.test_client()
    page = visitor.get("/plek/huiskamer-de-kapstok-utrecht")
    assert "csrf_token" not in page.get_data(as_text=True) and "Set-Cookie" not in page.headers
    for forged in ({"Origin": "https://kwaad.example"}, {"Referer": "https://kwaad.example/plek"}, {"Origin": "null"}):
        assert visitor.post(report, data={"kind": "phone"}, headers=forged).status_code == 400, forged
    assert visitor.post(report, data={"kind": "phone"}, headers={"Origin": "http://localhost"}).status_code == 302
    reviews_login(client, reviews_member(pseudonym="Melder"))
    assert client.post(report, data={"kind": "phone"}, headers={"Origin": "http://localhost"}).status_code == 400
    page = client.get("/plek/huiskamer-de-kapstok-utrecht").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    ok = client.post(report, data={"kind": "phone", "csrf_token": token})
    assert ok.status_code == 302


# Every route of the databank and of going along / looking first, with the action that guards it.
# {request}, {proposal}, {map} and {place} are filled in; object rules may then answer 404 (not one's own).
DATABANK_ROUTES = [
    ("GET", "/mijn-profiel", "expert_profile.manage"),
    ("POST", "/mijn-profiel", "expert_profile.manage"),
    ("POST", "/mijn-profiel/pauzeren", "expert_profile.manage"),
    ("POST", "/mijn-profiel/verwijderen", "expert_profile.manage"),
    ("GET", "/mijn-voorstellen", "expert_request.answer"),
    ("POST", "/voorstel/{proposal}", "expert_request.answer"),
    ("GET", "/verzoeken", "expert_request.file"),
    ("GET", "/verzoeken/nieuw", "expert_request.file"),
    ("POST", "/verzoeken/nieuw", "expert_request.file"),
    ("GET", "/verzoeken/{request}", "expert_request.view"),
    ("POST", "/verzoeken/{request}/afspreken", "expert_request.file"),
    ("POST", "/verzoeken/{request}/status", "expert_request.file"),
    ("POST", "/verzoeken/{request}/notitie", "expert_request.view"),
    ("GET", "/moderatie/profielen", "expert_profile.moderate"),
    ("POST", "/moderatie/profielen", "expert_profile.moderate"),
    ("GET", "/databank", "databank.manage"),
    ("GET", "/databank/verzoek/{request}", "databank.manage"),
    ("POST", "/databank/verzoek/{request}", "databank.manage"),
    ("GET", "/databank/themas", "databank.manage"),
    ("POST", "/databank/themas", "databank.manage"),
    ("GET", "/databank/overzicht", "databank.manage"),
    ("GET", "/databank/overzicht.csv", "databank.manage"),
    ("GET", "/mijn-kaarten/{map}/plek/{place}", "shared_map.manage"),
    ("POST", "/mijn-kaarten/{map}/plek/{place}", "shared_map.manage"),
    ("POST", "/mijn-kaarten/{map}/plek/{place}/eerst-kijken", "shared_map.manage"),
]
# Open to everyone by design: public profiles, and the contact person's answer by a mailed link.
PUBLIC_ENDPOINTS = {"experts.expert_list", "experts.expert_profile", "maps.look_first_answer"}
GUARDED_ENDPOINTS = {"experts.my_profile", "experts.pause_my_profile", "experts.delete_my_profile",
                     "experts.my_proposals", "experts.answer", "experts.my_requests", "experts.new_request",
                     "experts.request_detail", "experts.agree_request", "experts.finish_request",
                     "experts.note_request", "experts.desk", "experts.match", "experts.theme_list",
                     "experts.year_page", "experts.year_csv", "experts.held_list", "maps.place_plan", "maps.ask_look"}


def test_every_databank_route_is_in_the_table(app):
    """No route of the databank or of going along escapes the role x action table."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    new = {e for e in endpoints if e.startswith("experts.")} | {"maps.place_plan", "maps.ask_look", "maps.look_first_answer"}
    assert new == GUARDED_ENDPOINTS | PUBLIC_ENDPOINTS
    with app.test_request_context():
        routed = {app.url_map.bind("localhost").match(url.format(request=1, proposal=1, map=1, place=1),
                                                      method=method)[0] for method, url, _a in DATABANK_ROUTES}
    assert routed == GUARDED_ENDPOINTS


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_databank_routes(app, client, make_place, reviews_member, role):
    """Per role, every databank and going-along route answers (or 404s on another's object) when allowed, 403 when not."""
    from ervaringswijzer.maps.shared import add_place, create_shared_map
    from ervaringswijzer.places.models import Place

    owner = reviews_member("social_worker")
    place_id = make_place()
    with app.app_context():
        shared, _errors = create_shared_map(owner, "Kaart")
        add_place(shared, db.session.get(Place, place_id))
        db.session.commit()
        ids = {"request": 999, "proposal": 999, "map": shared.id, "place": place_id}
    reviews_login(client, reviews_member(role))
    for method, url, action in DATABANK_ROUTES:
        response = client.open(url.format(**ids), method=method, data={})
        if role in EXPECTED[action]:
            assert response.status_code in (200, 302, 400, 404), (url, role, response.status_code)
            assert "/inloggen" not in response.headers.get("Location", "")
        else:
            assert response.status_code == 403, (url, role, response.status_code)


def test_anonymous_visitors_go_to_login_for_databank_routes(client):
    for method, url, _action in DATABANK_ROUTES:
        response = client.open(url.format(request=1, proposal=1, map=1, place=1), method=method)
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"], url

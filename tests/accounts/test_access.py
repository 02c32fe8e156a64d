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
    "roles.grant": {"admin"},
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


def test_form_post_without_csrf_token_is_refused(app, client, make_place):
    """With CSRF on (as in production), a login or report post without a token is refused with 400."""
    make_place()
    app.config["WTF_CSRF_ENABLED"] = True
    for url in ("/inloggen", "/plek/huiskamer-de-kapstok-utrecht/klopt-niet", "/aanmelden"):
        response = client.post(url, data={"pseudonym": "a", "password": "b", "kind": "phone"})
        assert response.status_code == 400, url
    page = client.get("/plek/huiskamer-de-kapstok-utrecht").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    ok = client.post("/plek/huiskamer-de-kapstok-utrecht/klopt-niet", data={"kind": "phone", "csrf_token": token})
    assert ok.status_code == 302

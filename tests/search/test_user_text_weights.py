"""No text from members or places can set its own weight in the index: reviews, place text and suggestions."""
from datetime import date

import pytest

from ervaringswijzer.extensions import db
from ervaringswijzer.places.models import Place
from ervaringswijzer.places.services import upsert_place
from ervaringswijzer.places.suggestions import decide_suggestion, suggest_place
from ervaringswijzer.reviews.models import Review
from ervaringswijzer.search import index as idx
from ervaringswijzer.search.analysis import BOOST_CHAR
from ervaringswijzer.search.query import IndexFilters, run_search

from .helpers import PLACE

# What an attacker would type: the old weight mark, the new mark's character, and look-alikes.
MARKS = ["ewboost100000", BOOST_CHAR + "100000", "EWBOOST100000", "ewboost١٠٠٠٠٠", BOOST_CHAR + "ewboost100000"]


def _scores(app, text: str) -> dict[int, float]:
    with app.app_context():
        return run_search(idx.searcher_for(app.config["SEARCH_INDEX_DIR"]), text, IndexFilters(), facets=False).scores


def _member(app, role: str = "member") -> int:
    """A member stored straight in this app's database (a fast hash: hashing is not what is tested)."""
    from werkzeug.security import generate_password_hash

    from ervaringswijzer.accounts.models import Member

    with app.app_context():
        number = db.session.query(Member).count() + 1
        member = Member(pseudonym=f"zoeker {number}", pseudonym_key=f"zoeker {number}", role=role,
                        password_hash=generate_password_hash("x" * 12, method="pbkdf2:sha256:1000"))
        db.session.add(member)
        db.session.commit()
        return member.id


def _place(app, name: str, slug: str, description: str, **extra) -> int:
    with app.app_context():
        place, errors, _ = upsert_place({**PLACE, "name": name, "slug": slug, "description": description, **extra})
        assert not errors, errors
        db.session.commit()
        return place.id


def _assert_not_lifted(app, attacker: int, control: int, query: str = "koffie") -> None:
    scores = _scores(app, query)
    assert attacker in scores and control in scores
    assert scores[attacker] == pytest.approx(scores[control], rel=1e-3), (scores[attacker], scores[control])
    ranking = sorted(scores, key=lambda pid: -scores[pid])
    assert ranking.index(attacker) >= 5, ranking.index(attacker)


@pytest.mark.parametrize("mark", MARKS)
def test_review_text_cannot_lift_a_place(search_app, mark):
    """A published review 'Leuk <mark> koffie' scores its place the same as 'Leuk koffie' does another."""
    attacker = _place(search_app, "Wandelclub Alfa", "wandelclub-alfa", "Wandelen in het park.")
    control = _place(search_app, "Wandelclub Beta", "wandelclub-beta", "Wandelen in het park.")
    with search_app.app_context():
        for place_id, text in ((attacker, f"<p>Leuk {mark} koffie</p>"), (control, "<p>Leuk koffie</p>")):
            db.session.add(Review(member_id=_member(search_app), place_id=place_id, status="published", text=text,
                                  welcome=4, respect=4, calm=4, access=4, recommend=True,
                                  visit_month=date(2026, 9, 1)))
        db.session.commit()
    _assert_not_lifted(search_app, attacker, control)


@pytest.mark.parametrize("mark", MARKS[:2])
def test_place_text_cannot_lift_a_place(search_app, mark):
    """A mark in a place's name, description or first-visit text gives it no extra weight."""
    attacker = _place(search_app, f"Wandelclub {mark} Alfa", "wandelclub-alfa",
                      f"Wandelen in het park. {mark} Daarna koffie.", first_arrival=f"{mark} Er is koffie.")
    control = _place(search_app, "Wandelclub Alfa", "wandelclub-beta", "Wandelen in het park. Daarna koffie.",
                     first_arrival="Er is koffie.")
    _assert_not_lifted(search_app, attacker, control)


def test_suggested_place_cannot_lift_itself(search_app):
    """A member's suggestion, once a moderator publishes it, weighs like the same place added plainly."""
    from ervaringswijzer.accounts.models import Member

    member_id, moderator_id = _member(search_app), _member(search_app, "moderator")
    with search_app.app_context():
        member, moderator = db.session.get(Member, member_id), db.session.get(Member, moderator_id)
        place, errors = suggest_place({**PLACE, "name": "Wandelclub Alfa", "slug": "wandelclub-alfa",
                                       "description": "Wandelen. ewboost100000 Daarna koffie."}, member)
        assert not errors, errors
        db.session.commit()
        assert decide_suggestion(db.session.get(Place, place.id), moderator, publish=True) is None
        db.session.commit()
        attacker = place.id
    control = _place(search_app, "Wandelclub Beta", "wandelclub-beta", "Wandelen. Daarna koffie.")
    _assert_not_lifted(search_app, attacker, control)

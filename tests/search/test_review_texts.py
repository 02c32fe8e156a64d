"""Real reviews in the index: a published review's words find its place; hiding it takes them out."""
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from ervaringswijzer.accounts.models import Member
from ervaringswijzer.extensions import db
from ervaringswijzer.moderation.services import set_review_status
from ervaringswijzer.places.models import Place
from ervaringswijzer.reviews.models import Review
from ervaringswijzer.core import signals
from ervaringswijzer.reviews.services import on_place_search_texts

from .helpers import index_ids


@pytest.fixture
def with_review_texts(search_app):
    """The reviews package connects its texts to the index's signal when the app is created."""
    assert list(signals.place_search_texts.receivers_for(None)).count(on_place_search_texts) == 1


def _member(role: str) -> Member:
    member = Member(pseudonym=f"zoek-{role}", pseudonym_key=f"zoek-{role}", role=role,
                    password_hash=generate_password_hash("x" * 12, method="pbkdf2:sha256:1000"),
                    created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    db.session.add(member)
    return member


def test_review_words_follow_publish_and_hide(search_app, with_review_texts):
    """A published review adds its words (via the outbox, in the review's own commit); hiding removes them."""
    with search_app.app_context():
        place = db.session.scalar(sa.select(Place).where(Place.slug == "zorgtuin-beijum"))
        review = Review(member=_member("member"), place=place, status="published",
                        text="<p>De <em>zonnebloemen</em> in de kas zijn prachtig.</p>",
                        welcome=5, respect=5, calm=5, access=4, recommend=True, visit_month=date(2026, 9, 1))
        db.session.add(review)
        db.session.commit()
        place_id, review_id = place.id, review.id
    assert index_ids(search_app, "zonnebloemen") == [place_id]
    with search_app.app_context():
        moderator = _member("moderator")
        assert set_review_status(db.session.get(Review, review_id), "hidden", moderator, "Test: verbergen.") is None
        db.session.commit()
    assert index_ids(search_app, "zonnebloemen") == []

"""Domain rules for reviews: validate, sanitise, hold for a moderator when needed, aggregate ratings.

Functions add and flush but never commit; the view owns the commit.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import flag_modified

from ..accounts.models import Member
from ..core.time import utcnow
from ..db import insert_if_absent
from ..places.counters import count_event
from ..extensions import db
from ..places.models import Place
from .care import crisis_check
from .models import ASPECTS, Review, ReviewResponse
from .ranking import bayesian_average
from .sanitize import clean_html, plain_text
from .tell import review_status_changed

log = logging.getLogger(__name__)
TRUSTED_ROLES = ("peer_expert", "moderator", "admin")
RESPONSE_MAX = 1000


def _config(key: str):
    return current_app.config[key]


def parse_visit_month(value) -> date | None:
    """'2026-10' (the <input type=month> format) -> date(2026, 10, 1)."""
    try:
        year, month = (int(x) for x in str(value or "").split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        return None


def validate_review(data: dict, today: date) -> tuple[dict, dict[str, str]]:
    """Check what the form sent; return (clean values, errors by field) in plain Dutch, as lazy
    messages put into the page's language where they are shown."""
    errors: dict[str, str] = {}
    clean: dict = {}
    for aspect in ASPECTS:
        try:
            value = int(data.get(aspect))
            if not 1 <= value <= 5:
                raise ValueError
            clean[aspect] = value
        except (TypeError, ValueError):
            errors[aspect] = _l("Kies 1 tot en met 5 sterren.")
    recommend = data.get("recommend")
    if recommend not in ("yes", "no", True, False):
        errors["recommend"] = _l("Kies ja of nee.")
    clean["recommend"] = recommend in ("yes", True)
    month = parse_visit_month(data.get("visit_month"))
    if month is None:
        errors["visit_month"] = _l("Kies de maand van je bezoek.")
    elif month > today or month < date(today.year - 10, 1, 1):
        errors["visit_month"] = _l("Kies een maand in de afgelopen tien jaar, niet in de toekomst.")
    clean["visit_month"] = month
    raw = data.get("text") or ""
    words = plain_text(raw)
    low, high = _config("REVIEW_TEXT_MIN"), _config("REVIEW_TEXT_MAX")
    if len(words) < low:
        errors["text"] = _l("Schrijf minstens %(low)d tekens over je ervaring (nu %(now)d).", low=low, now=len(words))
    elif len(words) > high or len(raw) > high * 4:
        errors["text"] = _l("Je tekst is te lang: hoogstens %(high)d tekens (nu %(now)d). Maak hem wat korter.", high=high, now=len(words))
    clean["text"] = clean_html(raw)
    return clean, errors


def _hold_reason(member, text: str, now: datetime) -> str:
    """Why this review must wait for a moderator, or '' when it can be published at once."""
    if crisis_check(text):
        return "crisis"
    if _config("REVIEW_MODERATION_MODE") == "pre":
        return "premoderation"
    if member.role in TRUSTED_ROLES:
        return ""
    created = member.created_at if member.created_at.tzinfo else member.created_at.replace(tzinfo=timezone.utc)
    if now - created < timedelta(days=_config("REVIEW_PREMODERATION_DAYS")):
        return "new_member"
    return ""


def review_of(member_id: int, place_id: int) -> Review | None:
    return db.session.scalar(sa.select(Review).where(Review.member_id == member_id, Review.place_id == place_id))


def save_review(member, place: Place, data: dict, now: datetime | None = None):
    """Create or update the member's one review of place. Returns (review | None, errors)."""
    now = now or datetime.now(timezone.utc)
    clean, errors = validate_review(data, now.date())
    if errors:
        return None, errors
    review = review_of(member.id, place.id)
    created = False
    if review is None:
        # The same form sent twice at once: both requests miss the review, one inserts it, the other
        # finds it here and saves its copy as an edit of that same review.
        created = insert_if_absent(Review, {"member_id": member.id, "place_id": place.id, **clean,
                                            "status": "pending", "hold_reason": ""},
                                   keys=["member_id", "place_id"])
        if created:
            count_event(place, "reviews")
        review = review_of(member.id, place.id)
        flag_modified(review, "text")  # written by a plain INSERT: let the search outbox see the change
    before = None if created else review.status
    for key, value in clean.items():
        setattr(review, key, value)
    if review.status != "hidden":  # an edit never undoes a moderator's decision
        review.hold_reason = _hold_reason(member, review.text, now)
        review.status = "pending" if review.hold_reason else "published"
    db.session.flush()
    review_status_changed(review, before)
    log.info("review %s id=%s place=%s status=%s", "created" if created else "updated",
             review.id, place.id, review.status)
    return review, {}


def respond_to_review(member, review: Review, text: str):
    """The place's verified contact answers once. Returns (response | None, errors)."""
    words = plain_text(text)
    if not 2 <= len(words) <= RESPONSE_MAX:
        return None, {"text": _l("Schrijf een reactie van 2 tot %(limit)d tekens.", limit=RESPONSE_MAX)}
    text = clean_html(text)
    status = "pending" if crisis_check(text) else "published"  # held: a moderator reads it first
    if review.response is None and insert_if_absent(
            ReviewResponse, {"review_id": review.id, "member_id": member.id, "text": text, "status": status},
            keys=["review_id"]):
        db.session.refresh(review, ["response"])
        flag_modified(review.response, "text")  # written by a plain INSERT: let the search outbox see it
        db.session.flush()
        return review.response, {}
    db.session.refresh(review, ["response"])  # the answer may have been saved by a request running beside this one
    if review.response.member_id == member.id and review.response.text == text:
        return review.response, {}  # the same answer sent twice: the second gets the saved one back
    return None, {"text": _l("Onder deze ervaring staat al een reactie.")}


def touch_reviews_of_renamed_members(session, _flush_context, _instances) -> None:
    """A member's pseudonym and badge show on every review they wrote: when either changes, their reviews
    count as changed (updated_at), so pages kept by data version (core.caching) show the new ones."""
    changed = [obj.id for obj in session.dirty if isinstance(obj, Member) and obj.id is not None
               and any(sa.inspect(obj).attrs[name].history.has_changes() for name in ("pseudonym", "role"))]
    if changed:
        session.connection().execute(sa.update(Review.__table__).where(Review.member_id.in_(changed))
                                     .values(updated_at=utcnow()))


def published_reviews(place_id: int) -> list[Review]:
    return list(db.session.scalars(
        sa.select(Review).where(Review.place_id == place_id, Review.status == "published")
        # The place is already loaded (the page is about it): no join, and no second look at its
        # categories; the one answer per review comes in the same statement.
        .options(sa.orm.lazyload(Review.place), sa.orm.joinedload(Review.response))
        .order_by(Review.visit_month.desc(), Review.id.desc())))


def page_reviews(place_id: int) -> list[Review]:
    """published_reviews, read once per request: a place page shows them and its rating sums them."""
    if not has_request_context():
        return published_reviews(place_id)
    read = g.setdefault("ew_page_reviews", {})
    if place_id not in read:
        read[place_id] = published_reviews(place_id)
    return read[place_id]


def rating_of(reviews: list[Review]) -> dict | None:
    """The rating of one place from its published reviews, the same numbers _aggregate_rows gives."""
    if not reviews:
        return None
    count = len(reviews)
    return {"count": count, "recommend_pct": round(100 * sum(1 for r in reviews if r.recommend) / count),
            "aspects": {a: round(sum(getattr(r, a) for r in reviews) / count, 1) for a in ASPECTS}}


def recent_reviews(limit: int = 30, member_id: int | None = None) -> list[Review]:
    query = (sa.select(Review).join(Place, Place.id == Review.place_id)
             .where(Review.status == "published", Place.status == "published"))
    if member_id is not None:
        query = query.where(Review.member_id == member_id)
    return list(db.session.scalars(query.order_by(Review.created_at.desc(), Review.id.desc()).limit(limit)))


def published_review_texts(session, place_ids) -> dict[int, list[str]]:
    """Plain text of the published reviews per place, for the search index."""
    texts: dict[int, list[str]] = {pid: [] for pid in place_ids}
    if not texts:
        return texts
    rows = session.execute(sa.select(Review.place_id, Review.text).where(
        Review.place_id.in_(list(texts)), Review.status == "published").order_by(Review.id))
    for place_id, text in rows:
        texts[place_id].append(plain_text(text))
    return texts


def on_place_search_texts(_sender, *, session, place_ids) -> dict[int, list[str]]:
    """Published review texts are searchable, as their own lower-weight part of a place's document."""
    return published_review_texts(session, place_ids)


def _aggregate_rows(place_ids=None):
    columns = [Review.place_id, sa.func.count(Review.id),
               sa.func.sum(sa.case((Review.recommend.is_(True), 1), else_=0))]
    columns += [sa.func.avg(getattr(Review, a)) for a in ASPECTS]
    query = sa.select(*columns).where(Review.status == "published").group_by(Review.place_id)
    if place_ids is not None:
        query = query.where(Review.place_id.in_(list(place_ids)))
    return db.session.execute(query).all()


def place_ratings(place_ids) -> dict[int, dict]:
    """{place_id: {count, recommend_pct, aspects{welcome, respect, calm, access}}} (the API contract)."""
    ratings = {}
    for place_id, count, recommends, *averages in _aggregate_rows(place_ids):
        ratings[place_id] = {
            "count": count,
            "recommend_pct": round(100 * int(recommends) / count),
            "aspects": {a: round(float(v), 1) for a, v in zip(ASPECTS, averages)},
        }
    return ratings


def on_place_ratings(_sender, *, place_ids) -> dict[int, dict]:
    if len(place_ids) == 1 and has_request_context():
        # One place: its page lists the same reviews, so they are read once (see page_reviews).
        rating = rating_of(page_reviews(place_ids[0]))
        return {place_ids[0]: rating} if rating else {}
    return place_ratings(place_ids)


def on_place_ranking(_sender, *, place_ids) -> dict[int, float]:
    return ranking_scores(place_ids)


def ranking_scores(place_ids=None, prior_weight: float | None = None) -> dict[int, float]:
    """Bayesian-average score per place with published reviews; sort places by this, highest first.

    The one ranking of the site: the review list's top places and search's "best rated first" both
    use it. The prior is REVIEW_RANKING_PRIOR_WEIGHT imaginary reviews at the site-wide mean.
    """
    weight = _config("REVIEW_RANKING_PRIOR_WEIGHT") if prior_weight is None else prior_weight
    overall = db.session.execute(sa.select(
        sa.func.count(Review.id),
        sa.func.avg((Review.welcome + Review.respect + Review.calm + Review.access) / 4.0),
    ).where(Review.status == "published")).one()
    prior_mean = float(overall[1]) if overall[0] else 3.0
    scores = {}
    for place_id, count, _recommends, *averages in _aggregate_rows(place_ids):
        mean = sum(float(v) for v in averages) / len(averages)
        scores[place_id] = bayesian_average(mean * count, count, prior_mean, weight)
    return scores


def ranking_subquery(prior_weight: float | None = None):
    """ranking_scores as SQL: (place_id, score) per place with published reviews, for ORDER BY and LIMIT.
    The site-wide mean is read first (one small statement), as ranking_scores does."""
    weight = float(_config("REVIEW_RANKING_PRIOR_WEIGHT") if prior_weight is None else prior_weight)
    overall = db.session.execute(sa.select(
        sa.func.count(Review.id),
        sa.func.avg((Review.welcome + Review.respect + Review.calm + Review.access) / 4.0),
    ).where(Review.status == "published")).one()
    prior_mean = float(overall[1]) if overall[0] else 3.0
    total = sa.func.sum((Review.welcome + Review.respect + Review.calm + Review.access) / 4.0)
    count = sa.func.count(Review.id)
    score = (sa.literal(weight * prior_mean) + total) / (sa.literal(weight) + count)
    return (sa.select(Review.place_id.label("place_id"), score.label("score"))
            .where(Review.status == "published").group_by(Review.place_id).subquery("ranking"))


def on_place_ranking_query(_sender) -> object:
    return ranking_subquery()


def top_places(limit: int = 5) -> list[tuple[Place, float]]:
    """Published places with the best Bayesian score."""
    scores = ranking_scores()
    if not scores:
        return []
    places = db.session.scalars(sa.select(Place).where(Place.id.in_(list(scores)), Place.status == "published"))
    ranked = sorted(places, key=lambda p: (-scores[p.id], p.name))
    return [(p, scores[p.id]) for p in ranked[:limit]]

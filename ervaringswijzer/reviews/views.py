"""Review pages: write or edit a review, answer one, recent reviews, a member's page. Reporting one is moderation's."""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Member
from ..core.access import require_can, requires
from ..core.audit import record
from ..extensions import db
from ..places.services import get_published
from ..ratelimits import limit_from_config
from . import bp
from .forms import ResponseForm, ReviewForm
from .models import ASPECTS, Review
from .tell import own_responses, own_reviews
from .services import (page_reviews, recent_reviews, respond_to_review, review_of, save_review,
                       top_places)


def _published_place_or_404(slug: str):
    place = get_published(slug)
    if place is None:
        abort(404)
    return place


def _published_review_or_404(review_id: int) -> Review:
    """Only published reviews can be reported or answered; a held or hidden one is not there for anyone."""
    review = db.session.get(Review, review_id)
    if review is None or review.status != "published":
        abort(404)
    return review


def _fill_errors(form, errors: dict) -> None:
    for name, message in errors.items():
        getattr(form, name).errors = [str(message)]


@bp.route("/plek/<slug>/ervaring", methods=["GET", "POST"])
@requires("review.write")
@limit_from_config("RATELIMIT_REVIEW")
def write_review(slug: str):
    place = _published_place_or_404(slug)
    existing = review_of(current_user.id, place.id)
    form = ReviewForm(obj=None if request.method == "POST" else existing)
    if request.method == "GET" and existing:
        form.recommend.data = "yes" if existing.recommend else "no"
        for aspect in ("welcome", "respect", "calm", "access"):
            getattr(form, aspect).data = str(getattr(existing, aspect))
    if request.method == "POST":
        review, errors = save_review(current_user, place, request.form, datetime.now(timezone.utc))
        if review is None:
            _fill_errors(form, errors)
            flash(_("Er ging iets mis. Kijk bij de rode meldingen; wat je typte staat er nog."), "error")
        else:
            db.session.commit()
            if review.hold_reason == "crisis":
                return render_template("reviews/take_care.html", place=place, review=review)
            if review.status == "pending":
                flash(_("Dank je wel! Een moderator kijkt je ervaring na; daarna staat hij op de pagina."), "success")
            else:
                flash(_("Dank je wel! Je ervaring staat op de pagina."), "success")
            return redirect(url_for("places.place_detail", slug=place.slug, _anchor="ervaringen"))
    return render_template("reviews/form.html", place=place, form=form, existing=existing)


@bp.route("/ervaring/<int:review_id>/reageren", methods=["GET", "POST"])
@requires("review.respond")
def respond(review_id: int):
    review = _published_review_or_404(review_id)
    require_can("review.respond", review)
    form = ResponseForm()
    if request.method == "POST":
        response, errors = respond_to_review(current_user, review, request.form.get("text", ""))
        if response:
            record(current_user, "review.respond", "review", review.id)
            db.session.commit()
            if response.status == "pending":
                return render_template("reviews/take_care.html", place=review.place, review=review, response=response)
            flash(_("Je reactie staat onder de ervaring."), "success")
            return redirect(url_for("places.place_detail", slug=review.place.slug, _anchor=f"ervaring-{review.id}"))
        _fill_errors(form, errors)
    return render_template("reviews/respond.html", review=review, form=form)


@bp.route("/ervaringen")
def review_list():
    return render_template("reviews/list.html", reviews=recent_reviews(30), top=top_places(5))


@bp.route("/lid/<int:member_id>")
def member_page(member_id: int):
    member = db.get_or_404(Member, member_id)
    reviews = recent_reviews(100, member_id=member.id)
    if not reviews:  # a member who has published nothing has no public page (nor a findable pseudonym)
        abort(404)
    count = db.session.scalar(sa.select(sa.func.count(Review.id)).where(
        Review.member_id == member.id, Review.status == "published"))
    return render_template("reviews/member.html", member=member, reviews=reviews, count=count)


def review_section(place_id: int) -> dict:
    """What the place page shows about reviews: the published ones, star counts, and the reader's own."""
    reviews = page_reviews(place_id)
    counts = {a: {n: 0 for n in range(1, 6)} for a in ASPECTS}
    for review in reviews:
        for aspect in ASPECTS:
            counts[aspect][getattr(review, aspect)] += 1
    own = review_of(current_user.id, place_id) if current_user.is_authenticated else None
    # "5★ 2 · 4★ 1 · …" per aspect, written here once: a Jinja loop of twenty steps cost more than the bars.
    star_counts = {a: " · ".join(f"{n}★ {counts[a][n]}" for n in range(5, 0, -1)) for a in ASPECTS}
    return {"reviews": reviews, "counts": counts, "star_counts": star_counts, "own": own,
            "key": shown_key(place_id, reviews)}


def shown_key(place_id: int, reviews) -> tuple:
    """Everything the review cards and star counts show, for core.caching.fragment: a changed text, answer,
    pseudonym or badge gives a new key."""
    return ("reviews", place_id, tuple(
        (r.id, r.updated_at, r.response.text if r.response else None,
         (r.member.pseudonym, r.member.is_peer_expert) if r.member else None) for r in reviews))


def has_public_page(member_id: int) -> bool:
    """A member's public page exists only once something of theirs is published."""
    return bool(recent_reviews(1, member_id=member_id))


@bp.app_context_processor
def review_helpers():
    return {"review_section": review_section, "has_public_page": has_public_page, "own_reviews": own_reviews,
            "own_responses": own_responses}

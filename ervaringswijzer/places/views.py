"""Place pages: one place, and the helpers every place template uses. The list of places is a search page (search/)."""
from datetime import timedelta

from flask import abort, current_app, jsonify, redirect, render_template, request
from flask_babel import format_date, get_locale

from ..core.caching import shared_page
from ..core.time import now
from .checks import hours_checked_long_ago, is_overdue
from .counters import CountedPlace, count_and_commit
from .ladder import next_steps
from . import bp
from .categories import CATEGORIES, FLAGS, PARTICIPATION_RUNGS
from .deviations import coming_deviations
from .display import (A_MONDAY, WEEK_WORDS, day_name, deviation_text, distance_text, hours_reading_of, interval_text,
                      status_line, window_status_line, window_text)
from .hours import MAX_LENGTH, minute_status, monday_of, opening_status, week_schedule
from .hours_form import WEEK_CHOICES, date_rows, row_count
from .nearby import route_links
from .serialize import ratings_for
from .services import data_version, get_published
from .wording import change_lines, language_names


_translated: dict[tuple[str, str], dict[str, str]] = {}


def translated(name: str, labels: dict, lang: str | None = None) -> dict[str, str]:
    """Labels translated once per language and process (lazy strings translate on each use, and every
    page, even one that shows no label, used to translate them all)."""
    key = (name, lang or str(get_locale()))
    if key not in _translated:
        _translated[key] = {k: str(label) for k, label in labels.items()}
    return _translated[key]


@bp.app_context_processor
def place_helpers():
    lang = str(get_locale())
    return {"CATEGORIES": translated("categories", CATEGORIES, lang), "FLAGS": translated("flags", FLAGS, lang),
            "RUNGS": translated("rungs", PARTICIPATION_RUNGS, lang),
            "opening_status": minute_status,
            "status_line": status_line, "now": now, "day_name": day_name,
            "interval_text": interval_text, "format_date": format_date,
            "change_lines": change_lines, "language_names": language_names,
            "window_text": window_text, "window_status_line": window_status_line,
            "coming_deviations": coming_deviations, "deviation_text": deviation_text,
            "distance_text": distance_text, "place_route_links": route_links,
            "hours_row_count": row_count, "hours_date_rows": date_rows, "HOURS_WEEKS": WEEK_CHOICES,
            "hours_monday": lambda day: A_MONDAY + timedelta(days=day), "hours_reading_of": hours_reading_of,
            "WEEK_WORDS": translated("week_words", WEEK_WORDS, lang)}


@bp.route("/openingstijden/lezen")
def hours_read():
    """The live plain-words reading of a raw opening-hours field (static/js/hours.js asks while typing)."""
    return jsonify(lines=hours_reading_of((request.args.get("tekst") or "")[:MAX_LENGTH]))


@bp.route("/plek/<slug>")
def place_detail(slug: str):
    # The same page for every visitor without a session, kept for the minute; each view is still counted.
    page, counted = shared_page(data_version(), lambda: _place_page(slug))
    count_and_commit(counted, "page_views")
    return page


def _place_page(slug: str) -> tuple[str, CountedPlace]:
    place = get_published(slug)
    if place is None:
        abort(404)
    moment = now()
    page = render_template(
        "places/detail.html", place=place, at=moment,
        status=opening_status(place.opening_hours, moment),
        # Called only when the place's part of the page is not kept yet (see the fragment in the template).
        week=lambda: week_schedule(place.opening_hours, monday_of(moment.date()), moment.date()),
        rating=ratings_for([place.id])[place.id], rungs=PARTICIPATION_RUNGS,
        overdue=is_overdue(place, moment.date()), hours_long_ago=hours_checked_long_ago(place, moment.date()),
        next_steps=next_steps(place))
    return page, CountedPlace.of(place)


@bp.route("/plek/<slug>/route")
def place_route(slug: str):
    """'Route': counted (a total per month, nothing about who), then on to the route planner."""
    place = get_published(slug)
    if place is None or not place.has_location:
        abort(404)
    count_and_commit(place, "route_taps")
    return redirect(current_app.config["ROUTE_URL"].format(lat=place.lat, lon=place.lon))

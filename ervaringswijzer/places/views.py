"""Place pages: one place, and the helpers every place template uses. The list of places is a search page (search/)."""
from flask import abort, current_app, redirect, render_template
from flask_babel import format_date

from ..core.time import now
from .checks import hours_checked_long_ago, is_overdue
from .counters import count_and_commit
from .ladder import next_steps
from . import bp
from .categories import CATEGORIES, FLAGS, PARTICIPATION_RUNGS
from .deviations import coming_deviations
from .display import day_name, deviation_text, interval_text, status_line, window_status_line, window_text
from .hours import minute_status, monday_of, opening_status, week_schedule
from .serialize import ratings_for
from .services import get_published
from .wording import change_lines, language_names


def translated(labels: dict) -> dict[str, str]:
    return {key: str(label) for key, label in labels.items()}


@bp.app_context_processor
def place_helpers():
    # Labels translated once per page instead of once per place card (lazy strings translate on each use).
    return {"CATEGORIES": translated(CATEGORIES), "FLAGS": translated(FLAGS), "RUNGS": translated(PARTICIPATION_RUNGS),
            "opening_status": minute_status,
            "status_line": status_line, "now": now, "day_name": day_name,
            "interval_text": interval_text, "format_date": format_date,
            "change_lines": change_lines, "language_names": language_names,
            "window_text": window_text, "window_status_line": window_status_line,
            "coming_deviations": coming_deviations, "deviation_text": deviation_text}


@bp.route("/plek/<slug>")
def place_detail(slug: str):
    place = get_published(slug)
    if place is None:
        abort(404)
    moment = now()
    page = render_template(
        "places/detail.html", place=place, at=moment,
        status=opening_status(place.opening_hours, moment),
        week=week_schedule(place.opening_hours, monday_of(moment.date()), moment.date()),
        rating=ratings_for([place.id])[place.id], rungs=PARTICIPATION_RUNGS,
        overdue=is_overdue(place, moment.date()), hours_long_ago=hours_checked_long_ago(place, moment.date()),
        next_steps=next_steps(place))
    count_and_commit(place, "page_views")
    return page


@bp.route("/plek/<slug>/route")
def place_route(slug: str):
    """'Route': counted (a total per month, nothing about who), then on to the route planner."""
    place = get_published(slug)
    if place is None or not place.has_location:
        abort(404)
    count_and_commit(place, "route_taps")
    return redirect(current_app.config["ROUTE_URL"].format(lat=place.lat, lon=place.lon))

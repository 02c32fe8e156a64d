"""Place pages: one place, and the helpers every place template uses. The list of places is a search page (search/)."""
from flask import abort, render_template
from flask_babel import format_date

from ..core.time import now
from . import bp
from .categories import CATEGORIES, FLAGS, PARTICIPATION_RUNGS
from .display import day_name, interval_text, status_line
from .hours import monday_of, opening_status, week_schedule
from .serialize import ratings_for
from .services import get_published


@bp.app_context_processor
def place_helpers():
    return {"CATEGORIES": CATEGORIES, "FLAGS": FLAGS, "opening_status": opening_status,
            "status_line": status_line, "now": now, "day_name": day_name,
            "interval_text": interval_text, "format_date": format_date}


@bp.route("/plek/<slug>")
def place_detail(slug: str):
    place = get_published(slug)
    if place is None:
        abort(404)
    moment = now()
    return render_template(
        "places/detail.html", place=place, at=moment,
        status=opening_status(place.opening_hours, moment),
        week=week_schedule(place.opening_hours, monday_of(moment.date()), moment.date()),
        rating=ratings_for([place.id])[place.id], rungs=PARTICIPATION_RUNGS)

"""Error pages in plain Dutch, and JSON errors for the API."""
import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)


def api_error(code: str, message: str, status: int):
    return jsonify(error={"code": code, "message": message}), status


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_json() and exc.code == 429:
            return api_error("too_many_requests", f"Too many requests from this address (at most {exc.description}). "
                             "Wait a moment (see the Retry-After header) and try again.", 429)
        if _wants_json():
            return api_error(exc.name.lower().replace(" ", "_"), exc.description or exc.name, exc.code)
        if exc.code == 404:
            return render_template("errors/404.html"), 404
        if exc.code == 429:
            return render_template("errors/error.html", code=429, title=_("Even rustig aan"),
                                   message=_("Je hebt dit te vaak geprobeerd. Wacht even en probeer het dan opnieuw.")), 429
        if exc.code and exc.code < 500:
            return render_template("errors/error.html", code=exc.code, title=_("Dat lukt niet"),
                                   message=exc.description), exc.code
        return render_template("errors/500.html"), exc.code or 500

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        log.exception("unexpected error on %s", request.path)
        db.session.rollback()
        if _wants_json():
            return api_error("internal_error", "Something went wrong on our side.", 500)
        return render_template("errors/500.html"), 500

"""Ervaringswijzer: a social map of the Netherlands seen from the client's side.

The package map (which package may import which) is in docs/architecture.md.
"""
import logging
import os

from flask import Flask

from . import accounts, api, db, demo, edge, errors, experts, i18n, mail, maps, moderation, notices, overview, pages
from . import places, ratelimits, reviews, search, security
from .config import default_instance_path, load_config
from .extensions import csrf, limiter
from .core import caching
from .places import cli as places_cli


def create_app(test_config=None) -> Flask:
    """Build the application: config, extensions, blueprints, commands."""
    app = Flask(__name__, instance_path=default_instance_path(), instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app, test_config)
    configure_logging(app)
    init_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


def configure_logging(app: Flask) -> None:
    if not app.logger.handlers or app.debug:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def init_extensions(app: Flask) -> None:
    edge.init_app(app)  # before the blueprints: their routes bind its URL converters
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    app.jinja_env.add_extension("jinja2.ext.do")


def register_blueprints(app: Flask) -> None:
    """Domains from the bottom of the package map up; each connects its core.signals receivers here."""
    app.register_blueprint(pages.bp)
    caching.init_app(app)
    places.init_app(app)
    mail.init_app(app)
    accounts.init_app(app)
    notices.init_app(app)
    reviews.init_app(app)
    moderation.init_app(app)
    experts.init_app(app)
    search.init_app(app)
    maps.init_app(app)
    overview.init_app(app)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    ratelimits.init_app(app)  # after the blueprints: it limits the search endpoints registered above
    errors.init_app(app)


def register_commands(app: Flask) -> None:
    demo.init_app(app)
    places_cli.init_app(app)

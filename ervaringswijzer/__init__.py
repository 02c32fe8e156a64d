"""Ervaringswijzer: a social map of the Netherlands seen from the client's side."""
import logging
import os

from flask import Flask

from .config import default_instance_path, load_config


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
    from . import db, edge, i18n, security
    from .extensions import csrf, limiter

    edge.init_app(app)  # before the blueprints: their routes bind its URL converters
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    app.jinja_env.add_extension("jinja2.ext.do")


def register_blueprints(app: Flask) -> None:
    from . import accounts, errors, maps, moderation, pages, ratelimits, reviews
    from .api import bp as api_bp
    from .places import bp as places_bp

    app.register_blueprint(pages.bp)
    app.register_blueprint(places_bp)
    accounts.init_app(app)
    maps.init_app(app)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    from .search import init_app as init_search
    init_search(app)
    reviews.init_app(app)
    moderation.init_app(app)
    ratelimits.init_app(app)  # after the blueprints: it limits the search endpoints registered above
    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from . import demo
    from .places import cli as places_cli

    demo.init_app(app)
    places_cli.init_app(app)

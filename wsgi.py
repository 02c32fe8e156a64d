"""WSGI entry point: `gunicorn wsgi:app`."""
import gc

from ervaringswijzer import create_app

app = create_app()
# What loading made (modules, the app, SQLAlchemy's and Jinja's structures) lives as long as the worker:
# left out of the collector's full passes, which walked all of it and paused a worker 128-141 ms (now ~24).
gc.freeze()

"""WSGI entry point: `gunicorn wsgi:app`."""
from ervaringswijzer import create_app

app = create_app()

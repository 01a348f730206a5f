"""The WSGI entry point: ``gunicorn wsgi:app``, ``flask --app wsgi …``."""

from comarketing import create_app

app = create_app()

"""Pages refuse the NUL character in what they read from the URL and from forms (400).

PostgreSQL's text cannot hold U+0000: a value carrying it reaches the driver and fails the
statement, a 500 (the public registration form was one). No person types it, so the whole
request is refused before any view runs, on SQLite as on PostgreSQL. The API refuses it field
by field in its schemas (422, ``core.schemas.InputSchema``); uploaded files are checked by
``core.csv_import``.
"""

from __future__ import annotations

from flask import Flask, abort, request

API_PREFIX = "/api/"


def carries_nul() -> bool:
    """Whether a query or form name or value of the current request holds U+0000."""
    sources = [request.args]
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.form)
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for source in sources
        for name, values in source.lists()
    )


def register_input_guard(app: Flask) -> None:
    @app.before_request
    def refuse_nul() -> None:
        if not request.path.startswith(API_PREFIX) and carries_nul():
            abort(400)

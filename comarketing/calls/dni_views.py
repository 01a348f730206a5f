"""``/dni.js`` and ``GET /dni/number``: what a landing page calls to show the number held for
its visitor's click (contract §10). Public: a ``cmclid`` is signed, so it names only a real
click; CORS answers only the origins of that click's landing pages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request

from comarketing.calls.dni import click_of, hold_number, landing_origins
from comarketing.core.time import utcnow
from comarketing.extensions import db, limiter

bp = Blueprint("dni", __name__)
SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "dni.js"


def _rate() -> str:
    return str(current_app.config["DNI_RATE_LIMIT"])


@cache
def _script() -> bytes:
    return SCRIPT.read_bytes()


@bp.get("/dni.js")
def script() -> Response:
    """The script, cacheable for an hour, loadable from any page."""
    response = Response(_script(), mimetype="text/javascript")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _answer(body: dict[str, str], status: int, origin: str | None) -> tuple[Response, int]:
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Origin"
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
    return response, status


@bp.get("/dni/number")
@limiter.limit(_rate)
def number() -> tuple[Response, int]:
    """``{"number", "held_until"}`` for the click of ``?cmclid=``; 404 when it names no click
    or the pool has no number (the page keeps its default number)."""
    cmclid = request.args.get("cmclid", "")[:64]
    click = click_of(cmclid) if cmclid else None
    if click is None:
        return _answer({"error": "unknown_click"}, 404, None)
    origin = request.headers.get("Origin")
    allowed = origin if origin and origin.lower() in landing_origins(click) else None
    held = hold_number(click, utcnow())
    if held is None:
        return _answer({"error": "no_numbers"}, 404, allowed)
    db.session.commit()
    body = {
        "number": held.number,
        "held_until": held.held_until.isoformat().replace("+00:00", "Z"),
    }
    return _answer(body, 200, allowed)

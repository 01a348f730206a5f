"""Domain errors and the one place that turns any error into an answer.

Under ``/api/`` (and ``/hooks/``, where CRMs call) every 4xx/5xx is the contract's JSON body
``{"error": {"code", "message", "fields"?}}``; elsewhere it is an HTML page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from comarketing.extensions import db

Fields = dict[str, list[str]]


class DomainError(Exception):
    """A rule of the domain refused the action; services raise it, views never catch it."""

    status = 422
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: Mapping[str, list[str]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.fields = dict(fields) if fields else None


class ValidationFailed(DomainError):
    status = 422
    code = "validation_error"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


def flatten_messages(messages: Any, prefix: str = "") -> Fields:
    """Flatten marshmallow/webargs messages into ``{"a.0.b": ["problem", …]}``."""
    if isinstance(messages, Mapping):
        flat: Fields = {}
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_messages(value, path))
        return flat
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": [str(m) for m in messages]}
    if isinstance(messages, list | tuple):
        flat = {}
        for index, value in enumerate(messages):
            flat.update(flatten_messages(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or "_schema": [str(messages)]}


def _webargs_fields(error: HTTPException) -> Fields | None:
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if not messages:
        return None
    merged: Fields = {}
    # webargs nests messages under the request location ("json", "query", …).
    for location, location_messages in messages.items():
        if location in {"json", "query", "form", "files", "headers", "view_args"}:
            merged.update(flatten_messages(location_messages))
        else:
            merged.update(flatten_messages({location: location_messages}))
    return merged


def snake_name(error: HTTPException) -> str:
    return (error.name or "error").lower().replace(" ", "_").replace("-", "_")


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/hooks/"))


def error_response(
    status: int,
    code: str,
    message: str,
    fields: Fields | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[Response | str, int, Mapping[str, str]]:
    """Answer an error in the shape the caller expects (JSON under /api/, else a page)."""
    if wants_json():
        body: dict[str, Any] = {"code": code, "message": message}
        if fields:
            body["fields"] = fields
        return jsonify(error=body), status, headers or {}
    return (
        render_template("errors/error.html", status=status, message=message, fields=fields),
        status,
        headers or {},
    )


HTTP_MESSAGES = {
    400: _l("The request could not be read."),
    401: _l("Authentication is required."),
    403: _l("You do not have access to this page."),
    404: _l("Nothing was found at this address."),
    405: _l("This method is not allowed here."),
    409: _l("The request conflicts with the current state."),
    413: _l("The request is too large."),
    422: _l("Some fields are invalid."),
    429: _l("Too many requests. Please wait and try again."),
    500: _l("Something went wrong on our side. The error has been logged."),
}


def handle_http_exception(error: HTTPException) -> Any:
    db.session.rollback()
    status = error.code or 500
    fields = _webargs_fields(error)
    data = getattr(error, "data", None) or {}
    code = snake_name(error)
    if status == 422:
        code = "validation_error"
    elif status == 400 and "json" in (data.get("messages") or {}):
        code = "malformed_json"
        fields = None
    # A description given where the error was raised says more than the generic text.
    custom = error.description if error.description != type(error).description else None
    message = (
        data.get("message") or custom or str(HTTP_MESSAGES.get(status, error.description or ""))
    )
    # Keep WWW-Authenticate, Allow, Retry-After …; the body's own Content-Type comes later.
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    return error_response(status, code, str(message), fields, headers)


def handle_domain_error(error: DomainError) -> Any:
    db.session.rollback()
    return error_response(error.status, error.code, error.message, error.fields)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)


class Problems:
    """Collects every problem of an input before refusing it, so the user fixes all at once."""

    def __init__(self) -> None:
        self.fields: Fields = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_if_any(self, message: str | None = None) -> None:
        if self.fields:
            raise ValidationFailed(message or str(HTTP_MESSAGES[422]), fields=self.fields)

"""flask-smorest wiring: the API object and the error body it documents."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Api


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "snake_case error code"})
    message = ma.fields.String(required=True, metadata={"description": "human text"})
    fields_ = ma.fields.Dict(
        data_key="fields",
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "problems per field (validation errors only)"},
    )


class ErrorSchema(ma.Schema):
    """The body of every 4xx/5xx answer of the API."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


class JsonApi(Api):
    """flask-smorest's ``Api`` whose errors are answered by ``core.errors`` (the contract's
    body for the API, HTML pages elsewhere) instead of its own app-wide handler."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """Errors are handled app-wide by ``comarketing.core.errors``."""

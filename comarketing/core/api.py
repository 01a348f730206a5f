"""flask-smorest wiring: the API object, the error body it documents, and the error answers
every operation can give.

The OpenAPI document lists each status an operation can answer, with the error body's schema
(no catch-all ``default``), so a client (and the schemathesis run in the tests) can rely on it.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from apispec import BasePlugin
from flask_smorest import Api

from comarketing.core.schemas import MoneyField, RateField


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


# Answers any operation can give, from the machinery around the resources (token check, URL
# ids, JSON parsing); names of the error responses flask-smorest registers per HTTP status.
ALWAYS = {
    "401": "UNAUTHORIZED",  # no, unknown or revoked bearer token (api.auth)
    "403": "FORBIDDEN",  # the token's role or scope does not allow the operation
}
WITH_PATH_ID = {"404": "NOT_FOUND"}  # no such object, or another partner's (api.ownership)
WITH_BODY = {
    "400": "BAD_REQUEST",  # malformed JSON
    "413": "REQUEST_ENTITY_TOO_LARGE",  # over MAX_CONTENT_LENGTH
    "422": "UNPROCESSABLE_ENTITY",  # the body fails its schema or a rule of the domain
}


class ErrorResponsesPlugin(BasePlugin):
    """Documents on every operation the error answers it can give whatever the resource does.

    Answers that depend on the resource (409, 200 beside 201 …) are declared on it with
    ``@blp.alt_response``.
    """

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            extra = dict(ALWAYS)
            if path and "{" in path:
                extra |= WITH_PATH_ID
            if "requestBody" in operation:
                extra |= WITH_BODY
            for status, name in extra.items():
                responses.setdefault(status, name)


class JsonApi(Api):
    """flask-smorest's ``Api`` whose errors are answered by ``core.errors`` (the contract's
    body for the API, HTML pages elsewhere) instead of its own app-wide handler."""

    ERROR_SCHEMA = ErrorSchema
    # Every status is listed per operation (ErrorResponsesPlugin, alt_response), none hidden
    # behind a ``default`` that would match any answer.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _init_spec(self, **kwargs: Any) -> None:
        kwargs["extra_plugins"] = [*kwargs.get("extra_plugins", ()), ErrorResponsesPlugin()]
        super()._init_spec(**kwargs)
        # Money and rates travel as decimal strings ("12500.00", "0.50"), not JSON numbers.
        self.ma_plugin.map_to_openapi_type(MoneyField, "string", "decimal")
        self.ma_plugin.map_to_openapi_type(RateField, "string", "decimal")

    def _register_error_handlers(self) -> None:
        """Errors are handled app-wide by ``comarketing.core.errors``."""

"""What an intake token learns from a submission: nothing (contract §7). Landing pages keep
their token in page source, so anyone can use it; the answer is the same whether the person
was new or known, and holds no stored data."""

from __future__ import annotations

import marshmallow as ma
from flask import Response, jsonify

ACCEPTED = "accepted"


class AcceptedSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"example": ACCEPTED})


def accepted() -> Response:
    """202 ``{"status": "accepted"}``, byte for byte the same for every submission."""
    response = jsonify(status=ACCEPTED)
    response.status_code = 202
    return response

"""``/api/v1/calendar/rhythm``: each CRM ecosystem's joint webinars in a month against
``WEBINARS_PER_MONTH_TARGET`` (contract §9). Program-wide figures: staff only."""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from comarketing.api.auth import api_blueprint, require
from comarketing.core.auth import Permission
from comarketing.core.schemas import InputSchema
from comarketing.core.time import local_month, utcnow
from comarketing.webinars.rhythm import month_rhythm

blp = api_blueprint("api_calendar", __name__, "The joint-webinar rhythm per segment.")

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class RhythmArgsSchema(InputSchema):
    month = ma.fields.String(
        load_default=None,
        validate=ma.validate.Regexp(MONTH, error="A month as YYYY-MM."),
        metadata={
            "description": "YYYY-MM; default: this month (Moscow time)",
            "example": "2026-12",
        },
    )


class SegmentRhythmSchema(ma.Schema):
    count = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": ["below", "ok", "above"]})


class RhythmSchema(ma.Schema):
    month = ma.fields.String(required=True)
    target = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        required=True,
        metadata={"description": 'WEBINARS_PER_MONTH_TARGET: {"min", "max"}'},
    )
    segments = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Nested(SegmentRhythmSchema),
        required=True,
        metadata={"description": "per segment code (bitrix24, amocrm, …)"},
    )


@blp.route("/rhythm")
class CalendarRhythm(MethodView):
    @blp.arguments(RhythmArgsSchema, location="query")
    @blp.response(200, RhythmSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Webinars per segment in the month: `below` the target's minimum, `ok`, `above`."""
        require(Permission.READ_ALL)
        if args["month"]:
            year, month = (int(part) for part in args["month"].split("-"))
        else:
            year, month = local_month(utcnow(), current_app.config["BABEL_DEFAULT_TIMEZONE"])
        rhythm = month_rhythm(year, month)
        return {
            "month": f"{year:04d}-{month:02d}",
            "target": {"min": rhythm.low, "max": rhythm.high},
            "segments": {
                row.segment: {"count": row.count, "status": row.status.value}
                for row in rhythm.segments
            },
        }

"""``/api/v1/postbacks`` (contract §8): a partner adds its own endpoints and hears of its own
leads' events there (``lead.created``, ``lead.status_changed``, ``commission.created``), signed
like our webhooks. The signing secret is in the answer that creates the endpoint, and never
again.

Who may do what: only a partner token adds endpoints (for its own partner); a partner lists,
reads and deletes its own (another partner's answer 404); staff list and read every partner's
endpoints (never their secrets) and admins may delete any.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response
from flask.views import MethodView
from flask_babel import gettext as _

from comarketing.api.auth import actor, api_blueprint
from comarketing.api.collections import collection
from comarketing.api.ownership import visible
from comarketing.core.api import ErrorSchema
from comarketing.core.auth import Role
from comarketing.core.errors import Forbidden, NotFound
from comarketing.core.paging import ListArgsSchema, list_page
from comarketing.core.schemas import IdField, InputSchema, UTCDateTimeField
from comarketing.core.urls import MAX_URL_LENGTH
from comarketing.core.writes import answer
from comarketing.extensions import db
from comarketing.integrations.postbacks.models import EVENTS, PostbackEndpoint
from comarketing.integrations.postbacks.queries import endpoints_query, visible_endpoint_query
from comarketing.integrations.postbacks.services import add_endpoint, delete_endpoint
from comarketing.partners.models import Partner

blp = api_blueprint(
    "api_postbacks", __name__, "Postbacks: a partner's own endpoints for its leads' events."
)

EVENT = ma.validate.OneOf(list(EVENTS))


class PostbackSchema(ma.Schema):
    """An endpoint as it may be shown: never its secret."""

    id = ma.fields.Integer()
    partner_id = ma.fields.Integer()
    url = ma.fields.String()
    events = ma.fields.List(ma.fields.String())
    active = ma.fields.Boolean()
    created_at = UTCDateTimeField()


class PostbackCreatedSchema(PostbackSchema):
    """The answer that creates an endpoint: the one time its signing secret is shown."""

    secret = ma.fields.String(
        metadata={"description": "HMAC-SHA256 key of X-Comarketing-Signature; shown once"}
    )


class PostbackCreateSchema(InputSchema):
    url = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=MAX_URL_LENGTH),
        metadata={"example": "https://partner.example/hooks/comarketing"},
    )
    events = ma.fields.List(
        ma.fields.String(validate=EVENT),
        load_default=None,
        validate=ma.validate.Length(min=1, max=len(EVENTS)),
        metadata={"description": "default: every event"},
    )


class PostbackListArgsSchema(InputSchema, ListArgsSchema):
    partner_id = IdField(strict=False)


@blp.route("")
class Postbacks(MethodView):
    @collection(blp, PostbackListArgsSchema, PostbackSchema, "PostbackList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List endpoints (a partner token: its own; staff: every partner's)."""
        return list_page(endpoints_query, actor(), PostbackEndpoint.id, args)

    @blp.arguments(PostbackCreateSchema)
    @blp.response(201, PostbackCreatedSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="Already added, or too many")
    def post(self, data: dict[str, Any]) -> PostbackEndpoint:
        """A partner adds an endpoint for its own leads' events; the answer carries the
        signing secret, shown this once."""
        user = actor()
        if not user.is_partner or user.partner_id is None:
            raise Forbidden(_("Only a partner adds its postback endpoints."))
        partner = visible(Partner, user.partner_id, _("Partner not found."))
        return answer(
            lambda: add_endpoint(partner, data["url"], data["events"], created_by_id=user.id)
        )


@blp.route("/<int:postback_id>")
class PostbackById(MethodView):
    @blp.response(200, PostbackSchema)
    def get(self, postback_id: int) -> PostbackEndpoint:
        """One endpoint (another partner's: 404)."""
        return _endpoint(postback_id)

    @blp.response(204)
    def delete(self, postback_id: int) -> Response:
        """Delete an endpoint (its partner, or an admin): nothing more is sent to it, what
        waits is cancelled."""
        endpoint = _endpoint(postback_id)
        user = actor()
        if not user.is_partner and user.role is not Role.ADMIN:
            raise Forbidden(_("Only the partner or an admin deletes an endpoint."))
        answer(lambda: delete_endpoint(endpoint))
        return Response(status=204)


def _endpoint(postback_id: int) -> PostbackEndpoint:
    found: PostbackEndpoint | None = db.session.scalar(visible_endpoint_query(actor(), postback_id))
    if found is None:
        raise NotFound(_("Postback endpoint not found."))
    return found

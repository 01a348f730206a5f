"""``/api/v1/links``: issue tracked links, list and read them, and their figures."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from comarketing.api.auth import actor, api_blueprint, require
from comarketing.api.collections import collection
from comarketing.api.ownership import visible
from comarketing.core.api import ErrorSchema
from comarketing.core.auth import Permission
from comarketing.core.idempotency import idempotent
from comarketing.core.paging import INT32_MAX, ListArgsSchema, list_page
from comarketing.core.schemas import DayField, InputSchema, UTCDateTimeField, check_period
from comarketing.core.writes import answer
from comarketing.leads.link_stats import LinkStats, link_stats
from comarketing.links import services
from comarketing.links.models import TrackedLink
from comarketing.links.qr import qr_url
from comarketing.links.queries import links_query
from comarketing.links.urls import short_url
from comarketing.links.utm import MAX_UTM_LENGTH, Medium

blp = api_blueprint("api_links", __name__, "Tracked links of partners and their figures.")

ID = ma.validate.Range(min=1, max=INT32_MAX)


class UtmSchema(ma.Schema):
    source = ma.fields.String()
    medium = ma.fields.String()
    campaign = ma.fields.String()
    content = ma.fields.String(allow_none=True)
    term = ma.fields.String(allow_none=True)
    id = ma.fields.String(metadata={"description": "the campaign's or webinar's id"})


def utm_values(link: TrackedLink) -> dict[str, Any]:
    return {
        "source": link.utm_source,
        "medium": link.utm_medium,
        "campaign": link.utm_campaign,
        "content": link.utm_content,
        "term": link.utm_term,
        "id": str(link.campaign_id or link.webinar_id),
    }


class UtmField(ma.fields.Nested):
    """The UTM values on ``tagged_url``, from the link's columns (documented as ``Utm``)."""

    def get_value(
        self, obj: Any, attr: str, accessor: Any = None, default: Any = ma.missing
    ) -> Any:
        return utm_values(obj)


class LinkSchema(ma.Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    short_url = ma.fields.Method(
        "short", metadata={"type": "string", "description": "<BASE_URL>/r/<code>"}
    )
    qr_url = ma.fields.Method(
        "qr", metadata={"type": "string", "description": "the URL the QR code carries"}
    )
    partner_id = ma.fields.Integer()
    campaign_id = ma.fields.Integer(allow_none=True)
    webinar_id = ma.fields.Integer(allow_none=True)
    label = ma.fields.String()
    destination_url = ma.fields.String()
    tagged_url = ma.fields.String()
    utm = UtmField(UtmSchema, metadata={"description": "the UTM values on tagged_url"})
    created_at = UTCDateTimeField()

    def short(self, link: TrackedLink) -> str:
        return short_url(link.code)

    def qr(self, link: TrackedLink) -> str:
        return qr_url(short_url(link.code))


class LinkCreateSchema(InputSchema):
    partner_id = ma.fields.Integer(required=True, strict=True, validate=ID)
    destination_url = ma.fields.String(
        required=True, metadata={"description": "http or https, at most 2048 characters"}
    )
    campaign_id = ma.fields.Integer(load_default=None, allow_none=True, strict=True, validate=ID)
    webinar_id = ma.fields.Integer(load_default=None, allow_none=True, strict=True, validate=ID)
    utm_medium = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.OneOf([medium.value for medium in Medium]),
        metadata={"description": "default: partner (webinar for a webinar link)"},
    )
    utm_content = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=MAX_UTM_LENGTH)
    )
    utm_term = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=MAX_UTM_LENGTH)
    )
    label = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))


class LinkListArgsSchema(InputSchema, ListArgsSchema):
    partner_id = ma.fields.Integer(validate=ID)
    campaign_id = ma.fields.Integer(validate=ID)
    webinar_id = ma.fields.Integer(validate=ID)
    search = ma.fields.String(data_key="q", validate=ma.validate.Length(max=100))


class StatsArgsSchema(InputSchema):
    class Meta:
        unknown = ma.EXCLUDE

    start = DayField(data_key="from", load_default=None)
    end = DayField(data_key="to", load_default=None)

    @ma.validates_schema
    def period_shown(self, data: dict[str, Any], **kwargs: Any) -> None:
        check_period(data.get("start"), data.get("end"))


class DaySchema(ma.Schema):
    date = ma.fields.Date(attribute="day")
    clicks = ma.fields.Integer()
    bot_clicks = ma.fields.Integer()
    qr_clicks = ma.fields.Integer()


class LinkStatsSchema(ma.Schema):
    link_id = ma.fields.Integer()
    start = ma.fields.Date(data_key="from", allow_none=True)
    end = ma.fields.Date(data_key="to", allow_none=True)
    clicks = ma.fields.Integer(
        metadata={"description": "human clicks, every one but those of a flood"}
    )
    suspicious_clicks = ma.fields.Integer(
        metadata={
            "description": "human clicks from one address beyond CLICK_FLOOD_PER_DAY on a "
            "UTC day: counted here only, never as clicks or touchpoints"
        }
    )
    bot_clicks = ma.fields.Integer()
    qr_clicks = ma.fields.Integer(metadata={"description": "human clicks through the QR code"})
    visitors = ma.fields.Integer(metadata={"description": "distinct cm_vid of human clicks"})
    leads = ma.fields.Integer(
        metadata={
            "description": "distinct leads with a touchpoint through the link or a conversion "
            "carrying one of its clicks, in the period"
        }
    )
    by_day = ma.fields.List(ma.fields.Nested(DaySchema))


def visible_link(link_id: int) -> TrackedLink:
    """The link if the caller may see it; 404 otherwise (ids of others never leak)."""
    return visible(TrackedLink, link_id, "Link not found.")


@blp.route("")
class Links(MethodView):
    @collection(blp, LinkListArgsSchema, LinkSchema, "LinkList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the links the caller may see (a partner token: its own)."""
        return list_page(links_query, actor(), TrackedLink.id, args)

    @idempotent
    @blp.arguments(LinkCreateSchema)
    @blp.response(201, LinkSchema)
    @blp.alt_response(
        409, schema=ErrorSchema, description="A request with this Idempotency-Key is in progress"
    )
    def post(self, data: dict[str, Any]) -> TrackedLink:
        """Issue a partner a tracked link for one campaign or one webinar it takes part in;
        a retry with the same ``Idempotency-Key`` gets the same link, not a second one."""
        user = require(Permission.PLAN)
        return answer(lambda: services.issue_link_by_ids(**data, created_by_id=user.id))


@blp.route("/<int(max=2147483647):link_id>")
class LinkById(MethodView):
    @blp.response(200, LinkSchema)
    def get(self, link_id: int) -> TrackedLink:
        """One link."""
        return visible_link(link_id)


@blp.route("/<int(max=2147483647):link_id>/stats")
class LinkStatsById(MethodView):
    @blp.arguments(StatsArgsSchema, location="query")
    @blp.response(200, LinkStatsSchema)
    def get(self, args: dict[str, Any], link_id: int) -> dict[str, Any]:
        """The link's figures over [``from``, ``to``] (UTC days, inclusive; either may be
        left out): human clicks, bot clicks, QR scans, distinct visitors, leads, and the
        clicks of every day."""
        link = visible_link(link_id)
        stats: LinkStats = link_stats(link.id, args.get("start"), args.get("end"))
        return {"link_id": link.id, **vars(stats)}

"""``/api/v1/webinars``: joint webinars, registrations (landing pages may post them with an
intake token, with the co-hosts the person agrees to share with), attendance, and the
registrants a co-host may see (those who consented to it; staff see all with their consents)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import marshmallow as ma
from flask import g
from flask.views import MethodView
from flask_babel import gettext as _

from comarketing.api.auth import actor, api_blueprint, intake_allowed, require
from comarketing.api.collections import collection
from comarketing.api.intake import AcceptedSchema, accepted
from comarketing.api.ownership import visible
from comarketing.core.api import ErrorSchema
from comarketing.core.auth import Permission, can
from comarketing.core.errors import Forbidden
from comarketing.core.paging import ListArgsSchema, list_page
from comarketing.core.schemas import IdField, InputSchema, UTCDateTimeField, not_blank
from comarketing.core.writes import answer, created_or_known
from comarketing.leads.services import registrations, take_utm
from comarketing.users.models import TokenScope, User
from comarketing.webinars.consents import consents_of, registrants_query
from comarketing.webinars.models import Registration, Webinar
from comarketing.webinars.queries import webinars_query
from comarketing.webinars.services import webinars
from comarketing.webinars.services.attendance_csv import AttendanceEntry

blp = api_blueprint("api_webinars", __name__, "Joint webinars, registrations, attendance.")

# Whole numbers the columns can hold; the services check the real bounds and say why.
SMALL = ma.validate.Range(min=-(2**31), max=2**31 - 1)


class WebinarSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    slug = ma.fields.String()
    description = ma.fields.String()
    starts_at = UTCDateTimeField()
    ends_at = UTCDateTimeField()
    duration_minutes = ma.fields.Integer()
    timezone = ma.fields.String()
    capacity = ma.fields.Integer(allow_none=True)
    join_url = ma.fields.String(allow_none=True)
    recording_url = ma.fields.String(allow_none=True)
    platform = ma.fields.String(allow_none=True, metadata={"description": "mts_link or zoom"})
    platform_event_id = ma.fields.String(allow_none=True)
    campaign_id = ma.fields.Integer(allow_none=True)
    status = ma.fields.String()
    partner_ids = ma.fields.Method(
        "hosts", metadata={"type": "array", "items": {"type": "integer"}, "description": "co-hosts"}
    )
    registration_url = ma.fields.Function(webinars.registration_url, metadata={"type": "string"})
    ics_url = ma.fields.Function(webinars.ics_url, metadata={"type": "string"})

    def hosts(self, webinar: Webinar) -> list[int]:
        return sorted(host.partner_id for host in webinar.hosts)


class WebinarCreateSchema(InputSchema):
    title = ma.fields.String(required=True, validate=[ma.validate.Length(max=300), not_blank])
    starts_at = UTCDateTimeField(required=True)
    duration_minutes = ma.fields.Integer(required=True, strict=True, validate=SMALL)
    timezone = ma.fields.String(load_default="Europe/Moscow", validate=ma.validate.Length(max=64))
    partner_ids = ma.fields.List(IdField(), load_default=list)
    campaign_id = IdField(load_default=None, allow_none=True)
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=10000))
    capacity = ma.fields.Integer(load_default=None, allow_none=True, strict=True, validate=SMALL)
    join_url = ma.fields.String(load_default=None, allow_none=True)
    recording_url = ma.fields.String(load_default=None, allow_none=True)
    platform = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.OneOf(["mts_link", "zoom"])
    )
    platform_event_id = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=100)
    )


class WebinarListArgsSchema(InputSchema, ListArgsSchema):
    partner_id = IdField(strict=False)
    campaign_id = IdField(strict=False)
    starts_from = UTCDateTimeField()
    starts_before = UTCDateTimeField()


class RegistrationSchema(ma.Schema):
    id = ma.fields.Integer()
    webinar_id = ma.fields.Integer()
    lead_id = ma.fields.Integer(allow_none=True)
    email = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    company = ma.fields.String()
    partner_id = ma.fields.Integer(allow_none=True)
    registered_at = UTCDateTimeField()
    attended = ma.fields.Boolean(allow_none=True)


class RegistrationCreateSchema(InputSchema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(max=254))
    name = ma.fields.String(required=True, validate=[ma.validate.Length(max=200), not_blank])
    company = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    phone = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=40)
    )
    cmclid = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=64)
    )
    occurred_at = UTCDateTimeField(load_default=None, allow_none=True)
    consent = ma.fields.Boolean(load_default=True)
    utm_source = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    utm_medium = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    utm_campaign = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    utm_content = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    utm_term = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    share_with = ma.fields.List(
        IdField(),
        load_default=list,
        validate=ma.validate.Length(max=100),
        metadata={"description": "co-hosts the person agrees to share their contact with"},
    )


class ConsentSchema(ma.Schema):
    partner_id = ma.fields.Integer()
    given_at = UTCDateTimeField()
    withdrawn_at = UTCDateTimeField(allow_none=True)
    wording_version = ma.fields.String()


class RegistrantSchema(ma.Schema):
    """A registrant as a co-host sees it (staff also get ``id``, ``lead_id``, ``consents``)."""

    id = ma.fields.Integer()
    lead_id = ma.fields.Integer(allow_none=True)
    email = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    company = ma.fields.String()
    phone = ma.fields.String(allow_none=True)
    registered_at = UTCDateTimeField()
    attended = ma.fields.Boolean(allow_none=True)
    minutes = ma.fields.Integer(allow_none=True)
    consents = ma.fields.List(ma.fields.Nested(ConsentSchema))


class AttendanceEntrySchema(InputSchema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(max=254))
    attended = ma.fields.Boolean(required=True)
    minutes = ma.fields.Integer(
        load_default=None, allow_none=True, validate=ma.validate.Range(min=0)
    )


class AttendanceReportSchema(ma.Schema):
    updated = ma.fields.Integer()
    attended = ma.fields.Integer()
    no_show = ma.fields.Integer()
    # Not a field named ``unknown``: that name is marshmallow's own option on a schema.
    unknown_emails = ma.fields.List(ma.fields.String(), data_key="unknown", attribute="unknown")


def visible_webinar(webinar_id: int) -> Webinar:
    return visible(Webinar, webinar_id, _("Webinar not found."))


@blp.route("")
class Webinars(MethodView):
    @collection(blp, WebinarListArgsSchema, WebinarSchema, "WebinarList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List webinars (a partner token: the ones it co-hosts)."""
        return list_page(webinars_query, actor(), Webinar.id, args)

    @blp.arguments(WebinarCreateSchema)
    @blp.response(201, WebinarSchema)
    def post(self, data: dict[str, Any]) -> Webinar:
        """Schedule a joint webinar; co-hosts get their tracked links at once."""
        user = require(Permission.PLAN)
        return answer(lambda: webinars.create_webinar(**data, created_by_id=user.id))


@blp.route("/<int:webinar_id>")
class WebinarById(MethodView):
    @blp.response(200, WebinarSchema)
    def get(self, webinar_id: int) -> Webinar:
        """One webinar."""
        return visible_webinar(webinar_id)


@blp.route("/<int:webinar_id>/registrations")
class Registrations(MethodView):
    @intake_allowed
    @blp.arguments(RegistrationCreateSchema)
    @blp.response(201, RegistrationSchema)
    @blp.alt_response(200, schema=RegistrationSchema, description="Already registered")
    @blp.alt_response(
        202, schema=AcceptedSchema, description="An intake or co-host token's answer, always"
    )
    @blp.alt_response(409, schema=ErrorSchema, description="The webinar is full")
    def post(self, data: dict[str, Any], webinar_id: int) -> Any:
        """Register a person (also a conversion of the lead); 409 when the webinar is full.
        An intake token or a co-host's token gets 202 whether the person was known or not."""
        user = actor()
        webinar = visible_webinar(webinar_id)
        cohost = user.is_partner and any(h.partner_id == user.partner_id for h in webinar.hosts)
        staff = can(user, Permission.PLAN) and g.api_token.scope is not TokenScope.INTAKE
        if not (staff or g.api_token.scope is TokenScope.INTAKE or cohost):
            raise Forbidden(_("Your role does not allow this action."))
        utm = take_utm(data)

        def register() -> Any:
            return registrations.register(webinar, **data, utm=utm, trusted=staff)

        if not staff:
            return answer(register, lambda _: accepted())
        return answer(register, lambda registered: created_or_known(*registered))


class RegistrantListArgsSchema(InputSchema, ListArgsSchema):
    pass


def _registrant_items(user: User) -> Callable[[Sequence[Registration]], list[dict[str, Any]]]:
    def items(rows: Sequence[Registration]) -> list[dict[str, Any]]:
        consents = {} if user.is_partner else consents_of([r.id for r in rows])
        found = []
        for registration in rows:
            item: dict[str, Any] = {
                "email": registration.email,
                "name": registration.name,
                "company": registration.company,
                "phone": registration.phone,
                "registered_at": registration.registered_at,
                "attended": registration.attended,
                "minutes": registration.attended_minutes,
            }
            if not user.is_partner:
                item["id"] = registration.id
                item["lead_id"] = registration.lead_id
                item["consents"] = consents.get(registration.id, [])
            found.append(item)
        return found

    return items


@blp.route("/<int:webinar_id>/registrants")
class Registrants(MethodView):
    @collection(blp, RegistrantListArgsSchema, RegistrantSchema, "RegistrantList")
    def get(self, args: dict[str, Any], webinar_id: int) -> dict[str, Any]:
        """The webinar's registrants: a co-host's token gets those who agreed to share their
        contact with it and have not withdrawn; staff get all, each with its consents."""
        user = actor()
        webinar = visible_webinar(webinar_id)
        return list_page(
            lambda who: registrants_query(who, webinar.id),
            user,
            Registration.id,
            args,
            _registrant_items(user),
        )


@blp.route("/<int:webinar_id>/attendance")
class Attendance(MethodView):
    @blp.arguments(AttendanceEntrySchema(many=True))
    @blp.response(200, AttendanceReportSchema)
    def post(self, entries: list[dict[str, Any]], webinar_id: int) -> Any:
        """Mark registrants attended or no-show; answers the counts."""
        require(Permission.PLAN)
        webinar = visible_webinar(webinar_id)
        return answer(
            lambda: registrations.record_attendance(
                webinar, [AttendanceEntry(**entry) for entry in entries]
            )
        )

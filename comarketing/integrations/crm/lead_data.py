"""What a CRM is told about a new lead, as plain data read when the message is sent.

The outbox payload holds ids only; reading the lead at send time means an erased person is
never pushed and a name corrected in between goes out corrected. The payload builders
(``bitrix24``, ``amocrm``, ``webhook``) take this dataclass, never ORM objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from comarketing.campaigns.models import Campaign
from comarketing.extensions import db
from comarketing.leads.models import Conversion, ConversionKind, Lead, Touchpoint
from comarketing.links.models import TrackedLink
from comarketing.partners.models import Partner
from comarketing.webinars.models import Webinar

UTM_KEYS = ("source", "medium", "campaign", "content", "term")


@dataclass(frozen=True)
class LeadData:
    """A lead as a CRM sees it. Times are UTC. ``partner`` is the owner (the partner credited
    with the lead), else the partner of the first conversion; ``utm`` is the owner's tracked
    link's, else the first conversion's (only given values)."""

    lead_id: int
    created_at: datetime
    name: str = ""
    email: str | None = None
    phone: str | None = None  # E.164
    company: str = ""
    conversion_kind: str = ""
    partner: str | None = None
    partner_slug: str | None = None
    segment: str | None = None
    campaign: str | None = None
    webinar: str | None = None
    utm: dict[str, str] = field(default_factory=dict)

    @property
    def first_name(self) -> str:
        return self.name.split(maxsplit=1)[0] if self.name.strip() else ""

    @property
    def last_name(self) -> str:
        parts = self.name.split(maxsplit=1)
        return parts[1] if len(parts) > 1 else ""

    @property
    def display_name(self) -> str:
        """The name, else the e-mail, else the phone: never empty for a pushable lead."""
        return self.name.strip() or self.email or self.phone or f"#{self.lead_id}"

    @property
    def by_call(self) -> bool:
        """The lead came by a phone call to a tracking number (contract §10)."""
        return self.conversion_kind == ConversionKind.CALL

    @property
    def source_description(self) -> str:
        """«source: call; partner: X; campaign: Y; webinar: Z» — what brought the lead, for
        humans."""
        parts = [
            f"{label}: {value}"
            for label, value in (
                ("source", "call" if self.by_call else None),
                ("partner", self.partner),
                ("campaign", self.campaign),
                ("webinar", self.webinar),
            )
            if value
        ]
        return "; ".join(parts)


def _campaign_name(campaign_id: int | None) -> str | None:
    if campaign_id is None:
        return None
    return db.session.scalar(select(Campaign.name).where(Campaign.id == campaign_id))


def _utm_of(row: Conversion | TrackedLink | None) -> dict[str, str]:
    """The UTM values a conversion or a link carries (only those given)."""
    if row is None:
        return {}
    found = {key: getattr(row, f"utm_{key}") for key in UTM_KEYS}
    return {key: value for key, value in found.items() if value}


def _owners_link_utm(lead: Lead) -> dict[str, str]:
    """The UTM values of the owner's tracked link that brought the lead (its earliest touch
    through one), so the CRM's own analytics see the partner even when the visitor's form sent
    no ``utm_*``; empty when the owner came without a link."""
    if lead.owner_partner_id is None:
        return {}
    link = db.session.scalar(
        select(TrackedLink)
        .join(Touchpoint, Touchpoint.link_id == TrackedLink.id)
        .where(Touchpoint.lead_id == lead.id, Touchpoint.partner_id == lead.owner_partner_id)
        .order_by(Touchpoint.occurred_at, Touchpoint.id)
        .limit(1)
    )
    return _utm_of(link)


def lead_data(lead_id: int, conversion_id: int | None = None) -> LeadData | None:
    """The lead and its first conversion (the one that created it when ``conversion_id`` is
    given) as plain data; None when the lead is gone or its personal data was erased."""
    lead = db.session.get(Lead, lead_id)
    if lead is None or lead.erased_at is not None or not (lead.email or lead.phone):
        return None
    conversion = db.session.get(Conversion, conversion_id) if conversion_id else None
    if conversion is None or conversion.lead_id != lead.id:
        conversion = db.session.scalar(
            select(Conversion)
            .where(Conversion.lead_id == lead.id)
            .order_by(Conversion.occurred_at, Conversion.id)
            .limit(1)
        )
    partner_id = lead.owner_partner_id or (conversion.partner_id if conversion else None)
    partner = db.session.get(Partner, partner_id) if partner_id else None
    webinar_title = None
    if conversion is not None and conversion.webinar_id is not None:
        webinar_title = db.session.scalar(
            select(Webinar.title).where(Webinar.id == conversion.webinar_id)
        )
    utm = _owners_link_utm(lead) or _utm_of(conversion)
    return LeadData(
        lead_id=lead.id,
        created_at=lead.created_at,
        name=lead.name or "",
        email=lead.email,
        phone=lead.phone,
        company=lead.company or "",
        conversion_kind=str(conversion.kind) if conversion else "",
        partner=partner.name if partner else None,
        partner_slug=partner.slug if partner else None,
        segment=partner.segment if partner else None,
        campaign=_campaign_name(conversion.campaign_id if conversion else None),
        webinar=webinar_title,
        utm=utm,
    )

"""Deal registration: a partner registers a person it found itself, and learns at once whether
the lead is now its own or already belongs to someone (never to whom)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from comarketing.core.errors import Conflict
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind, Lead, OwnershipReason, TouchKind
from comarketing.leads.services.intake import Submission, record_submission
from comarketing.leads.services.ownership import bind_owner
from comarketing.leads.services.persons import find_person, normalized_contacts
from comarketing.leads.signals import touches_changed
from comarketing.partners.models import Partner


@dataclass
class DealResult:
    lead: Lead
    created: bool  # a new person (False: a known one)
    already_own: bool  # the partner owned the person before this registration


def register_deal(
    partner: Partner, *, email: str | None, phone: str | None, name: str = "", company: str = ""
) -> DealResult:
    """Register a deal for ``partner``. Refused (409, nothing written) when another partner
    owns the person inside its protection window; otherwise the partner owns the lead."""
    clean_email, clean_phone = normalized_contacts(email, phone)
    now = utcnow()
    known = find_person(clean_email, clean_phone)
    if (
        known is not None
        and known.owner_partner_id not in (None, partner.id)
        and known.protected_until is not None
        and now < known.protected_until
    ):
        raise Conflict(
            _("This client is already registered by another partner."), code="already_owned"
        )
    result = record_submission(
        Submission(
            kind=ConversionKind.DEAL_REGISTRATION,
            email=clean_email,
            phone=clean_phone,
            name=name,
            company=company,
            utm={"source": partner.slug},
            occurred_at=now,
            touch_kind=TouchKind.DEAL_REGISTRATION,
        )
    )
    lead = result.lead
    if lead.owner_partner_id != partner.id:
        bind_owner(lead, partner.id, now, OwnershipReason.DEAL_REGISTRATION)
        db.session.flush()
        touches_changed.send(lead_ids=[lead.id])
    already_own = known is not None and known.owner_partner_id == partner.id
    return DealResult(lead, result.created, already_own)

"""Deal registration (contract §7): a partner registers a client it found itself and learns
at once where it stands — ``accepted`` (new to the vendor: the partner owns it now),
``pending`` (a known person without a protected owner: a manager decides) or ``rejected``
(another partner's protection holds; never whose). Services flush; callers commit."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from comarketing.core.errors import Conflict, ValidationFailed
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import (
    ConversionKind,
    DealRegistration,
    DealStatus,
    Lead,
    OwnershipReason,
    TouchKind,
)
from comarketing.leads.services.intake import Submission, record_submission
from comarketing.leads.services.ownership import bind_owner
from comarketing.leads.services.persons import find_person, normalized_contacts
from comarketing.leads.signals import touches_changed
from comarketing.partners.models import Partner


@dataclass(frozen=True)
class DealResult:
    deal: DealRegistration
    already_own: bool  # accepted because the partner owned the person already


def register_deal(
    partner: Partner,
    *,
    email: str | None,
    phone: str | None,
    name: str = "",
    company: str = "",
    comment: str = "",
    created_by_id: int | None = None,
) -> DealResult:
    """Register a client for ``partner``; the registration is kept with its outcome."""
    clean_email, clean_phone = normalized_contacts(email, phone)
    if not partner.active:
        raise Conflict(_("The partner is inactive."), code="partner_inactive")
    now = utcnow()
    known = find_person(clean_email, clean_phone)
    deal = DealRegistration(
        partner_id=partner.id,
        lead_id=known.id if known else None,
        email=clean_email,
        phone=clean_phone,
        name=name.strip()[:200],
        company=company.strip()[:200],
        comment=comment.strip(),
        created_by_id=created_by_id,
    )
    protected = (
        known is not None and known.protected_until is not None and now < known.protected_until
    )
    if known is None:
        deal.lead_id = _claim(partner, deal).id
        deal.status = DealStatus.ACCEPTED
    elif protected and known.owner_partner_id == partner.id:
        deal.status = DealStatus.ACCEPTED  # already its own: nothing changes
    elif protected:
        deal.status = DealStatus.REJECTED
    else:
        deal.status = DealStatus.PENDING
    db.session.add(deal)
    db.session.flush()
    already_own = known is not None and deal.status is DealStatus.ACCEPTED
    return DealResult(deal, already_own)


def decide_deal(
    deal: DealRegistration, *, approve: bool, comment: str, decided_by_id: int
) -> DealRegistration:
    """A manager decides a pending registration: approval makes the partner the owner,
    protected from now on (the reason is kept with the ownership)."""
    if deal.status is not DealStatus.PENDING:
        raise Conflict(_("This registration has already been decided."), code="already_decided")
    if not comment.strip() and not approve:
        raise ValidationFailed(_("Give a reason."), fields={"comment": [_("Required.")]})
    partner = db.session.get(Partner, deal.partner_id)
    assert partner is not None
    if approve:
        _claim(partner, deal, decided_by_id=decided_by_id, note=comment.strip())
    deal.status = DealStatus.ACCEPTED if approve else DealStatus.REJECTED
    deal.decided_by_id = decided_by_id
    deal.decided_at = utcnow()
    deal.decision_comment = comment.strip()
    db.session.flush()
    return deal


def _claim(
    partner: Partner, deal: DealRegistration, *, decided_by_id: int | None = None, note: str = ""
) -> Lead:
    """The registration as a conversion of the person (its touch credits the partner), and
    the partner as the owner, protected from now."""
    now = utcnow()
    result = record_submission(
        Submission(
            kind=ConversionKind.DEAL_REGISTRATION,
            email=deal.email,
            phone=deal.phone,
            name=deal.name,
            company=deal.company,
            utm={"source": partner.slug},
            occurred_at=now,
            touch_kind=TouchKind.DEAL_REGISTRATION,
        )
    )
    lead = result.lead
    if lead.owner_partner_id != partner.id or decided_by_id is not None:
        bind_owner(
            lead,
            partner.id,
            now,
            OwnershipReason.DEAL_REGISTRATION,
            decided_by_id=decided_by_id,
            note=note,
        )
        db.session.flush()
        touches_changed.send(lead_ids=[lead.id])
    return lead

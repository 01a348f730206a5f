"""A request's record: what its page shows, the manager's and the partner's alike — the
history of decisions, the funded link with the proof measured on it and the leads that came
back, the claim and what it pays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from comarketing.extensions import db
from comarketing.leads.models import Lead
from comarketing.links.models import TrackedLink
from comarketing.links.urls import short_url
from comarketing.mdf.models import MdfClaim, MdfDecision, MdfRequest
from comarketing.mdf.queries import decisions_of, returned_leads
from comarketing.mdf.services import claim_of, funded_link, measure, reimbursable, required_leads
from comarketing.mdf.services.claims import Proof, min_lead_return
from comarketing.users.models import User

LEADS_SHOWN = 200


@dataclass(frozen=True)
class RequestRecord:
    history: list[MdfDecision]
    link: TrackedLink | None
    short_url: str | None
    proof: Proof | None  # measured on the funded link now, against the claimed or planned cost
    leads: list[tuple[Lead, datetime]]  # the first LEADS_SHOWN that came back, newest first
    leads_shown: int
    needed: int  # leads that must come back to be paid
    lead_return: int  # MDF_MIN_LEAD_RETURN, in percent
    claim: MdfClaim | None
    payout: Decimal | None  # what the claim pays (RUB)


def request_record(found: MdfRequest, user: User) -> RequestRecord:
    """The record of a request ``user`` may see (found through ``requests_query(user)``); a
    partner is never shown a link of another partner (the funded link is the request's
    partner's own)."""
    link = funded_link(found)
    if link is not None and user.is_partner and link.partner_id != user.partner_id:
        link = None
    claim = claim_of(found.id)
    cost = claim.actual_cost if claim else found.planned_cost
    return RequestRecord(
        history=list(db.session.scalars(decisions_of(found.id))),
        link=link,
        short_url=short_url(link.code) if link else None,
        proof=measure(found, cost) if link else None,
        leads=returned_leads(link.id, limit=LEADS_SHOWN) if link else [],
        leads_shown=LEADS_SHOWN,
        needed=required_leads(found),
        lead_return=int(min_lead_return() * 100),
        claim=claim,
        payout=reimbursable(found, claim.actual_cost) if claim else None,
    )

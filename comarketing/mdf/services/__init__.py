"""MDF services: request → decision → claim → reimbursement. They flush; callers commit."""

from comarketing.mdf.budgets import create_budget, ledgers
from comarketing.mdf.services.claims import (
    claim,
    claim_of,
    measure,
    reimbursable,
    reimburse,
    required_leads,
)
from comarketing.mdf.services.requests import (
    DecisionResult,
    decide,
    funded_link,
    reimbursement_share,
    request_cap,
    resubmit_request,
    submit_request,
)

__all__ = [
    "DecisionResult",
    "claim",
    "claim_of",
    "create_budget",
    "decide",
    "funded_link",
    "ledgers",
    "measure",
    "reimbursable",
    "reimburse",
    "reimbursement_share",
    "request_cap",
    "required_leads",
    "resubmit_request",
    "submit_request",
]

"""Shown names of MDF's stored codes: a request's status and a manager's decision (the staff
pages and the portal show the same words)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from comarketing.mdf.models import MdfDecisionKind, MdfStatus

STATUS_LABELS = {
    MdfStatus.SUBMITTED: _l("submitted"),
    MdfStatus.RETURNED: _l("returned for changes"),
    MdfStatus.REJECTED: _l("rejected"),
    MdfStatus.APPROVED: _l("approved"),
    MdfStatus.CLAIMED: _l("claimed"),
    MdfStatus.REIMBURSED: _l("reimbursed"),
}
DECISION_LABELS = {
    MdfDecisionKind.APPROVE: _l("Approved"),
    MdfDecisionKind.REJECT: _l("Rejected"),
    MdfDecisionKind.RETURN: _l("Returned for changes"),
}

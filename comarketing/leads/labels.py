"""Shown names of the codes leads store: statuses, conversion and touch kinds, ownership."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from comarketing.leads.models import (
    ConflictStatus,
    ConversionKind,
    DealStatus,
    LeadFlagKind,
    LeadStatus,
    OwnershipReason,
    TouchKind,
)

LABELS: dict[str, Any] = {
    # lead statuses
    LeadStatus.NEW: _l("new"),
    LeadStatus.WORKING: _l("working"),
    LeadStatus.CUSTOMER: _l("customer"),
    LeadStatus.LOST: _l("lost"),
    # conversions and touches (a registration is both a conversion and a touch)
    ConversionKind.FORM: _l("form"),
    ConversionKind.API: _l("API"),
    ConversionKind.IMPORT: _l("import"),
    ConversionKind.REGISTRATION: _l("webinar registration"),
    ConversionKind.DEAL_REGISTRATION: _l("deal registration"),
    ConversionKind.CALL: _l("phone call"),  # and TouchKind.CALL: the same code
    TouchKind.CLICK: _l("click"),
    TouchKind.ATTENDANCE: _l("webinar attendance"),
    TouchKind.OFFLINE: _l("offline touch"),
    TouchKind.UTM: _l("UTM tags"),
    # ownership reasons (looked up as "ownership:<code>") and conflicts
    f"ownership:{OwnershipReason.REGISTRATION}": _l("first touch when the lead came"),
    f"ownership:{OwnershipReason.DEAL_REGISTRATION}": _l("registered by the partner"),
    OwnershipReason.REBIND: _l("re-bound after protection"),
    OwnershipReason.REASSIGNED: _l("reassigned by a manager"),  # also a conflict's status
    ConflictStatus.OPEN: _l("open"),
    ConflictStatus.KEPT: _l("owner kept"),
    # deal registrations (looked up as "deal:<code>") and flags
    f"deal:{DealStatus.ACCEPTED}": _l("accepted"),
    f"deal:{DealStatus.PENDING}": _l("waiting for a manager"),
    f"deal:{DealStatus.REJECTED}": _l("rejected"),
    LeadFlagKind.SELF_REFERRAL: _l("self-referral"),
}

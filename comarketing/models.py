"""Every model, imported once so the metadata is complete (Alembic, ``create_app``)."""

from comarketing.attribution.models import AttributionCredit
from comarketing.calls.models import Call, CallNumber
from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.commissions.models import ClosedPayment, Commission, CommissionPlan, Payment
from comarketing.core.jobs.models import ScheduledJob
from comarketing.core.models import IdempotencyRecord, UsedSignature
from comarketing.core.outbox.models import OutboxMessage, SentMail
from comarketing.goals.models import KpiTarget
from comarketing.goals.plans_models import PartnerPlan
from comarketing.integrations.models import CrmDestination, CrmEvent
from comarketing.integrations.postbacks.models import PostbackEndpoint
from comarketing.leads.models import (
    Conversion,
    DealRegistration,
    Lead,
    LeadFlag,
    LeadOwnership,
    LeadStatusChange,
    OwnershipConflict,
    Touchpoint,
)
from comarketing.links.models import Click, TrackedLink, Visitor
from comarketing.mdf.models import MdfBudget, MdfClaim, MdfDecision, MdfRequest
from comarketing.partners.models import Partner
from comarketing.reports.models import (
    ClickAddress,
    ClickDay,
    CreditDay,
    DirtyDay,
    RegistrationDay,
    RollupMark,
)
from comarketing.spend.models import Spend
from comarketing.tiers.models import Tier, TierMove
from comarketing.users.models import ApiToken, User, UserToken
from comarketing.webinars.consent_models import CohostFollowUp, RegistrantConsent
from comarketing.webinars.models import Registration, Webinar, WebinarHost

__all__ = [
    "ApiToken",
    "AttributionCredit",
    "Call",
    "CallNumber",
    "Campaign",
    "CampaignPartner",
    "Click",
    "ClickAddress",
    "ClosedPayment",
    "ClickDay",
    "CreditDay",
    "Commission",
    "CohostFollowUp",
    "CommissionPlan",
    "Conversion",
    "DealRegistration",
    "DirtyDay",
    "CrmDestination",
    "CrmEvent",
    "IdempotencyRecord",
    "KpiTarget",
    "Lead",
    "LeadFlag",
    "LeadOwnership",
    "LeadStatusChange",
    "MdfBudget",
    "MdfClaim",
    "MdfDecision",
    "MdfRequest",
    "OutboxMessage",
    "ScheduledJob",
    "SentMail",
    "OwnershipConflict",
    "Partner",
    "PartnerPlan",
    "Payment",
    "PostbackEndpoint",
    "RegistrantConsent",
    "Registration",
    "RegistrationDay",
    "RollupMark",
    "Spend",
    "Tier",
    "TierMove",
    "Touchpoint",
    "TrackedLink",
    "UsedSignature",
    "User",
    "UserToken",
    "Visitor",
    "Webinar",
    "WebinarHost",
]

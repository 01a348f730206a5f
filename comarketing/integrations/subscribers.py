"""What integrations do when the domains below them act: new leads go to every CRM, and each
partner's postback endpoints hear of its own leads — new ones, new statuses, commissions."""

from __future__ import annotations

from comarketing.commissions.signals import commission_created
from comarketing.integrations.crm.enqueue import enqueue_new_leads
from comarketing.integrations.postbacks.subscribers import (
    enqueue_commission_created,
    enqueue_lead_created,
    enqueue_status_changed,
)
from comarketing.leads.signals import lead_status_changed, leads_created


def subscribe() -> None:
    """Connect the receivers (``create_app``; connecting twice changes nothing)."""
    leads_created.connect(enqueue_new_leads)
    leads_created.connect(enqueue_lead_created)
    lead_status_changed.connect(enqueue_status_changed)
    commission_created.connect(enqueue_commission_created)

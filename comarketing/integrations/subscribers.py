"""What integrations do when the domains below them act: new leads go to every CRM."""

from __future__ import annotations

from comarketing.integrations.crm.enqueue import enqueue_new_leads
from comarketing.leads.signals import leads_created


def subscribe() -> None:
    """Connect the receivers (``create_app``; connecting twice changes nothing)."""
    leads_created.connect(enqueue_new_leads)

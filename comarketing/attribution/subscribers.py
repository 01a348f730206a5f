"""Credits follow the touches: attribution subscribes to the lead and partner events below it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from comarketing.attribution.credits import (
    leads_touched_by_partner,
    refresh_credits,
    refresh_funnel,
)
from comarketing.leads.signals import funnel_changed, touches_changed
from comarketing.partners.models import Partner
from comarketing.partners.signals import segment_changed


def refresh_leads(_sender: Any = None, *, lead_ids: Iterable[int]) -> None:
    refresh_credits(lead_ids)


def refresh_leads_funnel(_sender: Any = None, *, lead_ids: Iterable[int]) -> None:
    refresh_funnel(lead_ids)


def refresh_partner_leads(partner: Partner) -> None:
    """Credits carry the segment of their partner: a new segment rewrites its leads' credits."""
    refresh_credits(leads_touched_by_partner(partner.id))


def subscribe() -> None:
    """Connect the receivers (``create_app``; connecting twice changes nothing)."""
    touches_changed.connect(refresh_leads)
    funnel_changed.connect(refresh_leads_funnel)
    segment_changed.connect(refresh_partner_leads)

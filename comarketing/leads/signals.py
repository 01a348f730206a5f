"""What happens to leads, for the packages above to act on (they subscribe in ``create_app``):
attribution refreshes credits, integrations push new leads to the CRMs and tell partners of
their leads' new statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from blinker import Namespace

_signals = Namespace()


@dataclass(frozen=True)
class NewLead:
    lead_id: int
    conversion_id: int  # the submission that created it


# send(leads=[NewLead, …]) after new leads are flushed, in their transaction.
leads_created = _signals.signal("leads-created")
# send(lead_ids=[…]) after touches that may change who gets credit for these leads are flushed.
touches_changed = _signals.signal("touches-changed")
# send(lead_id=…, phones=[…]) while a person is erased, in its transaction: what the packages
# above keep of the person (a caller's number) is blanked too.
person_erased = _signals.signal("person-erased")


@dataclass(frozen=True)
class StatusChanged:
    lead_id: int
    previous: str
    status: str
    changed_at: datetime  # UTC, when the CRM (or the payment) says it happened


# send(change=StatusChanged) after a lead's new status is flushed, in its transaction.
lead_status_changed = _signals.signal("lead-status-changed")

# send(lead_ids=[…]) after leads' status or time of becoming a customer changed (flushed).
funnel_changed = _signals.signal("funnel-changed")

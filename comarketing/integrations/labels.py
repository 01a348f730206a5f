"""Shown names of what comes back from the CRMs: event states (looked up as
``crm_event:<state>``) and where a lead's status came from (``status_source:<source>``)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from comarketing.integrations.models import EventState
from comarketing.leads.models import StatusSource

LABELS: dict[str, Any] = {
    f"crm_event:{EventState.PENDING}": _l("waiting for the worker"),
    f"crm_event:{EventState.APPLIED}": _l("applied"),
    f"crm_event:{EventState.UNMATCHED}": _l("no lead of ours"),
    f"crm_event:{EventState.IGNORED}": _l("nothing to apply"),
    f"status_source:{StatusSource.CRM}": _l("CRM"),
    f"status_source:{StatusSource.PAYMENT}": _l("payment"),
}

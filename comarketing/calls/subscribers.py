"""Calls follow the person: an erased person's calls keep their counts, not the caller."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, update

from comarketing.calls.models import Call
from comarketing.extensions import db
from comarketing.leads.signals import person_erased


def forget_caller(_sender: Any = None, *, lead_id: int, phones: Iterable[str]) -> None:
    """Blank the caller's number of the person's calls (joined to the lead, or from one of
    its phones without a lead: short calls before it was known)."""
    found = [Call.lead_id == lead_id]
    numbers = [phone for phone in phones if phone]
    if numbers:
        found.append(Call.caller.in_(numbers))
    db.session.execute(update(Call).where(or_(*found)).values(caller=None))


def subscribe() -> None:
    """Connect the receivers (``create_app``; connecting twice changes nothing)."""
    person_erased.connect(forget_caller)

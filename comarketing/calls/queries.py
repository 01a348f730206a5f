"""Reads of tracking numbers and calls, scoped by the one access rule: a partner sees its own
static numbers and the calls credited to it; the pool is staff's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from comarketing.calls.models import Call, CallNumber, NumberKind
from comarketing.core.auth import scope_to_partner
from comarketing.core.db import AnySelect
from comarketing.extensions import db
from comarketing.users.models import User


def numbers_query(
    user: User, *, partner_id: int | None = None, kind: str | None = None
) -> AnySelect:
    """Numbers the user may see, unordered (the API pages by id)."""
    stmt = scope_to_partner(select(CallNumber), CallNumber.partner_id, user)
    if partner_id is not None:
        stmt = stmt.where(CallNumber.partner_id == partner_id)
    if kind is not None:
        stmt = stmt.where(CallNumber.kind == kind)
    return stmt


def calls_query(user: User, *, partner_id: int | None = None) -> AnySelect:
    """Calls the user may see (a partner: those credited to it), unordered."""
    stmt = scope_to_partner(select(Call), Call.partner_id, user)
    if partner_id is not None:
        stmt = stmt.where(Call.partner_id == partner_id)
    return stmt


@dataclass(frozen=True)
class PoolFigures:
    numbers: int  # active pool numbers
    held: int  # held by a click now
    reused: int  # times an exhausted pool reused a held number (those calls credit nobody)


def pool_figures(now: datetime) -> PoolFigures:
    """The dynamic pool at ``now`` (UTC), so marketers know when to add numbers."""
    held = case((CallNumber.held_until > now, 1), else_=0)
    row = db.session.execute(
        select(
            func.count(CallNumber.id),
            func.coalesce(func.sum(held), 0),
            func.coalesce(func.sum(CallNumber.reused_count), 0),
        ).where(CallNumber.kind == NumberKind.POOL, CallNumber.active.is_(True))
    ).one()
    return PoolFigures(int(row[0]), int(row[1]), int(row[2]))


def mdf_call_figures(mdf_request_id: int) -> tuple[int, AnySelect]:
    """The calls answered on an MDF activity's static numbers, and the select of the leads
    they joined (``lead_id``), for the activity's proof."""
    on_numbers = select(CallNumber.id).where(CallNumber.mdf_request_id == mdf_request_id)
    answered = db.session.scalar(
        select(func.count(Call.id)).where(Call.number_id.in_(on_numbers), Call.answered.is_(True))
    )
    leads = select(Call.lead_id.label("lead_id")).where(
        Call.number_id.in_(on_numbers), Call.lead_id.is_not(None)
    )
    return int(answered or 0), leads


def mask_phone(number: str | None) -> str:
    """A caller's number as a partner sees it: ``+7 916 ***-**-67`` (country, area, the last
    two digits); an erased one is a dash."""
    if not number:
        return "—"
    digits = number.lstrip("+")
    if number.startswith("+7") and len(digits) == 11:
        return f"+7 {digits[1:4]} ***-**-{digits[-2:]}"
    return f"+{digits[: max(len(digits) - 8, 1)]} ***{digits[-2:]}"


def lead_calls(lead_id: int) -> dict[datetime, Call]:
    """The lead's calls by their start (UTC): what its timeline shows beside a call touch."""
    found = db.session.scalars(select(Call).where(Call.lead_id == lead_id).order_by(Call.id))
    return {call.started_at: call for call in found}

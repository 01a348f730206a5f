"""Keeping attribution credits current, so that reports are GROUP BYs over one table.

A lead's credits depend on its touches at or before its creation (within the look-back
window); they are recomputed whenever such a touch may have changed: the lead was created or
converted again (``record_submission``), an offline touch or attendance was recorded, a bulk
import or the demo wrote many at once, a partner changed segment.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from flask import current_app
from sqlalchemy import Table, delete, select, update

from comarketing.attribution.models import AttributionCredit, AttributionModel
from comarketing.attribution.rules import Touch, credits_by_model
from comarketing.core.bulk_insert import insert_rows
from comarketing.extensions import db
from comarketing.leads.models import Lead, LeadStatus, Touchpoint
from comarketing.partners.models import Partner

CREDITS = cast(Table, AttributionCredit.__table__)
BATCH = 1000  # leads per round of statements


def refresh_credits(lead_ids: Iterable[int]) -> int:
    """Recompute the credits of these leads under every model; returns the rows written."""
    ids = sorted(set(lead_ids))
    if not ids:
        return 0
    config = current_app.config
    lookback = timedelta(days=int(config["LOOKBACK_DAYS"]))
    half_life = timedelta(days=float(config["TIME_DECAY_HALF_LIFE_DAYS"]))
    segments = dict(db.session.execute(select(Partner.id, Partner.segment)).all())
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        leads = {
            row.id: row
            for row in db.session.execute(
                select(Lead.id, Lead.created_at, Lead.status, Lead.customer_since).where(
                    Lead.id.in_(batch)
                )
            )
        }
        touches: dict[int, list[Any]] = {}
        for row in db.session.execute(
            select(
                Touchpoint.id,
                Touchpoint.lead_id,
                Touchpoint.occurred_at,
                Touchpoint.partner_id,
                Touchpoint.campaign_id,
                Touchpoint.webinar_id,
                Touchpoint.channel,
            ).where(Touchpoint.lead_id.in_(batch))
        ):
            touches.setdefault(row.lead_id, []).append(row)
        rows = [
            row | funnel_values(lead.status, lead.created_at, lead.customer_since)
            for lead_id, lead in leads.items()
            for row in credit_rows(
                lead_id, lead.created_at, touches.get(lead_id, []), segments, lookback, half_life
            )
        ]
        db.session.execute(delete(CREDITS).where(CREDITS.c.lead_id.in_(batch)))
        insert_rows(CREDITS, rows)
        written += len(rows)
    return written


def credit_rows(
    lead_id: int,
    created_at: datetime,
    touches: list[Any],
    segments: dict[int, str],
    lookback: timedelta,
    half_life: timedelta,
) -> list[dict[str, Any]]:
    """The ``attribution_credits`` rows of one lead (``touches``: its touchpoints, with ``id``,
    ``occurred_at``, ``partner_id``, ``campaign_id``, ``webinar_id``, ``channel``). The credits
    are the models' own, already at the column's scale, so that the rows counted under each
    model sum to exactly 1 as stored."""
    by_id = {touch.id: touch for touch in touches}
    pure = [Touch(key=t.id, at=t.occurred_at, partner_id=t.partner_id) for t in touches]
    rows = []
    by_model = credits_by_model(pure, created_at, lookback=lookback, half_life=half_life)
    first, *others = by_model.values()
    if all(shares == first for shares in others):  # one row for all five models
        by_model = {AttributionModel.ALL.value: first}
    for model, shares in by_model.items():
        if not shares:
            rows.append(_row(lead_id, model, created_at, None, Decimal(1), segments))
        for key, share in shares.items():
            rows.append(_row(lead_id, model, created_at, by_id[key], share, segments))
    return rows


def _row(
    lead_id: int,
    model: str,
    created_at: datetime,
    touch: Any,
    credit: Decimal,
    segments: dict[int, str],
) -> dict[str, Any]:
    partner_id = touch.partner_id if touch is not None else None
    return {
        "lead_id": lead_id,
        "model": model,
        "touchpoint_id": touch.id if touch is not None else None,
        "partner_id": partner_id,
        "campaign_id": touch.campaign_id if touch is not None else None,
        "webinar_id": touch.webinar_id if touch is not None else None,
        "channel": touch.channel if touch is not None else None,
        "segment": segments.get(partner_id) if partner_id is not None else None,
        "credit": credit,
        "lead_created_at": created_at,
    }


def funnel_values(
    status: Any, created_at: datetime, customer_since: datetime | None
) -> dict[str, Any]:
    """What a lead's credit rows carry of its funnel: its status and, for a customer, the
    whole seconds from its creation to its becoming one."""
    seconds = None
    if str(status) == LeadStatus.CUSTOMER and customer_since is not None:
        seconds = int((customer_since - created_at).total_seconds())
    return {"lead_status": str(status), "lead_customer_seconds": seconds}


def refresh_funnel(lead_ids: Iterable[int]) -> None:
    """Copy these leads' status and time to customer onto their credit rows (their status or
    customer time changed; the credits themselves did not)."""
    for lead in db.session.execute(
        select(Lead.id, Lead.created_at, Lead.status, Lead.customer_since).where(
            Lead.id.in_(sorted(set(lead_ids)))
        )
    ):
        db.session.execute(
            update(CREDITS)
            .where(CREDITS.c.lead_id == lead.id)
            .values(**funnel_values(lead.status, lead.created_at, lead.customer_since))
        )


def leads_touched_by_partner(partner_id: int) -> list[int]:
    """Leads with a touch of this partner (their credits carry its segment)."""
    return list(
        db.session.scalars(
            select(Touchpoint.lead_id)
            .where(Touchpoint.partner_id == partner_id, Touchpoint.lead_id.is_not(None))
            .distinct()
        )
    )

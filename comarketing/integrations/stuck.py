"""Partners whose leads do not reach the CRM — owned leads with no delivered CRM message and
one that is dead or still pending after a day — in one grouped query (the MDF watch list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, exists, func, select

from comarketing.core.outbox import OutboxChannel, OutboxMessage, OutboxStatus
from comarketing.extensions import db
from comarketing.integrations.crm.enqueue import LEAD_CREATED
from comarketing.integrations.models import CrmDestination
from comarketing.leads.models import Lead
from comarketing.partners.models import Partner

SHOWN = 100
STALE_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class StuckPartner:
    partner_id: int
    partner_name: str
    leads: int  # owned leads with no delivered CRM message and a dead or stale one
    dead: int  # of them, with a dead message
    stale: int  # of them, with a message pending for more than a day
    since: datetime  # the oldest such message (UTC)


def stuck_partners(now: datetime, *, partner_id: int | None = None) -> list[StuckPartner]:
    """Partners with leads that have not reached the CRM, the most such leads first.

    Empty when no CRM destination is active (then no lead is meant to reach one). ``now`` is
    UTC; a pending message counts once it is older than a day.
    """
    if not db.session.scalar(select(exists().where(CrmDestination.active.is_(True)))):
        return []
    crm = (OutboxMessage.channel == OutboxChannel.CRM) & (OutboxMessage.topic == LEAD_CREATED)
    dead = OutboxMessage.status == OutboxStatus.DEAD
    stale = (OutboxMessage.status == OutboxStatus.PENDING) & (
        OutboxMessage.created_at < now - STALE_AFTER
    )
    stuck = (
        select(
            OutboxMessage.lead_id.label("lead_id"),
            func.max(case((dead, 1), else_=0)).label("dead"),
            func.max(case((stale, 1), else_=0)).label("stale"),
            func.min(OutboxMessage.created_at).label("since"),
        )
        .where(crm, OutboxMessage.lead_id.is_not(None), dead | stale)
        .group_by(OutboxMessage.lead_id)
        .subquery()
    )
    delivered = exists().where(
        OutboxMessage.lead_id == Lead.id, crm, OutboxMessage.status == OutboxStatus.DELIVERED
    )
    stmt = (
        select(
            Partner.id,
            Partner.name,
            func.count(Lead.id),
            func.sum(stuck.c.dead),
            func.sum(stuck.c.stale),
            func.min(stuck.c.since),
        )
        .join(Lead, Lead.owner_partner_id == Partner.id)
        .join(stuck, stuck.c.lead_id == Lead.id)
        .where(~delivered)
        .group_by(Partner.id, Partner.name)
        .order_by(func.count(Lead.id).desc(), Partner.name)
        .limit(SHOWN)
    )
    if partner_id is not None:
        stmt = stmt.where(Partner.id == partner_id)
    return [
        StuckPartner(
            partner_id=row[0],
            partner_name=row[1],
            leads=int(row[2]),
            dead=int(row[3] or 0),
            stale=int(row[4] or 0),
            since=row[5],
        )
        for row in db.session.execute(stmt)
    ]

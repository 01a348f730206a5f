"""How far behind the outbox is: for ``/healthz`` (load balancers, monitoring) and
``flask worker status``. Read from the status and due-time index, never by loading rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from comarketing.core.outbox.models import OutboxMessage, OutboxStatus
from comarketing.core.time import as_utc, utcnow
from comarketing.extensions import db


@dataclass(frozen=True)
class Backlog:
    due: int  # pending messages whose time has come
    oldest_due_seconds: int  # how long the longest-waiting of them has been due; 0: none
    dead: int  # retries exhausted, waiting for a person

    def __str__(self) -> str:
        return f"{self.due} due now (the oldest for {self.oldest_due_seconds} s), {self.dead} dead"


def backlog(now: datetime | None = None, *, count_dead: bool = True) -> Backlog:
    """The outbox backlog at ``now`` (UTC). A message being sent is leased into the future,
    so it does not count as due. ``count_dead`` False skips that count (``dead`` is 0)."""
    moment = now or utcnow()
    due, oldest = db.session.execute(
        select(func.count(), func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= moment,
        )
    ).one()
    dead = (
        db.session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.DEAD))
        if count_dead
        else 0
    )
    waited = 0 if oldest is None else max(0, int((moment - as_utc(oldest)).total_seconds()))
    return Backlog(due=int(due), oldest_due_seconds=waited, dead=int(dead or 0))

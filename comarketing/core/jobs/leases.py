"""Each job runs once per slot however many workers run, on however many hosts.

Time is cut into slots of the job's interval, counted from the Unix epoch (a daily job's
slot starts at 00:00 UTC), so every worker agrees on the slot of a moment. A worker runs a
job only after claiming its row with one UPDATE whose WHERE says "this slot not run yet and
no live lease": the database lets exactly one claim through (PostgreSQL re-checks the WHERE
on the row a concurrent claim just committed; SQLite has one writer at a time), on both
databases, with no advisory lock. The claim's lease (``JOB_LEASE_SECONDS``, renewed by the
worker while the job runs) keeps a long job from being started twice; a worker that dies
mid-job lets the lease run out, and the job runs again at its next slot."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from comarketing.core.jobs.models import JobOutcome, ScheduledJob
from comarketing.core.jobs.registry import Job
from comarketing.core.time import utcnow
from comarketing.extensions import db

log = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def slot_of(moment: datetime, interval: float) -> datetime:
    """The start (UTC) of the slot of ``interval`` seconds that holds ``moment``."""
    step = max(1, round(interval * 1_000_000))
    elapsed = (moment - EPOCH) // MICROSECOND
    return EPOCH + (elapsed // step * step) * MICROSECOND


def this_worker() -> str:
    """Who holds a lease: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def lease_seconds() -> float:
    """How long a claim holds without being renewed (``JOB_LEASE_SECONDS``, default 120)."""
    return float(current_app.config.get("JOB_LEASE_SECONDS", 120))


def ensure_rows(names: Iterable[str]) -> None:
    """A row for every job (workers starting together may both insert: the second adds
    nothing). Commits."""
    rows = [{"name": name, "runs": 0} for name in names]
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(ScheduledJob).values(rows).on_conflict_do_nothing())
    db.session.commit()


def _changed(statement: Any) -> int:
    result = cast(CursorResult[Any], db.session.execute(statement))
    db.session.commit()
    return result.rowcount


def claim(name: str, slot: datetime, interval: float, holder: str, now: datetime) -> bool:
    """Take the job for ``slot`` if no worker ran it for this slot and none is running it;
    committed at once. True: this worker runs it now."""
    statement = (
        update(ScheduledJob)
        .where(
            ScheduledJob.name == name,
            or_(ScheduledJob.slot_at.is_(None), ScheduledJob.slot_at < slot),
            or_(ScheduledJob.lease_until.is_(None), ScheduledJob.lease_until < now),
        )
        .values(
            slot_at=slot,
            next_run_at=slot + timedelta(seconds=interval),
            lease_holder=holder,
            lease_until=now + timedelta(seconds=lease_seconds()),
            started_at=now,
            finished_at=None,
            outcome=JobOutcome.RUNNING,
            message=None,
            runs=ScheduledJob.runs + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return _changed(statement) == 1


def renew(names: Iterable[str], holder: str, now: datetime) -> int:
    """Extend this worker's leases on the jobs it is running; returns how many."""
    wanted = list(names)
    if not wanted:
        return 0
    statement = (
        update(ScheduledJob)
        .where(ScheduledJob.name.in_(wanted), ScheduledJob.lease_holder == holder)
        .values(lease_until=now + timedelta(seconds=lease_seconds()))
        .execution_options(synchronize_session=False)
    )
    return _changed(statement)


def finish(name: str, holder: str, outcome: JobOutcome, message: str) -> None:
    """Record how the run went and give the lease back."""
    statement = (
        update(ScheduledJob)
        .where(ScheduledJob.name == name, ScheduledJob.lease_holder == holder)
        .values(
            lease_holder=None,
            lease_until=None,
            finished_at=utcnow(),
            outcome=outcome,
            message=message[:2000],
        )
        .execution_options(synchronize_session=False)
    )
    _changed(statement)


def run_job(job: Job, holder: str, now: datetime | None = None) -> str | None:
    """Run ``job`` if this worker wins the claim on the current slot; returns what it said
    (None: another worker has it or it already ran for this slot). A failure is recorded and
    logged, never raised: one failing job must not stop the others or the deliveries."""
    moment = now or utcnow()
    interval = job.interval()
    slot = slot_of(moment, interval)
    if not claim(job.name, slot, interval, holder, moment):
        return None
    try:
        said = job.run()
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        log.exception("scheduled job %s failed", job.name)
        said = f"{type(error).__name__}: {error}"
        finish(job.name, holder, JobOutcome.FAILED, said)
        return f"{job.name} [{slot:%Y-%m-%dT%H:%M:%SZ}] failed: {said}"
    finish(job.name, holder, JobOutcome.OK, said)
    return f"{job.name} [{slot:%Y-%m-%dT%H:%M:%SZ}]: {said}"


def run_due(jobs: Iterable[Job], now: datetime | None = None) -> list[str]:
    """Run every job whose current slot has not run yet (``flask worker --once``, tests)."""
    job_list = list(jobs)
    ensure_rows(job.name for job in job_list)
    holder = this_worker()
    said = [run_job(job, holder, now) for job in job_list]
    return [line for line in said if line is not None]

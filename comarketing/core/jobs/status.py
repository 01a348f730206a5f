"""What ``flask worker status`` shows: each job's last run and next run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from comarketing.core.jobs.leases import slot_of
from comarketing.core.jobs.models import ScheduledJob
from comarketing.core.jobs.registry import Job
from comarketing.core.time import utcnow
from comarketing.extensions import db


@dataclass(frozen=True)
class JobStatus:
    job: Job
    interval: float  # seconds
    row: ScheduledJob | None  # None: no worker has seen the job yet
    slot: datetime  # UTC, the start of the current slot
    checked_at: datetime  # UTC, when the status was read
    next_run: datetime  # UTC; ``due`` when the current slot has not run yet
    due: bool


def job_statuses(jobs: list[Job], now: datetime | None = None) -> list[JobStatus]:
    """Every registered job with its row: a job whose current slot has run is next run at
    the next slot's start; one whose slot has not (no worker running, or a run of an earlier
    slot still going) is due now."""
    moment = now or utcnow()
    rows = {
        row.name: row
        for row in db.session.scalars(
            select(ScheduledJob).where(ScheduledJob.name.in_([job.name for job in jobs]))
        )
    }
    statuses = []
    for job in jobs:
        interval = job.interval()
        slot = slot_of(moment, interval)
        row = rows.get(job.name)
        ran = row is not None and row.slot_at is not None and row.slot_at >= slot
        next_run = slot + timedelta(seconds=interval) if ran else moment
        statuses.append(JobStatus(job, interval, row, slot, moment, next_run, due=not ran))
    return statuses


def describe(status: JobStatus) -> list[str]:
    """The lines ``flask worker status`` prints for one job."""
    row = status.row
    lines = [f"{status.job.name} (every {status.interval:g} s, {status.job.interval_key})"]
    if row is None or row.started_at is None:
        lines.append("  last run: never")
    else:
        end = _when(row.finished_at) if row.finished_at else "…"
        said = f": {row.message}" if row.message else ""
        outcome = row.outcome.value if row.outcome else "?"
        lines.append(f"  last run: {_when(row.started_at)} – {end}, {outcome}{said}")
        if row.lease_holder and row.lease_until and row.lease_until < status.checked_at:
            lines.append(
                f"  {row.lease_holder} stopped during that run (its lease ran out at"
                f" {_when(row.lease_until)}); the next slot runs it again"
            )
        elif row.lease_holder:
            lines.append(f"  running on {row.lease_holder}, lease until {_when(row.lease_until)}")
    when = (
        f"due now (the slot that began {_when(status.slot)} has not run)"
        if status.due
        else _when(status.next_run)
    )
    lines.append(f"  next run: {when}")
    return lines


def _when(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment:%Y-%m-%d %H:%M:%S} UTC"

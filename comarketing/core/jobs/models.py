"""One row per scheduled job of ``flask worker``: the slot it last ran for and the lease of the
worker running it, so each slot runs once however many workers there are (``leases``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import UTCDateTime, str_enum
from comarketing.extensions import Model


class JobOutcome(StrEnum):
    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"


class ScheduledJob(Model):
    """A job's schedule and last run. ``slot_at``: the start (UTC) of the interval it last ran
    for; ``lease_until``: while in the future, ``lease_holder`` (host:pid) is running it."""

    __tablename__ = "scheduled_jobs"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    slot_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_holder: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[JobOutcome | None] = mapped_column(str_enum(JobOutcome, "outcome"))
    message: Mapped[str | None] = mapped_column(Text)  # what the job said, or its error
    runs: Mapped[int] = mapped_column(default=0)

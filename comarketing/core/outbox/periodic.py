"""Jobs the ``outbox deliver`` worker runs every so often besides delivering (a CRM sync that
catches up missed webhooks). Registered by ``create_app`` like the senders; the interval is a
config key (seconds), read when the job is due, so tests and deployments can change it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app

from comarketing.extensions import db

log = logging.getLogger(__name__)


@dataclass
class PeriodicJob:
    name: str
    interval_key: str  # config key: seconds between two runs
    run: Callable[[], str]  # does the work, commits it, and says what it did in one line


@dataclass
class Schedule:
    """When each job last ran, in ``time.monotonic()`` seconds of this worker process."""

    last_run: dict[str, float] = field(default_factory=dict)

    def run_due(self, jobs: list[PeriodicJob], now: float | None = None) -> list[str]:
        """Run each job whose interval has passed (every job on the first call); a job that
        fails is logged and tried again at its next interval. Returns what the jobs said."""
        moment = time.monotonic() if now is None else now
        said = []
        for job in jobs:
            interval = float(current_app.config[job.interval_key])
            last = self.last_run.get(job.name)
            if last is not None and moment - last < interval:
                continue
            self.last_run[job.name] = moment
            try:
                said.append(f"{job.name}: {job.run()}")
            except Exception:  # a failing job must not stop the deliveries
                db.session.rollback()
                log.exception("periodic job %s failed", job.name)
        return said

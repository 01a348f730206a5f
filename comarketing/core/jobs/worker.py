"""``flask worker``: delivers the outbox in its main thread and runs the scheduled jobs in
APScheduler's threads, until SIGTERM or SIGINT.

APScheduler fires each job at the start of each slot of its interval (counted from the
epoch, so every worker fires at the same instants) and once at start-up, to catch up a slot
missed while no worker ran; the claim on the job's row (``leases``) decides which worker
runs it. A heartbeat renews the leases of the jobs this worker is running. On SQLite one
job runs at a time (one writer anyway); on PostgreSQL up to four.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections import Counter
from collections.abc import Callable
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor  # type: ignore[import-untyped]
from apscheduler.schedulers.background import (  # type: ignore[import-untyped]
    BackgroundScheduler,
)
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]
from flask import Flask

from comarketing.core.jobs.leases import (
    EPOCH,
    ensure_rows,
    lease_seconds,
    renew,
    run_job,
    this_worker,
)
from comarketing.core.jobs.registry import Job, job_registry
from comarketing.core.outbox.delivery import deliver_due
from comarketing.core.time import utcnow
from comarketing.extensions import db

log = logging.getLogger(__name__)


class Worker:
    """One worker process: ``run`` blocks until ``stop`` (or a signal)."""

    def __init__(
        self,
        app: Flask,
        *,
        poll: float = 5.0,
        jobs: bool = True,
        say: Callable[[str], None] = print,
    ) -> None:
        self.app = app
        self.poll = poll  # seconds between two looks at the outbox
        self.jobs: list[Job] = list(job_registry(app).jobs) if jobs else []
        self.say = say
        self.holder = this_worker()
        self.running: Counter[str] = Counter()  # jobs this worker is running, by name
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def stop(self, *_: object) -> None:
        self._stopping.set()

    def run(self) -> None:
        """Deliver and schedule until stopped; running jobs are waited for."""
        if not logging.getLogger().handlers:  # what the jobs and the e-mail channel log
            logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        previous = {sig: signal.signal(sig, self._on_signal) for sig in _SIGNALS}
        scheduler: BackgroundScheduler | None = None
        try:
            scheduler = self._scheduler() if self.jobs else None
            names = ", ".join(job.name for job in self.jobs) or "none"
            self.say(f"Worker {self.holder}: delivering the outbox; scheduled jobs: {names}.")
            while not self._stopping.is_set():
                self._deliver()
                self._stopping.wait(self.poll)
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=True)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.say("Worker stopped.")

    def _deliver(self) -> None:
        try:
            with self.app.app_context():
                report = deliver_due()
        except Exception:  # the database is away for a moment: try again at the next poll
            log.exception("the outbox could not be delivered")
            return
        if report.delivered or report.retried or report.dead:
            self.say(f"Outbox: {report}.")

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop()

    def _scheduler(self) -> BackgroundScheduler:
        with self.app.app_context():
            ensure_rows(job.name for job in self.jobs)
            sqlite = db.engine.dialect.name == "sqlite"
            intervals = {job.name: job.interval() for job in self.jobs}
            heartbeat = max(1.0, lease_seconds() / 3)
        scheduler = BackgroundScheduler(
            timezone="UTC",
            executors={
                "default": ThreadPoolExecutor(1 if sqlite else 4),
                "heartbeat": ThreadPoolExecutor(1),
            },
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        for job in self.jobs:
            every = IntervalTrigger(seconds=intervals[job.name], start_date=EPOCH, timezone="UTC")
            scheduler.add_job(self._tick, every, args=[job], id=job.name)
            scheduler.add_job(self._tick, args=[job], id=f"{job.name} (start)")
        renewal = IntervalTrigger(seconds=heartbeat, timezone="UTC")
        scheduler.add_job(self._renew, renewal, id="lease heartbeat", executor="heartbeat")
        scheduler.start()
        return scheduler

    def _tick(self, job: Job) -> None:
        # Counted, not a set: the start-up run and a slot's run of one job may overlap here
        # (the lease then lets only one of them through).
        with self._lock:
            self.running[job.name] += 1
        try:
            with self.app.app_context():
                said = run_job(job, self.holder)
        except Exception:  # the database went away: try again at the next slot
            log.exception("scheduled job %s could not be claimed or recorded", job.name)
            said = None
        finally:
            with self._lock:
                self.running[job.name] -= 1
        if said is not None:
            self.say(said)

    def _renew(self) -> None:
        with self._lock:
            names = [name for name, count in self.running.items() if count > 0]
        if not names:
            return
        try:
            with self.app.app_context():
                renew(names, self.holder, utcnow())
        except Exception:
            log.exception("the leases of %s could not be renewed", ", ".join(names))


_SIGNALS = (signal.SIGTERM, signal.SIGINT)

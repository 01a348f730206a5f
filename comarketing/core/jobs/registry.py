"""What ``flask worker`` runs on a schedule, registered by ``create_app`` (so ``core`` never
imports the domains whose work it schedules). A job's interval is a config key in seconds,
read when a worker starts, so deployments and tests change it with ``COMARKETING_<KEY>``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app


@dataclass(frozen=True)
class Job:
    name: str
    interval_key: str  # config key: seconds between two slots
    run: Callable[[], str]  # does the work and says what it did in one line; the runner commits
    default_interval: float = 3600.0  # seconds, when the config does not name the key

    def interval(self) -> float:
        """Seconds between two slots (at least one second)."""
        return max(1.0, float(current_app.config.get(self.interval_key, self.default_interval)))


@dataclass
class JobRegistry:
    jobs: list[Job] = field(default_factory=list)

    def add(self, job: Job) -> None:
        if any(known.name == job.name for known in self.jobs):
            raise ValueError(f"a job named {job.name!r} is already registered")
        self.jobs.append(job)


def job_registry(app: Flask | None = None) -> JobRegistry:
    """The registry of ``app`` (default: the current app)."""
    target = app or current_app
    registry: JobRegistry = target.extensions.setdefault("comarketing.jobs", JobRegistry())
    return registry

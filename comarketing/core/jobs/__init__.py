"""The scheduler of ``flask worker`` (infrastructure, at the height of ``core``): jobs
registered by ``create_app`` (``registry``), each run once per slot of its interval however
many workers run (``leases``), clocked by APScheduler in each worker (``worker``)."""

from comarketing.core.jobs.models import JobOutcome, ScheduledJob
from comarketing.core.jobs.registry import Job, JobRegistry, job_registry

__all__ = ["Job", "JobOutcome", "JobRegistry", "ScheduledJob", "job_registry"]

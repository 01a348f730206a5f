"""Scheduled jobs run once per slot, whoever claims first (``core.jobs.leases``); ``flask
worker status`` says how they went; ``flask worker --once`` runs what is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from comarketing.core.jobs import Job, JobOutcome, ScheduledJob, job_registry
from comarketing.core.jobs.leases import ensure_rows, finish, renew, run_due, run_job, slot_of
from comarketing.core.jobs.status import describe, job_statuses
from comarketing.extensions import db

START = datetime(2026, 12, 5, 0, 0, tzinfo=UTC)


class Counter:
    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail

    def __call__(self) -> str:
        self.calls += 1
        if self.fail:
            raise RuntimeError("the CRM is down")
        return f"run {self.calls}"


@pytest.fixture
def counter(app, monkeypatch):
    monkeypatch.setitem(app.config, "TEST_JOB_INTERVAL", 60)
    counter = Counter()
    job = Job("test job", "TEST_JOB_INTERVAL", counter)
    ensure_rows([job.name])
    return job, counter


def row(name: str = "test job") -> ScheduledJob:
    db.session.expire_all()
    return db.session.get_one(ScheduledJob, name)


@pytest.mark.parametrize(
    ("moment", "interval", "slot"),
    [
        (datetime(2026, 12, 5, 13, 7, 9, tzinfo=UTC), 86400, datetime(2026, 12, 5, tzinfo=UTC)),
        (datetime(2026, 12, 5, 0, 29, 59, tzinfo=UTC), 1800, datetime(2026, 12, 5, tzinfo=UTC)),
        (datetime(2026, 12, 5, 0, 30, tzinfo=UTC), 1800, datetime(2026, 12, 5, 0, 30, tzinfo=UTC)),
        (datetime(2028, 2, 29, 23, 59, 59, 999999, tzinfo=UTC), 1,
         datetime(2028, 2, 29, 23, 59, 59, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_slots_start_on_multiples_of_the_interval_from_the_epoch(moment, interval, slot):
    assert slot_of(moment, interval) == slot


def test_a_slot_runs_once_whoever_claims_it(counter):
    job, count = counter
    assert run_job(job, "host-a:1", START + timedelta(seconds=5)) == (
        "test job [2026-12-05T00:00:00Z]: run 1"
    )
    # The other worker, and the first one again, in the same slot: nothing.
    assert run_job(job, "host-b:2", START + timedelta(seconds=5)) is None
    assert run_job(job, "host-a:1", START + timedelta(seconds=59)) is None
    assert count.calls == 1
    # The next slot goes to whoever comes first.
    assert run_job(job, "host-b:2", START + timedelta(seconds=60)) is not None
    assert run_job(job, "host-a:1", START + timedelta(seconds=61)) is None
    assert count.calls == 2
    done = row()
    assert (done.runs, done.outcome, done.message) == (2, JobOutcome.OK, "run 2")
    assert done.slot_at == START + timedelta(seconds=60)
    assert done.next_run_at == START + timedelta(seconds=120)
    assert done.lease_holder is None
    assert done.lease_until is None


def test_a_live_lease_keeps_a_long_run_from_starting_twice(app, counter, monkeypatch):
    job, count = counter
    monkeypatch.setitem(app.config, "JOB_LEASE_SECONDS", 120)
    # host-a claimed the first slot and is still running (it died, or it is slow).
    assert run_job(Job("test job", "TEST_JOB_INTERVAL", lambda: "x"), "host-a:1", START)
    leased = {"lease_holder": "host-a:1", "lease_until": START + timedelta(seconds=120)}
    db.session.execute(db.update(ScheduledJob).values(**leased))
    db.session.commit()
    assert run_job(job, "host-b:2", START + timedelta(seconds=60)) is None
    # host-a renews its lease while it runs; host-b's renewal changes nothing.
    assert renew(["test job"], "host-a:1", START + timedelta(seconds=100)) == 1
    assert renew(["test job"], "host-b:2", START + timedelta(seconds=100)) == 0
    assert row().lease_until == START + timedelta(seconds=220)
    assert run_job(job, "host-b:2", START + timedelta(seconds=200)) is None
    # Once the lease has run out (host-a is gone), the current slot runs.
    assert run_job(job, "host-b:2", START + timedelta(seconds=221)) is not None
    assert count.calls == 1
    # host-a's late report cannot overwrite host-b's run.
    finish("test job", "host-a:1", JobOutcome.OK, "late")
    assert row().message == "run 1"


def test_a_failing_job_is_recorded_and_runs_again_at_its_next_slot(app, monkeypatch):
    monkeypatch.setitem(app.config, "TEST_JOB_INTERVAL", 60)
    failing = Counter(fail=True)
    job = Job("test job", "TEST_JOB_INTERVAL", failing)
    ensure_rows([job.name])
    said = run_job(job, "host-a:1", START)
    assert said == "test job [2026-12-05T00:00:00Z] failed: RuntimeError: the CRM is down"
    failed = row()
    assert failed.outcome is JobOutcome.FAILED
    assert failed.message == "RuntimeError: the CRM is down"
    assert failed.lease_holder is None
    assert run_job(job, "host-a:1", START + timedelta(seconds=30)) is None
    assert run_job(job, "host-a:1", START + timedelta(seconds=60)) is not None
    assert failing.calls == 2


def test_status_says_last_run_next_run_and_due(app, counter):
    job, _ = counter
    [never] = job_statuses([job], START)
    assert never.due
    assert describe(never)[1:] == [
        "  last run: never",
        "  next run: due now (the slot that began 2026-12-05 00:00:00 UTC has not run)",
    ]
    run_job(job, "host-a:1", START + timedelta(seconds=5))
    [done] = job_statuses([job], START + timedelta(seconds=10))
    assert not done.due
    assert done.next_run == START + timedelta(seconds=60)
    lines = describe(done)
    assert lines[0] == "test job (every 60 s, TEST_JOB_INTERVAL)"
    assert lines[1].startswith("  last run: 2026-12-05 00:00:05 UTC – ")
    assert lines[1].endswith(", ok: run 1")
    assert lines[2] == "  next run: 2026-12-05 00:01:00 UTC"


def test_status_tells_a_running_job_from_one_whose_worker_died(app, counter):
    job, _ = counter
    leased = {
        "lease_holder": "host-a:1",
        "lease_until": START + timedelta(seconds=120),
        "started_at": START,
        "slot_at": START,
        "outcome": JobOutcome.RUNNING,
    }
    db.session.execute(db.update(ScheduledJob).values(**leased))
    db.session.commit()
    [running] = job_statuses([job], START + timedelta(seconds=30))
    assert describe(running)[1:] == [
        "  last run: 2026-12-05 00:00:00 UTC – …, running",
        "  running on host-a:1, lease until 2026-12-05 00:02:00 UTC",
        "  next run: 2026-12-05 00:01:00 UTC",
    ]
    [died] = job_statuses([job], START + timedelta(seconds=150))
    assert describe(died)[2] == (
        "  host-a:1 stopped during that run (its lease ran out at 2026-12-05 00:02:00 UTC);"
        " the next slot runs it again"
    )


def test_every_registered_job_has_a_unique_name_and_an_interval(app):
    jobs = job_registry(app).jobs
    names = [job.name for job in jobs]
    assert len(names) == len(set(names))
    assert {
        "crm sync",
        "tiers evaluate",
        "webinars sync",
        "clicks roll up",
        "commissions approve",
        "idempotency purge",
        "reports roll up",
    } <= set(names)
    for job in jobs:
        assert job.interval() >= 1
    with pytest.raises(ValueError, match="already registered"):
        job_registry(app).add(jobs[0])


def test_worker_once_runs_the_due_jobs_and_status_lists_them(app, runner, time_machine):
    # Still in the same minute for the second run ("clicks roll up" runs every 60 s).
    time_machine.move_to(datetime(2026, 12, 5, 12, 0, 10, tzinfo=UTC), tick=False)
    first = runner.invoke(args=["worker", "--once"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("Outbox: 0 delivered, 0 to retry, 0 dead.\n")
    for name in ("crm sync", "clicks roll up", "idempotency purge", "commissions approve"):
        assert f"\n{name} [" in first.output
    # Same slots: the second run finds them done.
    again = runner.invoke(args=["worker", "--once"])
    assert again.output == "Outbox: 0 delivered, 0 to retry, 0 dead.\n"
    status = runner.invoke(args=["worker", "status"])
    assert status.exit_code == 0, status.output
    assert "crm sync (every 1800 s, CRM_SYNC_INTERVAL)\n  last run: " in status.output
    assert ", ok: 0 read, 0 changed, 0 unmatched in 0 CRM(s)\n" in status.output
    assert status.output.endswith("Outbox: 0 due now (the oldest for 0 s), 0 dead.\n")


def test_run_due_creates_missing_rows(app, counter):
    job, count = counter
    other = Job("another job", "TEST_JOB_INTERVAL", lambda: "done")
    assert run_due([job, other], START) == [
        "test job [2026-12-05T00:00:00Z]: run 1",
        "another job [2026-12-05T00:00:00Z]: done",
    ]
    assert row("another job").runs == 1

"""``Worker.run`` in this process on a SQLite file: APScheduler fires every registered job at
each slot's start, each slot runs once, the outbox is delivered meanwhile, and ``stop`` (what
SIGTERM calls) ends the loop after the running jobs."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter

import flask_migrate
from sqlalchemy import select

from comarketing import create_app
from comarketing.core.jobs import ScheduledJob, job_registry
from comarketing.core.jobs.worker import Worker
from comarketing.core.outbox import OutboxMessage, OutboxStatus
from comarketing.extensions import db
from comarketing.users.invitations import invite_partner_user
from tests.factories import Factory

RAN = re.compile(r"^(?P<job>[a-z ]+) \[(?P<slot>[0-9T:-]+Z)\]: ")


def test_the_worker_runs_each_slot_once_and_delivers_until_stopped(tmp_path):
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        SQLALCHEMY_ENGINE_OPTIONS={},
    )
    app.instance_path = str(tmp_path / "instance")
    jobs = job_registry(app).jobs
    for job in jobs:
        app.config[job.interval_key] = 1  # second
    with app.app_context():
        flask_migrate.upgrade()
        invite_partner_user(Factory().partner(), "new@partner.example", locale="en")
        db.session.commit()

    said: list[str] = []
    worker = Worker(app, poll=0.1, say=said.append)
    timer = threading.Timer(3.5, worker.stop)
    timer.start()
    started = time.monotonic()
    worker.run()
    elapsed = time.monotonic() - started
    timer.join()

    assert said[0].startswith("Worker ")
    assert said[-1] == "Worker stopped."
    assert "Outbox: 1 delivered, 0 to retry, 0 dead." in said
    slots = Counter((match["job"], match["slot"]) for line in said if (match := RAN.match(line)))
    assert set(slots.values()) == {1}  # no slot twice
    with app.app_context():
        rows = {row.name: row for row in db.session.scalars(select(ScheduledJob))}
        assert db.session.scalar(select(OutboxMessage.status)) is OutboxStatus.DELIVERED
        db.session.remove()
        db.engine.dispose()
    for job in jobs:
        ran = sum(1 for name, _ in slots if name == job.name)
        assert 3 <= ran <= elapsed + 2, (job.name, ran)
        assert rows[job.name].runs == ran
        assert rows[job.name].lease_holder is None  # given back at the end of each run

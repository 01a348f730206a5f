"""Claims race for real: threads, each with its own connection, claim the same slots at the
same moment; every slot goes to exactly one of them (PostgreSQL re-checks the UPDATE's WHERE
on the row a rival just committed; SQLite lets one writer in at a time)."""

from __future__ import annotations

import os
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from comarketing import create_app
from comarketing.core.jobs import ScheduledJob
from comarketing.core.jobs.leases import claim, ensure_rows, finish
from comarketing.core.jobs.models import JobOutcome
from comarketing.extensions import db
from tests.live import sibling_database_url

THREADS = 6
SLOTS = 15
START = datetime(2026, 12, 5, tzinfo=UTC)


def race_database_url(tmp_path: Path) -> str:
    if not os.environ.get("TEST_DATABASE_URL"):
        return f"sqlite:///{tmp_path / 'claims.sqlite3'}"
    return sibling_database_url("claims", fresh=True)


def test_each_slot_goes_to_exactly_one_of_many_racing_workers(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=race_database_url(tmp_path))
    with app.app_context():
        ScheduledJob.__table__.create(db.engine)
        ensure_rows(["race"])
        db.session.remove()
    barrier = threading.Barrier(THREADS)
    won: list[tuple[int, str]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        holder = f"host-{number}:1"
        try:
            with app.app_context():
                for slot in range(SLOTS):
                    moment = START + timedelta(seconds=60 * slot)
                    barrier.wait(timeout=30)
                    if claim("race", moment, 60, holder, moment + timedelta(seconds=1)):
                        with lock:
                            won.append((slot, holder))
                        finish("race", holder, JobOutcome.OK, "done")
                    barrier.wait(timeout=30)  # every claim of this slot is over
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Counter(slot for slot, _ in won) == dict.fromkeys(range(SLOTS), 1)
    with app.app_context():
        assert db.session.get_one(ScheduledJob, "race").runs == SLOTS
        db.session.remove()
        db.engine.dispose()

"""The Must-show, end to end: ``flask outbox deliver`` runs as a real process against a file
database and a Bitrix24 that answers 503 for a while; it is SIGKILLed mid-way and started
again; every lead reaches the portal exactly once."""

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import flask_migrate
import pytest

from comarketing import create_app
from comarketing.extensions import db
from comarketing.integrations.services import add_destination
from comarketing.leads.models import ConversionKind
from comarketing.leads.services import Submission, record_submission
from tests.clock import python_command
from tests.integrations.crm_fakes import Bitrix24Portal

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LEADS = 5
CREATED_BEFORE_THE_OUTAGE = 2


def prepare_database(url: str, instance: Path, webhook_url: str) -> list[int]:
    """Schema by the migrations, one Bitrix24 destination, ``LEADS`` leads (committed)."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={})
    app.instance_path = str(instance)
    with app.app_context():
        flask_migrate.upgrade()
        add_destination("bitrix24", webhook_url)
        ids = []
        for i in range(LEADS):
            submission = Submission(kind=ConversionKind.API, email=f"w{i}@example.com", name="Ян")
            ids.append(record_submission(submission).lead.id)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return ids


def statuses(db_file: Path) -> dict[str, int]:
    with sqlite3.connect(db_file, timeout=10) as connection:
        rows = connection.execute(
            "SELECT status, count(*) FROM outbox_messages WHERE channel = 'crm' GROUP BY status"
        ).fetchall()
    return dict(rows)


def wait_for(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        time.sleep(0.05)


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        python_command("flask", "--app", "wsgi", "outbox", "deliver", "--interval", "0.1"),
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
def portal():
    server = Bitrix24Portal(create_at_most=CREATED_BEFORE_THE_OUTAGE).start()
    yield server
    server.stop()


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(tmp_path, portal):
    db_file = tmp_path / "worker.sqlite3"
    url = f"sqlite:///{db_file}"
    lead_ids = prepare_database(url, tmp_path / "instance", portal.webhook_url)
    env = {
        **os.environ,
        "COMARKETING_ENV": "testing",
        "DATABASE_URL": url,
        "COMARKETING_INSTANCE_PATH": str(tmp_path / "instance"),
        "COMARKETING_OUTBOUND_ALLOW_PRIVATE": "true",
        "COMARKETING_OUTBOX_RETRY_DELAYS": str([0.3] * 40),  # seconds
        # The message being sent when the worker is killed waits out its lease, then goes again.
        "COMARKETING_OUTBOX_LEASE_SECONDS": "1",
    }
    env.pop("TEST_DATABASE_URL", None)

    # Run 1: two leads go through, then the portal answers 503 QUERY_LIMIT_EXCEEDED.
    worker = start_worker(env)
    try:
        wait_for(
            lambda: (
                statuses(db_file).get("delivered") == CREATED_BEFORE_THE_OUTAGE
                and sum(r.status == 503 for r in portal.received) >= LEADS
            )
        )
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=10)
    assert worker.returncode == -signal.SIGKILL
    refused = sum(r.status == 503 for r in portal.received)
    # Nothing lost: the two deliveries are recorded, every other lead still waits.
    assert statuses(db_file) == {
        "delivered": CREATED_BEFORE_THE_OUTAGE,
        "pending": LEADS - CREATED_BEFORE_THE_OUTAGE,
    }
    assert len(portal.created) == CREATED_BEFORE_THE_OUTAGE

    # Run 2: the portal has recovered; a fresh worker finishes the job.
    portal.create_at_most = None
    worker = start_worker(env)
    try:
        wait_for(lambda: statuses(db_file) == {"delivered": LEADS})
    finally:
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=10)
    assert b"Traceback" not in errors

    assert dict(portal.created_per_lead()) == {str(lead_id): 1 for lead_id in lead_ids}
    assert len(portal.received) == LEADS + refused  # every 503 was retried, nothing else
    with sqlite3.connect(db_file) as connection:
        external_ids = [
            row[0] for row in connection.execute("SELECT external_id FROM outbox_messages")
        ]
    assert sorted(map(int, external_ids)) == list(range(501, 501 + LEADS))

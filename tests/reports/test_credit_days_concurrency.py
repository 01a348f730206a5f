"""The rollup stays exact while writers commit during the reports' rebuilds (issue 23): on
PostgreSQL, writer threads (each its own session and transaction per write) add leads,
payments and refunds on days the rollup holds, while a reader thread keeps asking for the
report, which rebuilds the dirty days each time; afterwards every figure equals the rows'.
SQLite writes one transaction at a time, which ``test_credit_days`` covers."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import text

from comarketing.commissions.closing import close_month
from comarketing.commissions.plans import create_plan
from comarketing.extensions import db
from comarketing.reports.metrics import Scope
from comarketing.reports.roi import roi_report
from tests.factories import Factory
from tests.reports.random_credits import (
    PERIODS,
    TELEPHONY,
    World,
    add_lead,
    add_payment,
    assert_same,
    world,
)
from tests.reports.test_credit_days import BRACKETS

WRITERS = 3


@pytest.fixture
def committing_app(_app: Flask) -> Flask:
    """The suite's app without the per-test transaction: writes commit; emptied after."""
    return _app


def test_writes_during_rebuilds_leave_the_rollup_exact(committing_app, time_machine) -> None:
    _app = committing_app
    with _app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite writes one at a time: test_credit_days covers it")
    time_machine.move_to(datetime(2026, 12, 10, 12, tzinfo=UTC), tick=True)
    try:
        with _app.app_context():
            create_plan(product=TELEPHONY, basis="monthly_total", brackets=BRACKETS)
            shared = world(random.Random(7), Factory())
            for _ in range(10):
                add_lead(shared)
            db.session.commit()
            partner_ids = [p.id for p in shared.partners]
        done = threading.Event()
        failures: list[BaseException] = []
        reports = 0

        def write(n: int) -> None:
            try:
                with _app.app_context():
                    from comarketing.partners.models import Partner

                    partners = [db.session.get(Partner, i) for i in partner_ids]
                    mine = World(random.Random(100 + n), partners, shared.utms)  # type: ignore[arg-type]
                    for _ in range(12):
                        add_payment(mine, add_lead(mine))
                        add_payment(mine)
                    if n == 0:
                        close_month(2026, 9)
                        db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported by the main thread
                failures.append(error)

        def read() -> None:
            nonlocal reports
            try:
                while not done.is_set():
                    with _app.test_request_context():
                        roi_report(Scope("partner", "linear", PERIODS[0]))
                        db.session.remove()
                    reports += 1
            except BaseException as error:  # noqa: BLE001
                failures.append(error)

        writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        reader = threading.Thread(target=read)
        reader.start()
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        done.set()
        reader.join()
        assert not failures, failures
        assert reports > 3  # rebuilds ran while the writers wrote
        with _app.test_request_context():
            assert assert_same("postgresql") > 200
            assert assert_same("postgresql", {"segment": "amocrm"}) > 100
    finally:
        with _app.app_context():
            db.session.rollback()
            names = ", ".join(table.name for table in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            db.session.commit()
            db.session.remove()

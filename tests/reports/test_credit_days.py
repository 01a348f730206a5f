"""The credited figures read from ``credit_days`` equal the rows' (issue 23): random leads,
touches, statuses, payments, refunds and closed monthly lines, every group-by × model ×
period, before and after writes that land on days already rolled up."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import delete, func, select, text

from comarketing.commissions.closing import close_month
from comarketing.commissions.plans import create_plan
from comarketing.core.jobs.registry import job_registry
from comarketing.extensions import db
from comarketing.leads.models import Lead, LeadStatus
from comarketing.leads.services.status import apply_crm_state
from comarketing.reports.dimensions import PARTNER
from comarketing.reports.metrics import Scope
from comarketing.reports.models import CreditDay, DirtyDay
from comarketing.reports.periods import Period
from comarketing.reports.roi import roi_report
from tests.reports.random_credits import (
    PERIODS,
    TELEPHONY,
    add_lead,
    add_payment,
    assert_same,
    world,
)

BRACKETS = [{"from": "0", "rate": "0.10"}, {"from": "50000", "rate": "0.15"}]


def test_the_rollup_gives_the_rows_figures_after_every_write(app, make, dialect, time_machine):
    time_machine.move_to(datetime(2026, 12, 10, 12, tzinfo=UTC), tick=False)
    rng = random.Random(23)
    create_plan(product=TELEPHONY, basis="monthly_total", brackets=BRACKETS)
    w = world(rng, make)
    for _ in range(40):
        add_lead(w)
    for _ in range(30):
        add_payment(w)
    close_month(2026, 9)
    close_month(2026, 10)
    db.session.commit()
    with app.test_request_context():
        assert assert_same(dialect) > 200
        totals = roi_report(Scope("partner", "linear", PERIODS[0])).totals
        for figure in ("leads", "working", "won", "lost", "customers", "revenue", "commissions"):
            assert getattr(totals, figure), figure  # every figure is put to the test
        assert db.session.scalar(select(func.count(DirtyDay.id))) == 0
        assert db.session.scalar(select(func.count(CreditDay.id))) > 0

        # Writes on days already rolled up: new leads and payments on old days, refunds,
        # statuses moving, a month closed late (its shares land on September's payments).
        for _ in range(5):
            add_lead(w)
        for _ in range(10):
            add_payment(w)
        for lead_id in rng.sample(w.leads, 6):
            lead = db.session.get(Lead, lead_id)
            assert lead is not None
            status = rng.choice((LeadStatus.LOST, LeadStatus.CUSTOMER, LeadStatus.WORKING))
            apply_crm_state(lead, status, datetime(2026, 12, 1, tzinfo=UTC), reference="late")
        db.session.commit()
        close_month(2026, 11)
        db.session.commit()
        assert db.session.scalar(select(func.count(DirtyDay.id))) > 0
        assert_same(dialect)
        assert_same(dialect, {"partner_id": w.partners[0].id})
        assert_same(dialect, {"segment": "bitrix24"})


def test_the_report_reads_the_rollup(app, make, dialect, time_machine):
    """Not the rows: a rollup emptied behind the triggers' back shows no credited figure."""
    time_machine.move_to(datetime(2026, 12, 10, 12, tzinfo=UTC), tick=False)
    w = world(random.Random(5), make)
    lead_id = add_lead(w)
    add_payment(w, lead_id)
    scope = Scope(PARTNER.name, "linear", Period(PERIODS[0].start, PERIODS[0].end))
    with app.test_request_context():
        assert roi_report(scope).totals.leads == Decimal(1)
        db.session.execute(delete(CreditDay))
        db.session.commit()
        assert roi_report(scope).totals.leads == 0
        assert roi_report(scope, from_rows=True).totals.leads == Decimal(1)


def test_the_workers_job_rebuilds_the_dirty_days_before_any_report(app, make, time_machine):
    """``reports roll up`` (flask worker) leaves no dirty day, and the rollup then holds the
    rows' figures without a report rebuilding anything."""
    time_machine.move_to(datetime(2026, 12, 10, 12, tzinfo=UTC), tick=False)
    w = world(random.Random(7), make)
    add_payment(w, add_lead(w))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(DirtyDay)) > 0
    [job] = [job for job in job_registry(app).jobs if job.name == "reports roll up"]
    said = job.run()
    db.session.commit()
    assert said.endswith("day(s) of the report rollups rebuilt")
    assert not said.startswith("0 ")
    assert db.session.scalar(select(func.count()).select_from(DirtyDay)) == 0
    scope = Scope(PARTNER.name, "linear", Period(PERIODS[0].start, PERIODS[0].end))
    with app.test_request_context():
        assert roi_report(scope).totals.leads == Decimal(1)


# Every table whose rows a credited figure or registrations sum, with the writes that move a
# day. A table rebuilt by a later migration (SQLite's batch_alter_table copies a table) loses
# its triggers silently: the reports would go stale with no other test failing.
MARKED = {
    "attribution_credits": {"insert", "update", "delete"},
    "leads": {"update", "delete"},  # only a first payment that moves, or a lead that goes
    "payments": {"insert", "update", "delete"},
    "commissions": {"insert", "update", "delete"},
    "registrations": {"insert", "update", "delete"},
    "closed_payments": {"insert", "update", "delete"},
}


def test_every_table_the_rollups_read_marks_the_days_it_changes(app, dialect):
    if dialect == "sqlite":
        rows = db.session.execute(
            text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
    else:
        rows = db.session.execute(
            text(
                "SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t"
                " JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
        ).all()
    found: dict[str, set[str]] = {}
    for table, definition in rows:
        words = definition.upper().split(" BEGIN")[0].split(" EXECUTE ")[0]  # the header
        if "DIRTY" not in words:
            continue
        events = {event for event in ("INSERT", "UPDATE", "DELETE") if f" {event}" in words}
        found.setdefault(table, set()).update(event.lower() for event in events)
    assert found == MARKED

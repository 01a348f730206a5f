"""``flask crm sync`` catches up what webhooks missed (issue 18, contract §8): webhooks off
for an hour, five deals changed meanwhile — the sync brings all five, once each; a second
sync changes nothing; the worker runs it on its schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from comarketing.core.jobs import job_registry
from comarketing.core.jobs.leases import run_due
from comarketing.core.outbox import deliver_due
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.integrations.inbound.receive import set_app_token
from comarketing.integrations.models import CrmDestination, CrmEvent, EventState
from comarketing.integrations.services import add_destination
from comarketing.leads.models import ConversionKind, Lead, LeadStatus, LeadStatusChange
from comarketing.leads.services import Submission, record_submission
from tests.integrations.crm_backends import AmoCrmBackend, Bitrix24Crm

DEALS = 5


@pytest.fixture
def bitrix(app):
    portal = Bitrix24Crm().start()
    yield portal
    portal.stop()


def pushed_leads(count: int) -> list[int]:
    ids = []
    for number in range(count):
        submission = Submission(kind=ConversionKind.API, email=f"s{number}@client.example")
        ids.append(record_submission(submission).lead.id)
    db.session.commit()
    assert deliver_due().delivered == count
    return ids


def deal_changes(lead_ids: list[int]) -> dict[int, list[str]]:
    """Per lead, the deals its status changes came from, in order."""
    rows = db.session.execute(
        select(LeadStatusChange.lead_id, LeadStatusChange.reference)
        .where(
            LeadStatusChange.lead_id.in_(lead_ids),
            LeadStatusChange.reference.like("bitrix24:deal:%"),
        )
        .order_by(LeadStatusChange.id)
    )
    found: dict[int, list[str]] = {}
    for lead_id, reference in rows:
        found.setdefault(lead_id, []).append(reference)
    return found


def test_sync_brings_five_missed_deals_once_each(app, runner, bitrix):
    destination = add_destination("bitrix24", bitrix.webhook_url)
    set_app_token(destination, bitrix.app_token)
    db.session.commit()
    lead_ids = pushed_leads(DEALS)
    crm_ids = sorted(bitrix.objects["lead"], key=int)
    first = runner.invoke(args=["crm", "sync"])  # the pushed leads, in work at Bitrix24
    assert first.exit_code == 0, first.output
    # Webhooks are off for an hour; five deals are closed meanwhile: three won, two lost
    # (their times are after the pushes, so after the leads' own states).
    moment = utcnow() + timedelta(seconds=5)
    outcomes = ["S", "S", "S", "F", "F"]
    for number, (crm_lead_id, semantic) in enumerate(zip(crm_ids, outcomes, strict=True)):
        bitrix.set_deal(
            100 + number,
            semantic=semantic,
            lead_id=crm_lead_id,
            modified=moment + timedelta(minutes=number),
            opportunity=f"{number + 1}0000",
        )
    bitrix.reads.clear()
    result = runner.invoke(args=["crm", "sync"])
    assert result.exit_code == 0, result.output
    assert "5 changed" in result.output
    db.session.expire_all()
    statuses = [db.session.get_one(Lead, lead_id).status for lead_id in lead_ids]
    assert statuses == [LeadStatus.CUSTOMER] * 3 + [LeadStatus.LOST] * 2
    assert deal_changes(lead_ids) == {
        lead_id: [f"bitrix24:deal:{100 + number}"] for number, lead_id in enumerate(lead_ids)
    }
    assert "crm.deal.list" in bitrix.reads
    assert "crm.lead.list" in bitrix.reads
    again = runner.invoke(args=["crm", "sync"])
    assert again.exit_code == 0, again.output
    assert "0 changed" in again.output
    assert deal_changes(lead_ids) == {
        lead_id: [f"bitrix24:deal:{100 + number}"] for number, lead_id in enumerate(lead_ids)
    }
    db.session.expire_all()
    assert db.session.get_one(CrmDestination, destination.id).synced_at is not None


def test_sync_reads_many_pages_at_the_portals_pace(app, runner, bitrix):
    """120 changed deals are three pages of ``crm.deal.list``; calls to the portal keep to
    2 per second (measured at the fake's socket)."""
    destination = add_destination("bitrix24", bitrix.webhook_url)
    db.session.commit()
    start = utcnow() - timedelta(hours=1)
    for number in range(120):
        bitrix.set_deal(1000 + number, semantic="P", modified=start + timedelta(seconds=number))
    result = runner.invoke(
        args=["crm", "sync", "--since", (start - timedelta(minutes=1)).isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "120 read" in result.output
    assert "120 unmatched" in result.output
    lists = [r for r in bitrix.received if r.path.endswith("crm.deal.list.json")]
    assert [r.json()["start"] for r in lists] == [0, 50, 100]
    gaps = [b.at - a.at for a, b in zip(bitrix.received, bitrix.received[1:], strict=False)]
    assert min(gaps) >= 0.45
    unmatched = db.session.scalar(
        select(func.count()).select_from(CrmEvent).where(CrmEvent.state == EventState.UNMATCHED)
    )
    assert unmatched == 120
    again = runner.invoke(args=["crm", "sync", "--destination", str(destination.id)])
    assert again.exit_code == 0, again.output
    assert db.session.scalar(select(func.count()).select_from(CrmEvent)) == 120


def test_amocrm_sync_reads_changed_leads(app, runner):
    account = AmoCrmBackend().start()
    try:
        add_destination("amocrm", account.base_url, secret=account.token)
        db.session.commit()
        (lead_id,) = pushed_leads(1)
        (amo_id,) = (int(key) for key in account.leads)
        account.set_lead(amo_id, status_id=143, updated=utcnow() + timedelta(seconds=5))
        result = runner.invoke(args=["crm", "sync"])
    finally:
        account.stop()
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get_one(Lead, lead_id).status is LeadStatus.LOST


def test_a_crm_that_fails_during_sync_says_so_and_exits_non_zero(app, runner, bitrix):
    add_destination("bitrix24", bitrix.webhook_url)
    db.session.commit()
    bitrix.read_down = True
    result = runner.invoke(args=["crm", "sync"])
    assert result.exit_code != 0
    assert "could not be read" in result.output


def test_the_worker_runs_the_sync_on_its_schedule(app, bitrix):
    add_destination("bitrix24", bitrix.webhook_url)
    db.session.commit()
    app.config["CRM_SYNC_INTERVAL"] = 1800
    jobs = [job for job in job_registry(app).jobs if job.name == "crm sync"]
    assert len(jobs) == 1
    start = datetime(2026, 12, 5, 0, 0, tzinfo=UTC)  # a slot starts every 1800 s from 00:00
    assert run_due(jobs, now=start) == [
        "crm sync [2026-12-05T00:00:00Z]: 0 read, 0 changed, 0 unmatched in 1 CRM(s)"
    ]
    calls = len(bitrix.received)
    assert run_due(jobs, now=start + timedelta(seconds=1799)) == []
    assert len(bitrix.received) == calls
    assert len(run_due(jobs, now=start + timedelta(seconds=1800))) == 1
    assert len(bitrix.received) > calls

"""The staff MDF pages (issue 8): budgets with their ledger, the queue, the lead-return watch
list; a manager decides and reimburses through the page (refusals on the form, 422 or 409,
nothing written); a marketer reads but cannot decide; a partner user is sent to its portal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from comarketing.campaigns.models import Campaign
from comarketing.core.auth import Role
from comarketing.core.outbox import OutboxChannel, OutboxMessage, OutboxStatus
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.integrations.models import CrmDestination, DestinationKind
from comarketing.leads.models import Lead
from comarketing.mdf.models import MdfBudget, MdfClaim, MdfRequest, MdfStatus
from comarketing.mdf.services import funded_link
from comarketing.partners.models import Partner
from comarketing.spend.models import Spend
from tests.factories import login
from tests.mdf.conftest import TODAY, Mdf, approve, click_and_convert, counts, submit


def submitted(client, mdf: Mdf, **changes: Any) -> int:
    response = submit(client, mdf.as_a, **changes)
    assert response.status_code == 201, response.text
    return int(response.json["id"])


def approved(client, mdf: Mdf, **changes: Any) -> tuple[int, str]:
    """An approved request of partner A and the code of its funded link."""
    request_id = submitted(client, mdf, **changes)
    response = approve(client, mdf, request_id, amount="40000.00")
    assert response.status_code == 200, response.text
    return request_id, response.json["link"]["code"]


def claimed(client, mdf: Mdf, *, clicks: int, leads: int) -> tuple[int, int]:
    """A claimed request (``clicks`` on its link, ``leads`` of them came back) and its claim."""
    request_id, code = approved(client, mdf)
    click_and_convert(client, mdf, code, clicks=clicks, leads=leads)
    response = client.post(
        f"/api/v1/mdf/requests/{request_id}/claim",
        json={"actual_cost": "60000.00", "comment": "Отчёт"},
        headers=mdf.as_a,
    )
    assert response.status_code == 201, response.text
    return request_id, int(response.json["id"])


@pytest.fixture
def manager(client, mdf: Mdf) -> Mdf:
    login(client, mdf.manager)
    return mdf


def test_pages_render_for_manager_and_marketer(app, client, make, mdf):
    request_id, claim_id = claimed(client, mdf, clicks=2, leads=1)
    waiting = submitted(client, mdf, activity="Вебинар для клиентов amoCRM")
    pages = (
        "/mdf",
        f"/mdf?status=submitted&partner={mdf.a.id}",
        "/mdf?status=bogus&partner=x&page=99",
        f"/mdf/requests/{request_id}",
        f"/mdf/requests/{waiting}",
    )
    login(client, mdf.manager)
    for page in (*pages, "/mdf/budgets/new"):
        response = client.get(page)
        assert response.status_code == 200, page
    detail = client.get(f"/mdf/requests/{request_id}").text
    assert f'action="/mdf/claims/{claim_id}/reimburse"' in detail
    assert 'data-testid="mdf-returned-lead"' in detail
    assert 'data-testid="mdf-decision-form"' in client.get(f"/mdf/requests/{waiting}").text
    marketer = app.test_client()
    login(marketer, make.user(Role.MARKETER))
    for page in pages:
        response = marketer.get(page)
        assert response.status_code == 200, page
    assert 'data-testid="mdf-decision-form"' not in marketer.get(f"/mdf/requests/{waiting}").text


def test_queue_lists_submitted_first_and_filters(client, manager):
    first, _code = approved(client, manager)
    second = submitted(client, manager, activity="Вебинар для клиентов amoCRM")
    page = client.get("/mdf").text
    assert page.index(f"/mdf/requests/{second}") < page.index(f"/mdf/requests/{first}")
    only_submitted = client.get("/mdf?status=submitted").text
    assert f"/mdf/requests/{first}" not in only_submitted
    other_partner = client.get(f"/mdf?partner={manager.b.id}").text
    assert f"/mdf/requests/{second}" not in other_partner


def test_approve_through_the_page_creates_the_campaign_and_link(client, manager):
    request_id = submitted(client, manager)
    response = client.post(
        f"/mdf/requests/{request_id}/decision",
        data={"decision": "approve", "approved_amount": "75000.00", "comment": "Хороший план"},
    )
    assert response.status_code == 302
    request = db.session.get(MdfRequest, request_id)
    assert request.status is MdfStatus.APPROVED
    assert request.approved_amount == 75000
    assert db.session.get(Campaign, request.campaign_id) is not None
    link = funded_link(request)
    assert link.partner_id == manager.a.id
    page = client.get(f"/mdf/requests/{request_id}").text
    assert f'data-copy-text="http://go.test/r/{link.code}"' in page


@pytest.mark.parametrize("decision", ["reject", "return"])
def test_reject_and_return_need_a_comment(client, manager, decision):
    request_id = submitted(client, manager)
    before = counts()
    response = client.post(
        f"/mdf/requests/{request_id}/decision", data={"decision": decision, "comment": "  "}
    )
    assert response.status_code == 422
    assert counts() == before
    assert db.session.get(MdfRequest, request_id).status is MdfStatus.SUBMITTED
    assert 'data-testid="mdf-decision-form"' in response.text


def test_bad_amount_and_second_decision_are_refused(client, manager):
    request_id = submitted(client, manager)
    url = f"/mdf/requests/{request_id}/decision"
    before = counts()
    too_much = client.post(url, data={"decision": "approve", "approved_amount": "100000.01"})
    assert too_much.status_code == 422
    not_a_number = client.post(url, data={"decision": "approve", "approved_amount": "много"})
    assert not_a_number.status_code == 422
    assert counts() == before
    assert client.post(url, data={"decision": "reject", "comment": "Нет"}).status_code == 302
    again = client.post(url, data={"decision": "approve"})
    assert again.status_code == 409
    assert db.session.get(MdfRequest, request_id).status is MdfStatus.REJECTED


def test_unknown_ids_are_404(client, manager):
    assert client.get("/mdf/requests/999999").status_code == 404
    assert client.post("/mdf/requests/999999/decision", data={}).status_code == 404
    assert client.post("/mdf/claims/999999/reimburse", data={}).status_code == 404


def test_reimburse_refused_without_leads_then_paid_with_an_override(client, manager):
    request_id, claim_id = claimed(client, manager, clicks=3, leads=0)
    url = f"/mdf/claims/{claim_id}/reimburse"
    before = counts()
    refused = client.post(url, data={"override": ""})
    assert refused.status_code == 409
    assert 'data-code="lead_return_not_met"' in refused.text
    assert counts() == before
    assert db.session.get(MdfClaim, claim_id).spend_id is None
    paid = client.post(url, data={"override": "Лиды пришли по телефону, выгрузка в тикете"})
    assert paid.status_code == 302
    claim = db.session.get(MdfClaim, claim_id)
    assert claim.override_reason == "Лиды пришли по телефону, выгрузка в тикете"
    assert claim.reimbursed_by_id == manager.manager.id
    spend = db.session.get(Spend, claim.spend_id)
    assert (spend.partner_id, spend.amount) == (manager.a.id, 30000)
    assert db.session.get(MdfRequest, request_id).status is MdfStatus.REIMBURSED
    page = client.get(f"/mdf/requests/{request_id}").text
    assert 'data-testid="mdf-override-reason"' in page


def test_reimburse_with_enough_leads_needs_no_override(client, manager):
    _request_id, claim_id = claimed(client, manager, clicks=2, leads=2)
    assert client.post(f"/mdf/claims/{claim_id}/reimburse", data={}).status_code == 302
    assert db.session.get(MdfClaim, claim_id).override_reason is None
    again = client.post(f"/mdf/claims/{claim_id}/reimburse", data={})
    assert again.status_code == 409


def budget_count() -> int:
    return db.session.scalar(select(func.count()).select_from(MdfBudget)) or 0


@pytest.mark.parametrize(
    "changes",
    [
        {"period_end": str(TODAY - timedelta(days=1))},
        {"amount": "0"},
        {"amount": "12.345"},
        {"amount": ""},
        {"tier": "gold", "partner_id": "A"},
        {"period_start": "31.12.2026"},
    ],
)
def test_budget_creation_refusals(client, manager, changes):
    data = {"name": "Q", "period_start": str(TODAY), "period_end": str(TODAY), "amount": "1000"}
    data |= changes
    if data.get("partner_id") == "A":
        data["partner_id"] = str(manager.a.id)
    before = budget_count()
    response = client.post("/mdf/budgets/new", data=data)
    assert response.status_code == 422
    assert budget_count() == before


def test_budget_creation(client, manager):
    response = client.post(
        "/mdf/budgets/new",
        data={"name": "MDF Альфы", "period_start": str(TODAY), "partner_id": manager.a.id,
              "period_end": str(TODAY + timedelta(days=30)), "amount": "50000.00", "tier": ""},
    )  # fmt: skip
    assert response.status_code == 302
    budget = db.session.scalar(select(MdfBudget).where(MdfBudget.name == "MDF Альфы"))
    assert (budget.partner_id, budget.amount, budget.tier) == (manager.a.id, 50000, None)
    assert "MDF Альфы" in client.get("/mdf").text


def test_watch_list_shows_clicks_without_leads_not_activities_with_enough(client, manager):
    quiet, quiet_code = approved(client, manager, activity="Тихая активность")
    busy, busy_code = approved(client, manager, activity="Живая активность")
    unclicked, _code = approved(client, manager, activity="Ещё не начата")
    click_and_convert(client, manager, quiet_code, clicks=2, leads=0)
    click_and_convert(client, manager, busy_code, clicks=3, leads=2)  # 2 of 4 planned: enough
    page = client.get("/mdf").text
    assert f'data-testid="mdf-watch-activity" data-request-id="{quiet}"' in page
    assert f'data-request-id="{busy}"' not in page
    assert f'data-request-id="{unclicked}"' not in page


def crm_message(lead: Lead, status: OutboxStatus, *, age: timedelta = timedelta(0)) -> None:
    db.session.add(
        OutboxMessage(
            channel=OutboxChannel.CRM,
            topic="lead.created",
            lead_id=lead.id,
            payload={},
            status=status,
            created_at=utcnow() - age,
        )
    )


def owned_lead(partner: Partner, email: str) -> Lead:
    lead = Lead(email=email, owner_partner_id=partner.id)
    db.session.add(lead)
    db.session.flush()
    return lead


def test_watch_list_shows_partners_whose_leads_do_not_reach_the_crm(client, make, manager):
    quiet, fine, late = manager.a, manager.b, make.partner("Гамма")
    crm_message(owned_lead(quiet, "dead@example.com"), OutboxStatus.DEAD)
    delivered_in_the_end = owned_lead(fine, "retried@example.com")
    crm_message(delivered_in_the_end, OutboxStatus.DEAD)
    crm_message(delivered_in_the_end, OutboxStatus.DELIVERED)
    crm_message(owned_lead(fine, "fresh@example.com"), OutboxStatus.PENDING)
    crm_message(owned_lead(late, "late@example.com"), OutboxStatus.PENDING, age=timedelta(days=2))
    db.session.commit()
    assert 'data-testid="mdf-watch-partner"' not in client.get("/mdf").text  # no CRM yet
    db.session.add(CrmDestination(kind=DestinationKind.WEBHOOK, url="https://crm.example/hook"))
    db.session.commit()
    page = client.get("/mdf").text
    assert f'data-testid="mdf-watch-partner" data-partner-id="{quiet.id}"' in page
    assert f'data-testid="mdf-watch-partner" data-partner-id="{late.id}"' in page
    assert f'data-partner-id="{fine.id}"' not in page


def test_marketer_reads_but_cannot_decide(client, make, mdf):
    request_id, claim_id = claimed(client, mdf, clicks=1, leads=0)
    waiting = submitted(client, mdf)
    login(client, make.user(Role.MARKETER))
    before = counts()
    decision = client.post(f"/mdf/requests/{waiting}/decision", data={"decision": "approve"})
    assert decision.status_code == 403
    reimbursed = client.post(f"/mdf/claims/{claim_id}/reimburse", data={"override": "Да"})
    assert reimbursed.status_code == 403
    assert client.get("/mdf/budgets/new").status_code == 403
    assert client.post("/mdf/budgets/new", data={"amount": "1"}).status_code == 403
    assert counts() == before
    assert client.get(f"/mdf/requests/{request_id}").status_code == 200


def test_partner_user_is_sent_to_the_portal(client, make, mdf):
    request_id = submitted(client, mdf)
    login(client, make.user(Role.PARTNER, partner=mdf.a))
    before = counts()
    for response in (
        client.get("/mdf"),
        client.get(f"/mdf/requests/{request_id}"),
        client.post(f"/mdf/requests/{request_id}/decision", data={"decision": "approve"}),
        client.get("/mdf/budgets/new"),
    ):
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/portal")
    assert counts() == before

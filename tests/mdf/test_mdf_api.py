"""The MDF cycle through the API (issue 8, contract §3): budget → request → approval (a
campaign of the partner alone, its tracked link) → clicks and leads on the link → claim with
measured proof → reimbursement → the vendor spend in the ROI report; and every refusal
writes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from comarketing.campaigns.models import CampaignPartner
from comarketing.extensions import db
from tests.mdf.conftest import TODAY, approve, click_and_convert, counts, request_body, submit


def budget_of(client, mdf) -> dict:
    response = client.get("/api/v1/mdf/budgets", headers=mdf.as_manager)
    assert response.status_code == 200
    return response.json["items"][0]


def test_the_whole_cycle(client, mdf):
    submitted = submit(client, mdf.as_a)
    assert submitted.status_code == 201, submitted.text
    assert submitted.json["status"] == "submitted"
    assert submitted.json["partner_id"] == mdf.a.id
    request_id = submitted.json["id"]

    approved = approve(client, mdf, request_id)
    assert approved.status_code == 200, approved.text
    body = approved.json
    assert body["status"] == "approved"
    assert body["approved_amount"] == "80000.00"
    assert [d["decision"] for d in body["decisions"]] == ["approve"]
    campaign_id = body["campaign_id"]
    shares = db.session.execute(
        select(CampaignPartner.partner_id, CampaignPartner.cost_share).where(
            CampaignPartner.campaign_id == campaign_id
        )
    ).all()
    assert [(p, str(s)) for p, s in shares] == [(mdf.a.id, "1.000000")]
    link = body["link"]
    assert link["partner_id"] == mdf.a.id
    assert link["campaign_id"] == campaign_id
    assert link["destination_url"] == "https://vendor.example/lp/alfa?src=mdf#form"
    assert f"utm_id={campaign_id}" in link["tagged_url"]
    ledger = budget_of(client, mdf)
    assert (ledger["reserved"], ledger["remaining"]) == ("80000.00", "220000.00")

    click_and_convert(client, mdf, link["code"], clicks=3, leads=2)
    claimed = client.post(
        f"/api/v1/mdf/requests/{request_id}/claim",
        json={"actual_cost": "150000.00", "comment": "Отчёт из кабинета VK"},
        headers=mdf.as_a,
    )
    assert claimed.status_code == 201, claimed.text
    claim = claimed.json
    assert (claim["clicks"], claim["leads"], claim["cpl"]) == (3, 2, "75000.00")
    assert (claim["required_leads"], claim["reimbursable_amount"]) == (2, "75000.00")

    paid = client.post(
        f"/api/v1/mdf/claims/{claim['id']}/reimburse", json={}, headers=mdf.as_manager
    )
    assert paid.status_code == 201, paid.text
    spend = paid.json
    assert (spend["amount"], spend["paid_by"], spend["source"]) == ("75000.00", "vendor", "mdf")
    assert (spend["campaign_id"], spend["partner_id"]) == (campaign_id, mdf.a.id)
    assert spend["claim"]["reimbursed_by_id"] == mdf.manager.id
    assert spend["claim"]["override_reason"] is None
    detail = client.get(f"/api/v1/mdf/requests/{request_id}", headers=mdf.as_a)
    assert detail.json["status"] == "reimbursed"
    ledger = budget_of(client, mdf)
    assert (ledger["reserved"], ledger["paid"], ledger["remaining"]) == (
        "0.00", "75000.00", "225000.00",
    )  # fmt: skip

    period = {"from": str(TODAY - timedelta(days=1)), "to": str(TODAY + timedelta(days=1))}
    by_campaign = client.get(
        "/api/v1/reports/roi",
        query_string={"group_by": "campaign", **period},
        headers=mdf.as_manager,
    ).json["rows"]
    row = next(row for row in by_campaign if row["key"] == campaign_id)
    assert row["spend_vendor"] == "75000.00"
    by_partner = client.get(
        "/api/v1/reports/roi", query_string={"group_by": "partner", **period}, headers=mdf.as_a
    ).json["rows"]
    assert [(r["key"], r["spend_vendor"]) for r in by_partner] == [(mdf.a.id, "75000.00")]

    before = counts()
    again = client.post(
        f"/api/v1/mdf/claims/{claim['id']}/reimburse", json={}, headers=mdf.as_manager
    )
    assert again.status_code == 409
    assert counts() == before


def test_a_request_above_the_cap_is_refused(client, mdf):
    before = counts()
    response = submit(client, mdf.as_a, requested_amount="100000.01")
    assert response.status_code == 422
    assert "requested_amount" in response.json["error"]["fields"]
    assert counts() == before


def test_a_request_above_the_remaining_budget_is_refused(client, mdf):
    big = {"planned_cost": "1000000.00", "requested_amount": "300000.01"}
    before = counts()
    response = submit(client, mdf.as_a, **big)
    assert response.status_code == 422
    assert "requested_amount" in response.json["error"]["fields"]
    assert counts() == before


def test_other_bad_requests_name_every_field(client, mdf):
    before = counts()
    response = submit(
        client, mdf.as_a, ends_on=str(TODAY - timedelta(days=1)),
        landing_url="javascript:alert(1)", planned_leads=0, channel="tv",
    )  # fmt: skip
    assert response.status_code == 422
    assert {"planned_leads", "channel"} <= set(response.json["error"]["fields"])
    dates = submit(client, mdf.as_a, ends_on=str(TODAY - timedelta(days=1)),
                   landing_url="ftp://vendor.example/x")  # fmt: skip
    assert dates.status_code == 422
    assert {"ends_on", "landing_url"} <= set(dates.json["error"]["fields"])
    assert counts() == before


def test_approval_above_the_remaining_budget_is_refused(client, mdf):
    first = submit(client, mdf.as_a, planned_cost="500000.00", requested_amount="250000.00")
    second = submit(client, mdf.as_a)
    assert approve(client, mdf, first.json["id"], "250000.00").status_code == 200
    before = counts()
    response = approve(client, mdf, second.json["id"], "50000.01")
    assert response.status_code == 422
    assert "approved_amount" in response.json["error"]["fields"]
    assert counts() == before


def test_claims_only_on_approved_requests_and_only_once(client, mdf):
    request_id = submit(client, mdf.as_a).json["id"]
    url = f"/api/v1/mdf/requests/{request_id}/claim"
    before = counts()
    early = client.post(url, json={"actual_cost": "1000.00"}, headers=mdf.as_a)
    assert early.status_code == 409
    assert counts() == before
    assert approve(client, mdf, request_id).status_code == 200
    assert client.post(url, json={"actual_cost": "1000.00"}, headers=mdf.as_a).status_code == 201
    before = counts()
    second = client.post(url, json={"actual_cost": "2000.00"}, headers=mdf.as_a)
    assert second.status_code == 409
    assert counts() == before


def test_another_partner_gets_404_everywhere(client, mdf):
    request_id = submit(client, mdf.as_a).json["id"]
    assert approve(client, mdf, request_id).status_code == 200
    claim_id = client.post(
        f"/api/v1/mdf/requests/{request_id}/claim", json={"actual_cost": "1000.00"},
        headers=mdf.as_a,
    ).json["id"]  # fmt: skip
    other = submit(client, mdf.as_a).json["id"]
    before = counts()
    for method, url, body in (
        ("GET", f"/api/v1/mdf/requests/{request_id}", None),
        ("POST", f"/api/v1/mdf/requests/{other}/claim", {"actual_cost": "1.00"}),
        ("POST", f"/api/v1/mdf/requests/{other}/decision", {"decision": "approve"}),
        ("POST", f"/api/v1/mdf/claims/{claim_id}/reimburse", {"override": "x"}),
    ):
        response = client.open(url, method=method, json=body, headers=mdf.as_b)
        assert response.status_code == 404, url
    listed = client.get("/api/v1/mdf/requests", headers=mdf.as_b)
    assert listed.json["items"] == []
    foreign = submit(client, mdf.as_b, partner_id=mdf.a.id)
    assert foreign.status_code == 404
    assert counts() == before


def test_only_managers_decide_and_reimburse(client, mdf):
    request_id = submit(client, mdf.as_a).json["id"]
    before = counts()
    for headers in (mdf.as_marketer, mdf.as_a):
        response = client.post(
            f"/api/v1/mdf/requests/{request_id}/decision",
            json={"decision": "approve"},
            headers=headers,
        )
        assert response.status_code == 403
    budget = client.post(
        "/api/v1/mdf/budgets",
        json={"name": "x", "period_start": str(TODAY), "period_end": str(TODAY),
              "amount": "1.00"},
        headers=mdf.as_a,
    )  # fmt: skip
    assert budget.status_code == 403
    assert counts() == before


def test_reject_and_return_need_a_comment_and_keep_the_history(client, mdf):
    request_id = submit(client, mdf.as_a).json["id"]
    url = f"/api/v1/mdf/requests/{request_id}/decision"
    bare = client.post(url, json={"decision": "return"}, headers=mdf.as_manager)
    assert bare.status_code == 422
    returned = client.post(
        url, json={"decision": "return", "comment": "Уточните аудиторию"}, headers=mdf.as_manager
    )
    assert returned.json["status"] == "returned"
    assert [d["comment"] for d in returned.json["decisions"]] == ["Уточните аудиторию"]
    assert returned.json["campaign_id"] is None
    late = client.post(url, json={"decision": "approve"}, headers=mdf.as_manager)
    assert late.status_code == 409


def test_too_few_returned_leads_refuse_reimbursement_unless_overridden(client, mdf):
    request_id = submit(client, mdf.as_a, planned_leads=5).json["id"]
    code = approve(client, mdf, request_id).json["link"]["code"]
    click_and_convert(client, mdf, code, clicks=4, leads=2)  # 3 of 5 needed (ceil 2.5)
    claim = client.post(
        f"/api/v1/mdf/requests/{request_id}/claim", json={"actual_cost": "40000.00"},
        headers=mdf.as_a,
    ).json  # fmt: skip
    assert (claim["leads"], claim["required_leads"]) == (2, 3)
    url = f"/api/v1/mdf/claims/{claim['id']}/reimburse"
    before = counts()
    refused = client.post(url, json={}, headers=mdf.as_manager)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "lead_return_not_met"
    assert counts() == before
    blank = client.post(url, json={"override": "   "}, headers=mdf.as_manager)
    assert blank.status_code == 409
    paid = client.post(url, json={"override": "Лиды пришли по телефону"}, headers=mdf.as_manager)
    assert paid.status_code == 201, paid.text
    assert paid.json["amount"] == "20000.00"  # min(80000, 40000 × 0.5)
    assert paid.json["claim"]["override_reason"] == "Лиды пришли по телефону"
    assert paid.json["claim"]["reimbursed_by_id"] == mdf.manager.id


def test_a_returned_request_is_changed_and_sent_again(client, mdf):
    request_id = submit(client, mdf.as_a).json["id"]
    decision = f"/api/v1/mdf/requests/{request_id}/decision"
    client.post(
        decision, json={"decision": "return", "comment": "Меньше бюджет"}, headers=mdf.as_manager
    )
    url = f"/api/v1/mdf/requests/{request_id}"
    changed = client.put(
        url,
        json=request_body(planned_cost="120000.00", requested_amount="60000.00", planned_leads=3),
        headers=mdf.as_a,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json["status"] == "submitted"
    assert (changed.json["requested_amount"], changed.json["planned_leads"]) == ("60000.00", 3)
    assert [d["decision"] for d in changed.json["decisions"]] == ["return"]  # history kept
    approved = approve(client, mdf, request_id, amount="60000.00")
    assert approved.status_code == 200, approved.text
    assert approved.json["status"] == "approved"


def test_only_a_returned_request_can_be_sent_again_and_refusals_write_nothing(client, mdf):
    request_id = submit(client, mdf.as_a).json["id"]
    url = f"/api/v1/mdf/requests/{request_id}"
    before = counts()
    waiting = client.put(url, json=request_body(activity="Другое"), headers=mdf.as_a)
    assert waiting.status_code == 409
    assert waiting.json["error"]["code"] == "conflict"
    client.post(
        f"{url}/decision", json={"decision": "return", "comment": "Нет"}, headers=mdf.as_manager
    )
    over_cap = client.put(url, json=request_body(requested_amount="150000.00"), headers=mdf.as_a)
    assert over_cap.status_code == 422
    assert "requested_amount" in over_cap.json["error"]["fields"]
    other = client.put(url, json=request_body(activity="Чужое"), headers=mdf.as_b)
    assert other.status_code == 404
    manager = client.put(url, json=request_body(), headers=mdf.as_manager)
    assert manager.status_code == 403
    found = client.get(url, headers=mdf.as_a).json
    assert (found["status"], found["activity"]) == ("returned", request_body()["activity"])
    assert counts() == {**before, "mdf_decisions": before["mdf_decisions"] + 1}

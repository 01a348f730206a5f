"""The whole MDF cycle through the pages, as its people do it: the partner requests in its
portal, a manager approves on /mdf, visitors click the funded link and leads come back, the
partner claims with the measured proof, the manager reimburses, and the spend shows in the
ROI report for that partner and campaign."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.mdf.models import MdfClaim, MdfRequest, MdfStatus
from comarketing.spend.models import Spend
from tests.factories import login
from tests.mdf.conftest import CHROME, request_body


def test_request_approve_click_lead_claim_reimburse_report(client, make, mdf):
    partner_user = make.user(Role.PARTNER, partner=mdf.a)

    # 1. The partner requests funds in the portal.
    login(client, partner_user)
    filed = client.post("/portal/mdf", data=request_body(planned_leads="2"))
    assert filed.status_code == 302, filed.text
    request = db.session.scalars(select(MdfRequest)).one()
    assert request.status == MdfStatus.SUBMITTED
    client.post("/logout", data={})

    # 2. A manager approves 80 000 ₽ on the request's page: campaign and link exist.
    login(client, mdf.manager)
    decided = client.post(
        f"/mdf/requests/{request.id}/decision",
        data={"decision": "approve", "approved_amount": "80000.00", "comment": "Согласовано"},
    )
    assert decided.status_code == 302, decided.text
    db.session.refresh(request)
    assert request.status == MdfStatus.APPROVED
    assert request.campaign_id is not None
    client.post("/logout", data={})

    # 3. Visitors click the funded link shown in the portal; two leads come back.
    login(client, partner_user)
    page = client.get(f"/portal/mdf/{request.id}").text
    code = page.split("/r/", 1)[1].split("<", 1)[0].split('"', 1)[0]
    cmclids = []
    for _ in range(3):
        answer = client.get(f"/r/{code}", headers={"User-Agent": CHROME})
        assert answer.status_code == 302
        cmclids.append(parse_qs(urlsplit(answer.headers["Location"]).query)["cmclid"][0])
    for number, cmclid in enumerate(cmclids[:2]):
        lead = client.post(
            "/api/v1/leads",
            json={"email": f"mdf-client-{number}@client.example", "cmclid": cmclid},
            headers=mdf.as_marketer,  # the vendor's site reports its leads
        )
        assert lead.status_code == 201, lead.text

    # 4. The partner claims; the claim carries the proof measured on the link.
    claimed = client.post(
        f"/portal/mdf/{request.id}/claim",
        data={"actual_cost": "150000.00", "comment": "Кампания прошла"},
    )
    assert claimed.status_code == 302, claimed.text
    claim = db.session.scalars(select(MdfClaim)).one()
    assert (claim.clicks, claim.leads, claim.cpl) == (3, 2, Decimal("75000.00"))
    client.post("/logout", data={})

    # 5. The manager reimburses: min(80 000, 150 000 × 0.50) = 75 000 ₽ of vendor spend.
    login(client, mdf.manager)
    paid = client.post(f"/mdf/claims/{claim.id}/reimburse", data={"override": ""})
    assert paid.status_code == 302, paid.text
    spend = db.session.scalars(select(Spend).where(Spend.campaign_id == request.campaign_id)).one()
    assert (spend.amount, spend.partner_id, spend.paid_by) == (
        Decimal("75000.00"),
        mdf.a.id,
        "vendor",
    )

    # 6. The ROI report shows it for that campaign and partner.
    report = client.get(
        f"/api/v1/reports/roi?group_by=campaign&model=linear&from={spend.spent_on}&to={spend.spent_on}",
        headers=mdf.as_manager,
    ).json
    row = next(row for row in report["rows"] if row["key"] == request.campaign_id)
    assert row["spend_vendor"] == "75000.00"
    by_partner = client.get(
        f"/api/v1/reports/roi?group_by=partner&model=linear&from={spend.spent_on}&to={spend.spent_on}",
        headers=mdf.as_manager,
    ).json
    assert next(r for r in by_partner["rows"] if r["key"] == mdf.a.id)["spend_vendor"] == "75000.00"

"""An MDF world: a budget for everyone, partners A and B, tokens of each role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from comarketing.campaigns.models import Campaign
from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.links.models import Click, TrackedLink
from comarketing.mdf.models import MdfBudget, MdfClaim, MdfDecision, MdfRequest
from comarketing.partners.models import Partner
from comarketing.spend.models import Spend
from comarketing.users.models import User
from tests.factories import bearer
from tests.links.test_bots import BROWSERS

CHROME = BROWSERS["Chrome, Windows"]
TODAY = utcnow().date()
WRITTEN = (MdfBudget, MdfRequest, MdfDecision, MdfClaim, Campaign, TrackedLink, Spend)


@dataclass
class Mdf:
    a: Partner
    b: Partner
    manager: User
    as_manager: dict[str, str]
    as_marketer: dict[str, str]
    as_a: dict[str, str]
    as_b: dict[str, str]


@pytest.fixture
def mdf(client, make) -> Mdf:
    a = make.partner("Альфа Интеграции", tier="gold")
    b = make.partner("Бета Софт")
    manager = make.user(Role.MANAGER)
    world = Mdf(
        a=a,
        b=b,
        manager=manager,
        as_manager=bearer(make.token(manager)),
        as_marketer=bearer(make.token(make.user(Role.MARKETER))),
        as_a=bearer(make.token(make.user(Role.PARTNER, partner=a))),
        as_b=bearer(make.token(make.user(Role.PARTNER, partner=b))),
    )
    budget = client.post(
        "/api/v1/mdf/budgets",
        json={"name": "MDF квартала", "period_start": str(TODAY - timedelta(days=10)),
              "period_end": str(TODAY + timedelta(days=80)), "amount": "300000.00"},
        headers=world.as_manager,
    )  # fmt: skip
    assert budget.status_code == 201, budget.text
    return world


def request_body(**changes: Any) -> dict[str, Any]:
    return {
        "activity": "Таргет ВКонтакте на клиентов Битрикс24",
        "channel": "vk_ads",
        "starts_on": str(TODAY),
        "ends_on": str(TODAY + timedelta(days=30)),
        "planned_cost": "200000.00",
        "requested_amount": "100000.00",
        "planned_leads": 4,
        "landing_url": "https://vendor.example/lp/alfa?src=mdf#form",
    } | changes


def submit(client, headers: dict[str, str], **changes: Any) -> Any:
    return client.post("/api/v1/mdf/requests", json=request_body(**changes), headers=headers)


def approve(client, mdf: Mdf, request_id: int, amount: str = "80000.00") -> Any:
    return client.post(
        f"/api/v1/mdf/requests/{request_id}/decision",
        json={"decision": "approve", "approved_amount": amount, "comment": "Хороший план"},
        headers=mdf.as_manager,
    )


def click_and_convert(client, mdf: Mdf, code: str, *, clicks: int, leads: int) -> None:
    """``clicks`` human clicks on the link; the first ``leads`` of them come back as leads."""
    for number in range(clicks):
        response = client.get(f"/r/{code}", headers={"User-Agent": CHROME})
        assert response.status_code == 302
        if number < leads:
            cmclid = parse_qs(urlsplit(response.headers["Location"]).query)["cmclid"][0]
            lead = client.post(
                "/api/v1/leads",
                json={"email": f"client{number}@example.com", "cmclid": cmclid},
                headers=mdf.as_marketer,
            )
            assert lead.status_code == 201, lead.text


def counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (*WRITTEN, Click)
    }

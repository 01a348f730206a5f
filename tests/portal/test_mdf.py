"""``/portal/mdf``: a partner sees its MDF balance, files requests (refusals on the form, 422,
nothing written), sees decisions, the funded link and the proof measured on it (clicks and the
leads that came back, listed), and claims once; another partner's request is a 404 and staff
cannot use these pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.mdf.models import MdfClaim, MdfDecision, MdfRequest, MdfStatus
from comarketing.mdf.services import create_budget, decide, funded_link, submit_request
from comarketing.partners.models import Partner
from comarketing.users.models import User
from tests.factories import bearer, login
from tests.links.test_bots import BROWSERS

CHROME = BROWSERS["Chrome, Windows"]
TODAY = utcnow().date()
WRITTEN = (MdfRequest, MdfDecision, MdfClaim, TrackedLink)


@dataclass
class World:
    a: Partner
    b: Partner
    user_a: User
    user_b: User
    staff: dict[str, str]


@pytest.fixture
def world(make) -> World:
    """Partners A and B, a budget for everyone (300 000 RUB) and one for B alone, a partner
    user of each (English messages) and a marketer's API token."""
    a, b = make.partner("Альфа Интеграции"), make.partner("Бета Софт")
    create_budget(name="MDF квартала", period_start=TODAY - timedelta(days=10),
                  period_end=TODAY + timedelta(days=80), amount=Decimal("300000"))  # fmt: skip
    create_budget(name="Бюджет только Беты", period_start=TODAY, period_end=TODAY,
                  amount=Decimal("7000"), partner_id=b.id)  # fmt: skip
    user_a, user_b = make.user(Role.PARTNER, partner=a), make.user(Role.PARTNER, partner=b)
    user_a.locale = user_b.locale = "en"
    db.session.commit()
    return World(a, b, user_a, user_b, bearer(make.token(make.user(Role.MARKETER))))


def form(**changes: Any) -> dict[str, str]:
    return {
        "activity": "Таргет ВКонтакте на клиентов Битрикс24", "channel": "vk_ads",
        "starts_on": str(TODAY), "ends_on": str(TODAY + timedelta(days=30)),
        "planned_cost": "200000.00", "requested_amount": "100000.00", "planned_leads": "4",
        "landing_url": "https://vendor.example/lp/alfa",
    } | changes  # fmt: skip


def filed(partner: Partner, *, approve: bool = False, activity: str = "Вебинар с Альфой"):
    request = submit_request(
        partner_id=partner.id, activity=activity, channel="vk_ads", starts_on=TODAY,
        ends_on=TODAY + timedelta(days=30), planned_cost=Decimal("200000"),
        requested_amount=Decimal("100000"), planned_leads=4,
        landing_url="https://vendor.example/lp/alfa",
    )  # fmt: skip
    if approve:
        decide(request, decision="approve", approved_amount=Decimal("80000"), comment="В работу")
    db.session.commit()
    return request


def approved(partner: Partner) -> tuple[MdfRequest, TrackedLink]:
    request = filed(partner, approve=True)
    link = funded_link(request)
    assert link is not None
    return request, link


def counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in WRITTEN
    }


def section(html: str, testid: str, end: str = "</table>") -> str:
    """The element marked ``testid`` up to ``end``, with the non-breaking spaces of
    formatted money made plain."""
    found = re.search(rf'data-testid="{testid}".*?{end}', html, re.S)
    assert found is not None, testid
    return found.group(0).replace("\xa0", " ").replace("\u202f", " ")


def kpis(html: str) -> list[str]:
    return re.findall(
        r'<div class="fs-3 fw-semibold">([^<]*)</div>',
        section(html, "mdf-proof", "mdf-lead-return"),
    )


def test_the_page_shows_the_balance_of_budgets_that_apply(client, world):
    filed(world.a, approve=True)
    login(client, world.user_a)
    response = client.get("/portal/mdf")
    assert response.status_code == 200
    balance = section(response.text, "mdf-balance")
    assert "MDF квартала" in balance
    assert "300,000.00" in balance  # allocated
    assert "80,000.00" in balance  # reserved by the approval
    assert "220,000.00" in balance  # remaining
    assert "Бюджет только Беты" not in response.text
    assert 'data-testid="mdf-request-form"' in response.text


def test_a_valid_request_is_submitted(client, world):
    login(client, world.user_a)
    response = client.post("/portal/mdf", data=form())
    assert response.status_code == 302
    created = db.session.scalars(select(MdfRequest)).one()
    assert response.headers["Location"].endswith(f"/portal/mdf/{created.id}")
    assert created.status is MdfStatus.SUBMITTED
    assert created.partner_id == world.a.id
    assert created.submitted_by_id == world.user_a.id
    assert created.requested_amount == Decimal("100000.00")
    listed = client.get("/portal/mdf").text
    assert "Таргет ВКонтакте на клиентов Битрикс24" in section(listed, "mdf-requests")
    assert 'data-status="submitted"' in listed


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"requested_amount": "100000.01"}, "At most 50% of the planned cost: 100000.00 RUB."),
        (
            {"planned_cost": "800000", "requested_amount": "300000.01"},
            "Only 300000.00 RUB remain in the MDF budget.",
        ),
        ({"ends_on": str(TODAY - timedelta(days=1))}, "The activity cannot end before it starts."),
        ({"starts_on": "31.02.2026"}, "Not a valid date value."),
        ({"activity": ""}, "This field is required."),
        ({"planned_cost": "NaN"}, "at most two decimal places"),
        ({"planned_leads": "0"}, "Number must be between 1 and 1000000."),
        ({"landing_url": "ftp://vendor.example/x"}, "http"),
    ],
)
def test_a_refused_request_is_shown_on_the_form_and_writes_nothing(client, world, changes, message):
    login(client, world.user_a)
    before = counts()
    response = client.post("/portal/mdf", data=form(**changes))
    assert response.status_code == 422
    assert message in response.text
    assert counts() == before


def test_the_funded_link_shows_once_approved(client, world):
    request, link = approved(world.a)
    login(client, world.user_a)
    listed = client.get("/portal/mdf").text
    short = f"http://go.test/r/{link.code}"
    assert f'data-copy-text="{short}"' in listed
    assert f'href="/portal/links/{link.id}"' in listed
    page = client.get(f"/portal/mdf/{request.id}")
    assert page.status_code == 200
    assert f'data-copy-text="{short}"' in section(page.text, "mdf-funded-link", "</div>")
    assert "В работу" in section(page.text, "mdf-history", "</ul>")
    assert 'data-testid="mdf-claim-form"' in page.text
    assert client.get(f"/portal/links/{link.id}").status_code == 200


@pytest.mark.parametrize("decision", ["return", "reject"])
def test_a_returned_or_rejected_request_shows_the_managers_comment(client, world, decision):
    request = filed(world.a)
    decide(request, decision=decision, comment="Уточните аудиторию и бюджет")
    db.session.commit()
    login(client, world.user_a)
    listed = client.get("/portal/mdf").text
    assert "Уточните аудиторию и бюджет" in section(listed, "mdf-requests")
    assert f'data-status="{request.status.value}"' in listed
    page = client.get(f"/portal/mdf/{request.id}").text
    assert "Уточните аудиторию и бюджет" in section(page, "mdf-history", "</ul>")
    assert 'data-testid="mdf-claim-form"' not in page
    assert 'data-testid="mdf-funded-link"' not in page


def click(client, code: str) -> str:
    """One human click on the link; the ``cmclid`` the landing page receives."""
    response = client.get(f"/r/{code}", headers={"User-Agent": CHROME})
    assert response.status_code == 302
    return parse_qs(urlsplit(response.headers["Location"]).query)["cmclid"][0]


def post_lead(client, world: World, **body: str) -> None:
    response = client.post("/api/v1/leads", json=body, headers=world.staff)
    assert response.status_code == 201, response.text


def test_clicks_and_returned_leads_are_the_proof(client, world):
    request, link = approved(world.a)
    cmclid = click(client, link.code)
    click(client, link.code)
    click(client, link.code)
    post_lead(client, world, email="client@alfa-client.example", name="Ирина",
              company="ООО Клиент", cmclid=cmclid)  # fmt: skip
    # Leads that did not come through the funded link: another partner's, and A's own.
    post_lead(client, world, email="stranger@beta-client.example", utm_source=world.b.slug)
    post_lead(client, world, email="elsewhere@alfa-client.example", utm_source=world.a.slug)
    login(client, world.user_a)
    html = client.get(f"/portal/mdf/{request.id}").text
    clicks, leads, cpl, needed = kpis(html)
    assert [clicks, leads, needed] == ["3", "1", "2"]  # needed: ceil(4 × 0.50)
    assert cpl.endswith("200,000.00")  # at the planned cost until the claim
    returned = section(html, "mdf-returned-leads")
    assert "client@alfa-client.example" in returned
    assert "ООО Клиент" in returned
    assert "stranger@beta-client.example" not in html
    assert "elsewhere@alfa-client.example" not in html


def test_a_returned_client_owned_by_another_partner_counts_but_shows_no_contact(client, world):
    request, link = approved(world.a)
    post_lead(client, world, email="owned-by-b@beta-client.example", name="Борис Чужой",
              utm_source=world.b.slug)  # fmt: skip
    again = client.post(
        "/api/v1/leads",
        json={"email": "owned-by-b@beta-client.example", "cmclid": click(client, link.code)},
        headers=world.staff,
    )
    assert again.status_code == 200  # the same person, still B's
    assert again.json["owner_partner_id"] == world.b.id
    login(client, world.user_a)
    html = client.get(f"/portal/mdf/{request.id}").text
    assert kpis(html)[1] == "1"  # counted as a lead that came back through A's link
    assert "owned-by-b@beta-client.example" not in html
    assert "Борис Чужой" not in html
    assert "mdf-foreign-lead" in section(html, "mdf-returned-leads")


def test_a_claim_through_the_page_is_written_once(client, world):
    request, link = approved(world.a)
    post_lead(client, world, email="client@alfa-client.example", cmclid=click(client, link.code))
    login(client, world.user_a)
    url = f"/portal/mdf/{request.id}/claim"
    response = client.post(url, data={"actual_cost": "150000.00", "comment": "Итоги кампании"})
    assert response.status_code == 302
    row = db.session.scalars(select(MdfClaim)).one()
    assert row.request_id == request.id
    assert row.actual_cost == Decimal("150000.00")
    assert row.leads == 1
    assert row.clicks == 1
    assert row.submitted_by_id == world.user_a.id
    page = client.get(f"/portal/mdf/{request.id}").text
    assert "Итоги кампании" in section(page, "mdf-claim")
    assert 'data-testid="mdf-claim-form"' not in page
    before = counts()
    again = client.post(url, data={"actual_cost": "1000.00", "comment": "Ещё раз"})
    assert again.status_code == 409
    assert "This request has already been claimed." in again.text
    assert counts() == before


def test_a_claim_on_an_unapproved_request_is_refused(client, world):
    request, before = filed(world.a), counts()
    login(client, world.user_a)
    response = client.post(f"/portal/mdf/{request.id}/claim", data={"actual_cost": "1000.00"})
    assert response.status_code == 409
    assert "Only an approved request can be claimed." in response.text
    assert counts() == before
    db.session.refresh(request)
    assert request.status is MdfStatus.SUBMITTED


@pytest.mark.parametrize(
    ("actual_cost", "message"),
    [("0", "The actual cost must be positive."), ("много", "Not a valid decimal value.")],
)
def test_a_bad_actual_cost_is_refused(client, world, actual_cost, message):
    request = filed(world.a, approve=True)
    login(client, world.user_a)
    before = counts()
    response = client.post(f"/portal/mdf/{request.id}/claim", data={"actual_cost": actual_cost})
    assert response.status_code == 422
    assert message in response.text
    assert counts() == before


def test_another_partners_request_is_not_found(client, world):
    request = filed(world.a, approve=True, activity="Секретная активность Альфы")
    login(client, world.user_b)
    assert client.get(f"/portal/mdf/{request.id}").status_code == 404
    before = counts()
    response = client.post(f"/portal/mdf/{request.id}/claim", data={"actual_cost": "1000"})
    assert response.status_code == 404
    assert counts() == before
    listed = client.get("/portal/mdf").text
    assert "Секретная активность Альфы" not in listed
    assert "Бюджет только Беты" in listed  # B's own budget
    assert 'data-testid="mdf-request-row"' not in listed


def test_staff_cannot_open_the_partners_mdf_pages(client, make, world):
    request = filed(world.a, approve=True)
    before = counts()
    for role in (Role.ADMIN, Role.MANAGER, Role.MARKETER):
        login(client, make.user(role))
        assert client.get("/portal/mdf").status_code == 403
        assert client.get(f"/portal/mdf/{request.id}").status_code == 403
        assert client.post("/portal/mdf", data=form()).status_code == 403
        assert client.post(f"/portal/mdf/{request.id}/claim", data={}).status_code == 403
        assert client.post(f"/portal/mdf/{request.id}/resubmit", data=form()).status_code == 403
        client.post("/logout", data={})
    assert counts() == before


def test_a_returned_request_is_changed_and_sent_again_from_its_page(client, world):
    request = filed(world.a)
    decide(request, decision="return", comment="Снизьте запрос до 60 000")
    db.session.commit()
    login(client, world.user_a)
    page = client.get(f"/portal/mdf/{request.id}").text
    change = section(page, "mdf-request-form", "</form>")
    assert f'action="/portal/mdf/{request.id}/resubmit"' in change
    assert 'value="Вебинар с Альфой"' in change  # the terms as they were
    sent = client.post(
        f"/portal/mdf/{request.id}/resubmit",
        data=form(planned_cost="120000.00", requested_amount="60000.00"),
    )
    assert sent.status_code == 302
    db.session.refresh(request)
    assert (request.status, request.requested_amount) == (MdfStatus.SUBMITTED, Decimal("60000"))
    page = client.get(f"/portal/mdf/{request.id}").text
    assert "Снизьте запрос до 60 000" in section(page, "mdf-history", "</ul>")
    assert 'data-testid="mdf-request-form"' not in page  # waiting for a decision again


def test_a_refused_change_is_shown_on_the_form_and_writes_nothing(client, world):
    request = filed(world.a)
    decide(request, decision="return", comment="Дешевле")
    db.session.commit()
    login(client, world.user_a)
    before = counts()
    over_cap = client.post(
        f"/portal/mdf/{request.id}/resubmit", data=form(requested_amount="100000.01")
    )
    assert over_cap.status_code == 422
    assert "At most 50% of the planned cost" in section(
        over_cap.text, "mdf-request-form", "</form>"
    )
    client.post("/logout", data={})
    login(client, world.user_b)
    other = client.post(f"/portal/mdf/{request.id}/resubmit", data=form(activity="Чужое"))
    assert other.status_code == 404
    db.session.refresh(request)
    assert (request.status, request.activity) == (MdfStatus.RETURNED, "Вебинар с Альфой")
    assert counts() == before


def test_only_a_returned_request_can_be_changed(client, world):
    request = filed(world.a)
    login(client, world.user_a)
    assert 'data-testid="mdf-request-form"' not in client.get(f"/portal/mdf/{request.id}").text
    waiting = client.post(f"/portal/mdf/{request.id}/resubmit", data=form(activity="Другое"))
    assert waiting.status_code == 409
    assert "Only a request returned for changes" in waiting.text
    db.session.refresh(request)
    assert request.activity == "Вебинар с Альфой"

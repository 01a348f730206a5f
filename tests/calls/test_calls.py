"""Calls are leads too (issue 21, contract §10): a call to a partner's static number is a lead
owned by the partner with a ``call`` conversion, counts in its MDF proof and in the ROI
report's channel ``call``; a short call is a touch; a repeated ``call_id`` adds nothing; the
caller is the same person when they later fill a form; a held pool number credits the
holding click's partner and link, and nobody after the hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from comarketing.calls.models import Call, CallNumber, NumberKind
from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Conversion, ConversionKind, Lead, TouchKind, Touchpoint
from comarketing.links.clickid import click_id_key, decode_click_id
from comarketing.links.models import TrackedLink
from comarketing.links.services import issue_link
from tests.factories import bearer
from tests.mdf.conftest import approve, mdf, submit  # noqa: F401 - the fixture

NOON = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0"}
STATIC = "+74951230001"


def call(
    client,
    headers,
    call_id: str,
    *,
    number: str = STATIC,
    seconds: int = 45,
    answered: bool = True,
    caller: str = "+79161234567",
    at: datetime | None = None,
):
    at = at or utcnow() - timedelta(minutes=5)
    return client.post(
        "/api/v1/calls",
        json={"call_id": call_id, "tracking_number": number, "caller": caller,
              "started_at": at.isoformat(), "duration_s": seconds, "answered": answered},
        headers=headers,
    )  # fmt: skip


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def world(client, make, mdf):  # noqa: F811 - the fixture
    request = submit(client, mdf.as_a)
    assert request.status_code == 201, request.text
    assert approve(client, mdf, request.json["id"]).status_code == 200
    number = client.post(
        "/api/v1/call-numbers",
        json={"number": "8 (495) 123-00-01", "partner_id": mdf.a.id,
              "mdf_request_id": request.json["id"]},
        headers=mdf.as_marketer,
    )  # fmt: skip
    assert number.status_code == 201, number.text
    mdf.request_id = request.json["id"]
    mdf.as_platform = bearer(make.token(make.user(Role.MARKETER), scope="calls"))
    return mdf


def test_a_long_answered_call_is_a_lead_of_the_partner(client, world):
    assert db.session.scalar(select(CallNumber.number)) == STATIC
    first = call(client, world.as_platform, "tel-1")
    assert first.status_code == 201, first.text
    lead = db.session.get(Lead, first.json["lead_id"])
    assert lead.phone == "+79161234567"
    assert lead.owner_partner_id == world.a.id
    kinds = db.session.scalars(select(Conversion.kind).where(Conversion.lead_id == lead.id))
    assert list(kinds) == [ConversionKind.CALL]
    touch = db.session.scalar(select(Touchpoint).where(Touchpoint.lead_id == lead.id))
    assert (touch.kind, touch.channel, touch.partner_id) == (TouchKind.CALL, "call", world.a.id)
    assert first.json["credited"] is True

    today = utcnow().date()
    report = client.get(
        f"/api/v1/reports/roi?group_by=channel&from={today - timedelta(days=1)}"
        f"&to={today + timedelta(days=1)}",
        headers=world.as_manager,
    )
    rows = {row["key"]: row for row in report.json["rows"]}
    assert rows["call"]["leads"] == 1
    assert rows["call"]["calls"] == 1


def test_mdf_proof_counts_the_call_lead(client, world):
    from comarketing.mdf.models import MdfRequest
    from comarketing.mdf.services.claims import measure

    request = db.session.get(MdfRequest, world.request_id)
    before = measure(request, request.planned_cost)
    assert call(client, world.as_platform, "tel-1").status_code == 201
    after = measure(request, request.planned_cost)
    assert (before.leads, before.calls) == (0, 0)
    assert (after.leads, after.calls) == (1, 1)


def test_a_short_call_is_a_touch_and_a_repeat_adds_nothing(client, world):
    assert call(client, world.as_platform, "tel-1").status_code == 201
    leads, conversions, touches = count(Lead), count(Conversion), count(Touchpoint)
    short = call(client, world.as_platform, "tel-2", seconds=10)
    assert short.status_code == 201, short.text
    assert (count(Lead), count(Conversion)) == (leads, conversions)
    assert count(Touchpoint) == touches + 1
    again = call(client, world.as_platform, "tel-2", seconds=10)
    assert again.status_code == 200
    assert again.json["lead_id"] == short.json["lead_id"]
    assert (count(Lead), count(Conversion), count(Touchpoint)) == (leads, conversions, touches + 1)
    assert count(Call) == 2


def test_an_unknown_short_caller_is_a_call_without_a_lead(client, world):
    response = call(client, world.as_platform, "tel-9", seconds=5, caller="+79031112233")
    assert response.status_code == 201
    assert response.json["lead_id"] is None
    assert count(Lead) == 0
    assert db.session.scalar(select(Call.caller)) == "+79031112233"


def test_the_caller_filling_a_form_later_is_the_same_person(client, world):
    lead_id = call(client, world.as_platform, "tel-1").json["lead_id"]
    form = client.post(
        "/api/v1/leads",
        json={"phone": "8 916 123-45-67", "email": "ivan@example.com"},
        headers=world.as_marketer,
    )
    assert form.status_code == 200, form.text
    assert form.json["id"] == lead_id
    assert count(Lead) == 1


def test_only_calls_tokens_and_planners_post_calls(client, make, world):
    assert call(client, world.as_a, "tel-1").status_code == 403
    assert client.get("/api/v1/leads", headers=world.as_platform).status_code == 403
    assert call(client, world.as_marketer, "tel-1").status_code == 201


@pytest.fixture
def held(client, make, time_machine):
    """A pool number held by a click on partner B's link until 09:30."""
    time_machine.move_to(NOON, tick=False)
    b = make.partner("Партнёр Б")
    campaign = make.campaign([b], landing_url="https://lp.vendor.example/calls")
    link = issue_link(
        partner=b, campaign=campaign, destination_url="https://lp.vendor.example/calls"
    )
    db.session.commit()
    redirect = client.get(f"/r/{link.code}", headers=BROWSER)
    cmclid = parse_qs(urlsplit(redirect.location).query)["cmclid"][0]
    click_id = decode_click_id(cmclid, click_id_key(client.application.config["SECRET_KEY"]))
    number = CallNumber(number="+74950000009", kind=NumberKind.POOL, held_click_id=click_id,
                        held_until=NOON + timedelta(minutes=30))  # fmt: skip
    db.session.add(number)
    db.session.commit()
    platform = bearer(make.token(make.user(Role.MARKETER), scope="calls"))
    time_machine.move_to(NOON + timedelta(hours=1), tick=False)  # the platform reports later
    return b, link, platform


def test_a_call_to_a_held_pool_number_credits_the_holding_click(client, held):
    b, link, platform = held
    inside = call(client, platform, "p-1", number="+7 495 000-00-09",
                  at=NOON + timedelta(minutes=29))  # fmt: skip
    assert inside.status_code == 201, inside.text
    row = db.session.scalar(select(Call).where(Call.call_id == "p-1"))
    assert (row.partner_id, row.link_id, row.credited) == (b.id, link.id, True)
    lead = db.session.get(Lead, inside.json["lead_id"])
    assert lead.owner_partner_id == b.id
    touch = db.session.scalar(select(Touchpoint).where(Touchpoint.lead_id == lead.id))
    assert (touch.partner_id, touch.link_id, touch.campaign_id) == (
        b.id, link.id, db.session.get(TrackedLink, link.id).campaign_id)  # fmt: skip


def test_after_the_hold_a_pool_call_credits_nobody(client, held):
    _b, _link, platform = held
    after = call(client, platform, "p-2", number="+74950000009", caller="+79165550000",
                 at=NOON + timedelta(minutes=31))  # fmt: skip
    assert after.status_code == 201
    row = db.session.scalar(select(Call).where(Call.call_id == "p-2"))
    assert (row.partner_id, row.link_id, row.credited) == (None, None, False)
    lead = db.session.get(Lead, after.json["lead_id"])
    assert lead.owner_partner_id is None


def test_the_roi_calls_figure_counts_answered_calls_by_partner(client, world, make):
    assert call(client, world.as_platform, "tel-1").status_code == 201
    assert call(client, world.as_platform, "tel-2", seconds=10).status_code == 201  # answered
    assert call(client, world.as_platform, "tel-3", answered=False, seconds=0).status_code == 201
    nobody = call(client, world.as_platform, "tel-4", number="+74959999999", caller="+79035550000")
    assert nobody.status_code == 201
    today = utcnow().date()
    period = f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"
    report = client.get(
        f"/api/v1/reports/roi?group_by=partner&{period}", headers=world.as_manager
    ).json
    rows = {row["key"]: row["calls"] for row in report["rows"]}
    assert rows[world.a.id] == 2  # the unanswered call is not counted
    assert rows[None] == 1  # an unknown number: credited to nobody
    assert report["totals"]["calls"] == 3
    own = client.get(f"/api/v1/reports/roi?group_by=partner&{period}", headers=world.as_b).json
    assert own["totals"]["calls"] == 0  # B sees its own rows only
    csv_text = client.get(
        f"/api/v1/reports/roi?group_by=channel&format=csv&{period}", headers=world.as_manager
    ).text
    header, *lines = [line.split(",") for line in csv_text.lstrip("\ufeff").splitlines()]
    call_row = next(line for line in lines if line[0] == "call")
    assert call_row[header.index("calls")] == "3"


def test_the_mdf_request_page_shows_the_answered_calls(client, make, world):
    from tests.factories import login

    assert call(client, world.as_platform, "tel-page").status_code == 201
    login(client, make.user(Role.MANAGER))
    page = client.get(f"/mdf/requests/{world.request_id}", headers={"Accept-Language": "en"})
    assert page.status_code == 200, page.status_code
    assert "Answered calls" in page.text
    assert "to the activity" in page.text

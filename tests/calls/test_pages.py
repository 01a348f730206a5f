"""Where calls show: the lead's timeline (number, duration, answered), the partner's portal (its
calls, callers masked, its numbers), the staff page (the pool and how often it ran out, the
static numbers, recent calls) — and nobody else's calls."""

from __future__ import annotations

from datetime import timedelta

import pytest

from comarketing.calls.models import CallNumber, NumberKind
from comarketing.calls.queries import mask_phone
from comarketing.calls.services import CallInput, record_call
from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from tests.factories import login


@pytest.fixture
def calls(make):
    a, b = make.partner("Альфа"), make.partner("Бета")
    campaign = make.campaign([a, b], name="Весенний Директ")
    for number, partner in (("+74951230001", a), ("+74951230002", b)):
        db.session.add(
            CallNumber(
                number=number,
                kind=NumberKind.STATIC,
                partner_id=partner.id,
                campaign_id=campaign.id,
            )
        )
    db.session.add(CallNumber(number="+74950000009", kind=NumberKind.POOL, reused_count=3))
    db.session.flush()
    at = utcnow() - timedelta(hours=1)
    a_call, _ = record_call(CallInput("a-1", "+74951230001", "+79161234567", at, 45, True))
    record_call(CallInput("b-1", "+74951230002", "+79035557788", at, 12, False))
    db.session.commit()
    return a, b, a_call


def test_masking_keeps_the_area_and_the_last_two_digits():
    assert mask_phone("+79161234567") == "+7 916 ***-**-67"
    assert mask_phone(None) == "—"


def test_the_lead_timeline_shows_the_call(client, make, calls):
    _a, _b, a_call = calls
    login(client, make.user(Role.MANAGER))
    page = client.get(f"/leads/{a_call.lead_id}")
    assert page.status_code == 200
    assert 'data-testid="lead-call"' in page.text
    assert "+74951230001" in page.text
    assert "45" in page.text


def test_the_partner_sees_its_own_calls_masked(client, make, calls):
    a, _b, _call = calls
    login(client, make.user(Role.PARTNER, partner=a))
    page = client.get("/portal/calls")
    assert page.status_code == 200
    assert "+7 916 ***-**-67" in page.text
    assert "+79161234567" not in page.text
    assert "+74951230001" in page.text
    assert "+74951230002" not in page.text  # B's number
    assert "***-**-88" not in page.text  # B's call
    assert "+74950000009" not in page.text  # the pool is staff's
    assert 'href="/portal/calls"' in page.text


def test_staff_see_the_pool_running_out_and_every_call(client, make, calls):
    login(client, make.user(Role.MARKETER))
    page = client.get("/calls")
    assert page.status_code == 200
    assert 'data-testid="call-pool-short"' in page.text
    assert "+79161234567" in page.text
    assert "+79035557788" in page.text
    assert 'href="/calls"' in page.text


def test_a_partner_cannot_open_the_staff_page(client, make, calls):
    a, _b, _call = calls
    login(client, make.user(Role.PARTNER, partner=a))
    assert client.get("/calls").status_code in (302, 403)

"""Every page works under the Content-Security-Policy: in chromium, on the demo data, no
page of staff or partner reports a blocked script, style or image, or a script error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from comarketing.demo.loader import load_demo
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.users.models import User
from tests.e2e.pages import log_in, problems_on
from tests.live import LiveServer

pytestmark = pytest.mark.e2e

STAFF_PAGES = (
    "/", "/partners", "/partners/1", "/campaigns", "/campaigns/1", "/webinars", "/webinars/1",
    "/calendar", "/links", "/links/1", "/leads", "/leads/1", "/commissions", "/reports",
    "/reports/webinars", "/reports/partners/1", "/settings/integrations", "/mdf",
    "/mdf/budgets/new", "/settings", "/leads/deal-registrations", "/leads/flags",
    "/goals/plans/behind", "/goals",
)  # fmt: skip
PARTNER_PAGES = (
    "/portal", "/portal/links", "/portal/webinars", "/portal/leads", "/portal/commissions",
    "/portal/reports", "/portal/mdf", "/portal/postbacks", "/portal/plans",
)  # fmt: skip


def test_no_page_breaks_the_policy(live: LiveServer, new_page: Callable[..., Page]):
    with live.app.app_context():
        load_demo(scale=1)
        db.session.commit()
        partner_user = db.session.scalars(select(User).where(User.partner_id.is_not(None))).first()
        assert partner_user is not None
        own_link = db.session.scalar(
            select(TrackedLink.id).where(TrackedLink.partner_id == partner_user.partner_id)
        )
        partner_email = partner_user.email
        # A partner on its way up, whatever the day's standings: silver, gold above it.
        climbing_user = db.session.scalar(
            select(User).where(User.email == "partner-silver@demo.comarketing.example")
        )
        assert climbing_user is not None
        assert climbing_user.partner is not None
        climbing_user.partner.tier, climbing_user.partner.tier_locked = "silver", True
        db.session.commit()
    staff = new_page()
    log_in(staff, live, "manager@demo.comarketing.example")
    assert problems_on(staff, live, STAFF_PAGES) == []
    partner = new_page()
    log_in(partner, live, partner_email)
    assert problems_on(partner, live, (*PARTNER_PAGES, f"/portal/links/{own_link}")) == []
    # A partner on its way up the tiers: its home shows the progress towards the next.
    climbing = new_page()
    log_in(climbing, live, "partner-silver@demo.comarketing.example")
    assert problems_on(climbing, live, ("/portal",)) == []
    expect(climbing.locator("[data-testid=tier] progress")).to_be_visible()

"""The product's story in a real browser: a marketer schedules a joint webinar with two
partners and records its cost, a partner copies its registration link in the portal, a visitor
clicks it and registers, the webinar's attendance is imported, a payment arrives, and then the
manager sees the partner's ROI and the partner its commission.

With ``E2E_SCREENSHOTS=<folder>`` the run also photographs the pages (the README's pictures).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from comarketing.core.auth import Role
from tests.e2e.conftest import DESKTOP_USER_AGENT
from tests.e2e.pages import log_in
from tests.factories import PASSWORD, Factory
from tests.live import LiveServer

pytestmark = pytest.mark.e2e

VISITOR = "marina.story@client.example"
SHOTS = os.environ.get("E2E_SCREENSHOTS")


def photograph(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"story-{name}.png"))


def submit(page: Page, field: str) -> None:
    """Submit the form that holds the field named ``field`` (the navbar has forms too)."""
    page.locator("form", has=page.locator(f'[name="{field}"]')).locator('[type="submit"]').click()


def upload(page: Page, field_form: str, name: str, content: str) -> None:
    form = page.locator("form", has=page.locator(f'[name="{field_form}"]'))
    form.locator('input[type="file"]').set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    )
    form.locator('[type="submit"]').click()


def test_the_story(live: LiveServer, new_page: Callable[..., Page]):
    make = Factory()
    with live.app.app_context():
        north = make.partner("Интегратор Север", segment="amocrm", commission_rate="0.40")
        south = make.partner("Битрикс Юг", segment="bitrix24")
        people = {
            role: make.user(role).email for role in (Role.MARKETER, Role.MANAGER)
        }  # fmt: skip
        north_user = make.user(Role.PARTNER, partner=north).email
        north_id, north_name, south_name = north.id, north.name, south.name
    today = datetime.now(UTC).date()

    # A marketer schedules the joint webinar with both partners and records its cost.
    marketer = new_page()
    log_in(marketer, live, people[Role.MARKETER], PASSWORD)
    marketer.goto(f"{live.url}/webinars/new")
    marketer.fill('input[name="title"]', "Сквозная аналитика для интеграторов")
    starts = datetime.now(UTC) + timedelta(hours=3)
    marketer.fill('input[name="starts_at"]', starts.strftime("%Y-%m-%dT%H:%M"))
    marketer.fill('input[name="timezone"]', "UTC")
    marketer.select_option('select[name="partner_ids"]', label=[north_name, south_name])
    submit(marketer, "title")
    expect(marketer.locator("h1")).to_have_text("Сквозная аналитика для интеграторов")
    webinar_url = marketer.url
    marketer.fill('input[name="amount"]', "20000.00")
    marketer.fill('input[name="spent_on"]', today.isoformat())
    submit(marketer, "amount")
    expect(marketer.locator(".alert-success")).to_be_visible()
    photograph(marketer, "1-webinar")

    # The partner copies its registration link in the portal.
    partner = new_page()
    partner.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)
    log_in(partner, live, north_user, PASSWORD)
    partner.goto(f"{live.url}/portal/webinars")
    partner.locator('[data-testid="copy-short-url"]').first.click()
    short_url = partner.evaluate("navigator.clipboard.readText()")
    assert f"{live.url}/r/" in short_url
    photograph(partner, "2-portal-webinars")

    # A visitor clicks it and registers.
    visitor = new_page(user_agent=DESKTOP_USER_AGENT)
    visitor.goto(short_url)
    assert "/w/" in visitor.url
    assert "cmclid=" in visitor.url
    visitor.fill('input[name="name"]', "Марина Историева")
    visitor.fill('input[name="email"]', VISITOR)
    visitor.fill('input[name="company"]', "ООО Сюжет")
    visitor.check('input[name="consent"]')
    submit(visitor, "email")
    expect(visitor).to_have_url(re.compile(r"/registered"))
    photograph(visitor, "3-registered")

    # The webinar happened: its attendance is imported.
    marketer.goto(webinar_url)
    upload(marketer, "file", "attendance.csv", f"email,attended,minutes\n{VISITOR},yes,55\n")
    expect(marketer.locator(".alert-success")).to_contain_text("1")

    # A payment arrives for the new client.
    marketer.goto(f"{live.url}/commissions/payments/import")
    payments = (
        "email;phone;amount;paid_at;external_id;note\n"
        f"{VISITOR};;120000.00;{today.isoformat()};story-1;\n"
    )
    upload(marketer, "file", "payments.csv", payments)
    expect(marketer.locator(".alert-success")).to_be_visible()

    # The manager sees the partner's ROI: (120 000 − 48 000 − 10 000) / 10 000 = 620 %.
    manager = new_page()
    log_in(manager, live, people[Role.MANAGER], PASSWORD)
    manager.goto(f"{live.url}/reports/partners/{north_id}?period=this_month")
    roi = manager.locator('[data-kpi="roi"]')
    expect(roi).to_contain_text("620")
    photograph(manager, "4-partner-roi")

    # The partner sees its commission: 40 % of 120 000 ₽, on the statement of the payment's
    # month (paid at 00:00 UTC of ``today``, 03:00 in Moscow: the same month there).
    partner.goto(f"{live.url}/portal/commissions?month={today:%Y-%m}")
    expect(partner.locator('[data-testid="commission-lines"]')).to_contain_text("48")
    photograph(partner, "5-portal-commissions")

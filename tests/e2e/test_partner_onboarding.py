"""A partner's first day, in a real browser: the marketer invites the partner's user, the
invitation arrives by e-mail, the user sets a password, copies the short link of a joint
campaign, a visitor clicks it and lands on the vendor's page, the vendor's site reports the
lead, and the partner sees the click and the lead in its portal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from comarketing.core.auth import Role
from comarketing.core.outbox import deliver_due
from tests.e2e.conftest import DESKTOP_USER_AGENT, Inbox
from tests.factories import PASSWORD, Factory, bearer
from tests.live import LiveServer

pytestmark = pytest.mark.e2e

INVITED = "olga@example.com"
LEAD = "ivan.petrov@example.com"


@dataclass(frozen=True)
class World:
    """What the test needs to know about the data it made (plain values, no ORM objects)."""

    partner_id: int
    partner_slug: str
    campaign_name: str
    campaign_slug: str
    marketer_email: str
    api_token: str


def make_world(live: LiveServer, landing: str) -> World:
    """A partner in a running campaign that lands on ``landing``, a marketer and the token
    the vendor's site reports leads with."""
    make = Factory()
    today = datetime.now(UTC).date()
    with live.app.app_context():
        partner = make.partner("Интегратор Север", segment="amocrm")
        campaign = make.campaign(
            [partner],
            name="Коллтрекинг для amoCRM",
            starts_on=today - timedelta(days=7),
            ends_on=today + timedelta(days=30),
            landing_url=f"{landing}/offer",
        )
        marketer = make.user(Role.MARKETER)
        return World(
            partner_id=partner.id,
            partner_slug=partner.slug,
            campaign_name=campaign.name,
            campaign_slug=campaign.slug,
            marketer_email=marketer.email,
            api_token=make.token(marketer),
        )


def submit(page: Page, field: str) -> None:
    """Submit the form that holds the field named ``field`` (the navbar has forms too)."""
    page.locator("form", has=page.locator(f'[name="{field}"]')).locator('[type="submit"]').click()


def invite_partner_user(new_page: Callable[..., Page], live: LiveServer, world: World) -> None:
    """The marketer logs in and invites the partner's user from the partner's page."""
    page = new_page()
    page.goto(f"{live.url}/login")
    page.locator('[name="email"]').fill(world.marketer_email)
    page.locator('[name="password"]').fill(PASSWORD)
    submit(page, "password")
    expect(page).to_have_url(f"{live.url}/")

    page.goto(f"{live.url}/partners/{world.partner_id}")
    form = page.locator('form[data-testid="invite-form"]')
    form.locator('[name="email"]').fill(INVITED)
    form.locator('[name="name"]').fill("Ольга Смирнова")
    form.locator('[data-testid="invite-submit"]').click()
    expect(page.locator("#portal-users")).to_contain_text(INVITED)


def invitation_url(live: LiveServer, inbox: Inbox) -> str:
    """Deliver the outbox as the worker would and read the link from the e-mail."""
    with live.app.app_context():
        report = deliver_due()
    assert report.delivered == 1, report
    (letter,) = inbox.messages
    assert letter["To"] == INVITED
    found = re.search(rf"{re.escape(live.url)}/invite/\S+", letter.get_content())
    assert found, letter.get_content()
    return found.group(0)


def set_password(new_page: Callable[..., Page], live: LiveServer, url: str) -> Page:
    """The invited user opens the link, sets a password and lands in the portal, in a
    browser that may use the clipboard."""
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)
    page.goto(url)
    page.locator('[name="password"]').fill("partner-pass-42")
    page.locator('[name="confirm"]').fill("partner-pass-42")
    submit(page, "confirm")
    expect(page).to_have_url(f"{live.url}/portal")
    return page


def figures(portal: Page, world: World) -> Locator:
    """The campaign link's row figures on ``/portal/links``: clicks, recent clicks, leads."""
    row = portal.locator('[data-testid="link-row"]', has_text=world.campaign_name)
    return row.locator("td.num")


def copy_short_url(portal: Page, live: LiveServer, world: World) -> str:
    """Copy the campaign's short link with its button; return what the clipboard holds."""
    portal.goto(f"{live.url}/portal/links")
    row = portal.locator('[data-testid="link-row"]', has_text=world.campaign_name)
    short = row.locator('[data-testid="short-url"]')
    expect(short).to_have_text(re.compile(rf"^{re.escape(live.url)}/r/[\w-]+$"))
    expect(figures(portal, world)).to_have_text(["0", "0", "0"])
    button = row.locator('[data-testid="copy-short-url"]')
    copied_label = button.get_attribute("data-copied-text")
    assert copied_label
    button.click()
    expect(button).to_have_text(copied_label)  # the copy has resolved
    copied = portal.evaluate("navigator.clipboard.readText()")
    assert copied == short.inner_text()
    return copied


def click_through(new_page: Callable[..., Page], short_url: str, landing: str, world: World) -> str:
    """A person opens the short link, is redirected to the tagged landing page and
    arrives there; return the click id the landing page received."""
    page = new_page(user_agent=DESKTOP_USER_AGENT)
    arrived = page.goto(short_url)
    assert arrived is not None
    assert arrived.ok
    hop = arrived.request.redirected_from
    assert hop is not None
    assert hop.url == short_url
    assert hop.response().status == 302
    expect(page.locator("h1")).to_have_text("Коллтрекинг для вашей CRM")
    assert page.url.startswith(f"{landing}/offer?")
    query = parse_qs(urlsplit(page.url).query)
    assert query["utm_source"] == [world.partner_slug]
    assert query["utm_medium"] == ["partner"]
    assert query["utm_campaign"] == [world.campaign_slug]
    (cmclid,) = query["cmclid"]
    return cmclid


def test_invitation_to_click_and_lead(
    new_page: Callable[..., Page], live: LiveServer, smtp: Inbox, landing: str
) -> None:
    world = make_world(live, landing)
    invite_partner_user(new_page, live, world)
    portal = set_password(new_page, live, invitation_url(live, smtp))
    cmclid = click_through(new_page, copy_short_url(portal, live, world), landing, world)

    # The vendor's landing page reports the lead with the click id it received.
    response = requests.post(
        f"{live.url}/api/v1/leads",
        json={"email": LEAD, "name": "Иван Петров", "cmclid": cmclid},
        headers=bearer(world.api_token),
        timeout=10,
    )
    assert response.status_code == 201, response.text
    assert response.json()["owner_partner_id"] == world.partner_id

    portal.goto(f"{live.url}/portal/links")
    expect(figures(portal, world)).to_have_text(["1", "1", "1"])
    portal.goto(f"{live.url}/portal/leads")
    expect(portal.locator('[data-testid="portal-leads"]')).to_contain_text(LEAD)

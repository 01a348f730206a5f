"""Empty lists say what would fill them and lead to the action (issue 24): a marketer is
offered the button, a manager (who reads but does not plan) only the sentence."""

from __future__ import annotations

import re

from comarketing.core.auth import Role
from comarketing.extensions import db
from tests.factories import login


def action_links(page: str) -> list[str]:
    """The hrefs of the buttons inside the empty states."""
    blocks = re.findall(r'data-testid="empty-state">(.*?)\n  </div>', page, re.S)
    return [href for block in blocks for href in re.findall(r'href="([^"]+)"', block)]


def english(user):
    user.locale = "en"
    db.session.commit()
    return user


def test_a_marketer_is_led_to_the_action(client, make):
    partner = make.partner("Empty Partner")
    campaign = make.campaign([partner], name="No links yet")
    login(client, english(make.user(Role.MARKETER)))
    assert "/webinars/new" in action_links(client.get("/").text)
    assert "/links/new" in action_links(client.get("/links").text)
    detail = client.get(f"/campaigns/{campaign.id}").text
    assert f"/links/new?campaign_id={campaign.id}" in action_links(detail)
    assert "a tracked link per partner tells whose ads brought each lead" in detail
    # A filtered list that matches nothing says so, without offering to create.
    assert "No links match." in client.get("/links?q=nothing-like-this").text


def test_a_manager_reads_the_sentence_without_a_button(client, make):
    make.partner("Empty Partner")
    login(client, english(make.user(Role.MANAGER)))
    page = client.get("/").text
    assert "No webinars planned: two or three joint webinars a month" in page
    assert action_links(page) == []


def test_a_partner_is_told_what_it_can_do(client, make):
    partner = make.partner("Quiet Partner")
    login(client, english(make.user(Role.PARTNER, partner=partner)))
    links = client.get("/portal/links").text
    assert "ask your partner manager to add you to a campaign or a joint webinar" in links
    reports = client.get("/portal/reports").text
    assert "/portal/links" in action_links(reports)

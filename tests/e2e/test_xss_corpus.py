"""Hostile data: XSS payloads stored through every intake (API objects, leads with UTM values,
registrations, a click's user agent and referrer, a CSV import) and then shown on the pages of
staff and partner, in chromium: no injected markup appears and nothing runs; the CSV export
neutralises formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from playwright.sync_api import Page
from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.goals.plans_periods import current_periods, local_today
from comarketing.leads.models import Lead
from comarketing.leads.services.imports import import_leads
from comarketing.links.models import TrackedLink
from comarketing.partners.models import Partner
from comarketing.users.services import create_api_token
from comarketing.webinars.consents import withdrawal_token
from comarketing.webinars.models import Registration
from tests.e2e.conftest import DESKTOP_USER_AGENT
from tests.e2e.pages import log_in, problems_on
from tests.factories import PASSWORD, Factory, bearer
from tests.live import LiveServer

pytestmark = pytest.mark.e2e

PAYLOADS = (
    "<script>window.__xss='script'</script>",
    '"><img src=x onerror="window.__xss=\'img\'">',
    "'><svg onload=window.__xss='svg'>",
    "javascript:window.__xss='href'",
    "</title><iframe src=javascript:alert(1)></iframe>",
    "{{7*7}}<b onmouseover=window.__xss=1>x</b>",
)
FORMULA = '=HYPERLINK("http://evil.example","x")'
# Postback addresses are URLs without white space: the payloads that fit in one.
POSTBACK_URLS = (
    f"https://hooks.example/cm?q={PAYLOADS[0]}",
    "https://hooks.example/\"><svg/onload=window.__xss='svg'>",
)


class Api:
    def __init__(self, live: LiveServer, token: dict[str, str]) -> None:
        self.base, self.token = f"{live.url}/api/v1", token

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = requests.post(self.base + path, json=body, headers=self.token, timeout=10)
        assert response.status_code in (200, 201), (path, response.text)
        return response.json()  # type: ignore[no-any-return]


def leads_csv(partner_slug: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "name", "company", "utm_source", "utm_medium"])
    writer.writerow(["csv-xss@client.example", FORMULA, PAYLOADS[4], partner_slug, PAYLOADS[1]])
    return out.getvalue()


def seed(live: LiveServer) -> dict[str, Any]:
    """Every intake gets payloads; returns the ids and logins the pages need."""
    make = Factory()
    with live.app.app_context():
        admin = make.user(Role.ADMIN)
        admin_email = admin.email
        api = Api(live, bearer(make.token(admin)))
    partner = api.post("/partners", {"name": PAYLOADS[0], "segment": "amocrm"})
    campaign = api.post("/campaigns", {
        "name": PAYLOADS[1], "channel": "email", "starts_on": "2026-11-01",
        "ends_on": "2026-12-31", "budget": "1000.00",
        "partners": [{"partner_id": partner["id"], "cost_share": "1"}],
    })  # fmt: skip
    webinar = api.post("/webinars", {
        "title": PAYLOADS[2], "description": PAYLOADS[4], "starts_at": "2026-12-20T08:00:00Z",
        "duration_minutes": 60, "timezone": "Europe/Moscow", "partner_ids": [partner["id"]],
        "campaign_id": campaign["id"],
    })  # fmt: skip
    link = api.post("/links", {
        "partner_id": partner["id"], "campaign_id": campaign["id"],
        "destination_url": "https://vendor.example/landing", "utm_content": PAYLOADS[5],
    })  # fmt: skip
    code = link["short_url"].rsplit("/", 1)[1]
    click = requests.get(
        f"{live.url}/r/{code}",
        headers={"User-Agent": f"{DESKTOP_USER_AGENT} {PAYLOADS[1]}",
                 "Referer": f"https://ref.example/?q={PAYLOADS[0]}"},
        allow_redirects=False, timeout=10,
    )  # fmt: skip
    assert click.status_code == 302
    lead = api.post("/leads", {
        "email": "xss@client.example", "name": PAYLOADS[1], "company": PAYLOADS[3],
        "utm_source": partner["slug"], "utm_medium": PAYLOADS[0], "utm_campaign": PAYLOADS[2],
        "utm_content": PAYLOADS[5], "utm_term": PAYLOADS[4],
    })  # fmt: skip
    api.post(f"/webinars/{webinar['id']}/registrations", {
        "email": "reg-xss@client.example", "name": PAYLOADS[2], "company": PAYLOADS[0],
        "utm_source": partner["slug"], "share_with": [partner["id"]],
    })  # fmt: skip
    with live.app.app_context():
        import_leads(leads_csv(partner["slug"]))
        db.session.commit()
        partner_user = make.user(Role.PARTNER, partner=db.session.get(Partner, partner["id"]))
        create_api_token(partner_user, name=PAYLOADS[4])  # shown on /settings to the admin
        db.session.commit()
        partner_api = Api(live, bearer(make.token(partner_user)))
        link_id = db.session.scalar(
            select(TrackedLink.id).where(TrackedLink.partner_id == partner["id"])
        )
        csv_lead = db.session.scalar(select(Lead.id).where(Lead.email == "csv-xss@client.example"))
        partner_email = partner_user.email
        registrant = db.session.scalar(
            select(Registration).where(Registration.email == "reg-xss@client.example")
        )
        consent_path = f"/w/consent/{withdrawal_token(registrant)}"
    partner_api.post("/deal-registrations", {
        "email": "deal-xss@client.example", "name": PAYLOADS[0], "company": PAYLOADS[1],
        "comment": PAYLOADS[2],
    })  # fmt: skip
    for url in POSTBACK_URLS:  # a partner types its endpoint's address: shown on its page
        partner_api.post("/postbacks", {"url": url, "events": ["lead.created"]})
    for payload in PAYLOADS:  # a manager names a target: on /goals and the dashboard's tiles
        api.post("/kpi/targets", {
            "name": payload, "metric": "leads", "segment": "amocrm", "multiple": "2.5",
            "horizon_months": 18, "starts_on": "2026-09-01", "baseline_from": "2026-06-01",
            "baseline_to": "2026-08-31",
        })  # fmt: skip
    # A static number of the partner's campaign (named with payloads) and a call to it: on
    # /calls, /portal/calls and the caller's lead page.
    api.post("/call-numbers", {
        "number": "+74951230077", "partner_id": partner["id"], "campaign_id": campaign["id"],
    })  # fmt: skip
    call = api.post("/calls", {
        "call_id": PAYLOADS[0], "tracking_number": "+74951230077", "caller": "+79161230077",
        "started_at": datetime.now(UTC).isoformat(), "duration_s": 60, "answered": True,
    })  # fmt: skip
    quarter, _month = current_periods(local_today(datetime.now(UTC), "Europe/Moscow"))
    plan = api.post(f"/partners/{partner['id']}/plans", {  # behind: shown on staff pages too
        "period": quarter.key, "goals": {"leads": 1000, "revenue": "1000000.00"},
        "note": " ".join(PAYLOADS), "agreed_by": PAYLOADS[1],
    })  # fmt: skip
    return {
        "partner": partner["id"], "campaign": campaign["id"], "webinar": webinar["id"],
        "slug": webinar["slug"], "link": link_id, "lead": lead["id"], "csv_lead": csv_lead,
        "plan": plan["id"], "call_lead": call["lead_id"],
        "admin": admin_email, "partner_user": partner_email, "consent_path": consent_path,
    }  # fmt: skip


def test_payloads_are_shown_as_text_everywhere(live: LiveServer, new_page: Callable[..., Page]):
    ids = seed(live)
    staff_pages = (
        "/", "/partners", f"/partners/{ids['partner']}", "/campaigns",
        f"/campaigns/{ids['campaign']}", "/webinars", f"/webinars/{ids['webinar']}", "/calendar",
        "/links", f"/links/{ids['link']}", "/leads", f"/leads/{ids['lead']}",
        f"/leads/{ids['csv_lead']}", "/commissions", "/reports", "/reports?group_by=campaign",
        "/reports?group_by=webinar", "/reports/webinars", f"/reports/partners/{ids['partner']}",
        f"/reports/leads?group_by=partner&key={ids['partner']}", "/settings/integrations",
        "/goals/plans/behind", "/calls", f"/leads/{ids['call_lead']}",
        f"/w/{ids['slug']}", "/settings", "/leads/deal-registrations", "/leads/flags", "/goals",
        ids["consent_path"],
    )  # fmt: skip
    staff = new_page()
    log_in(staff, live, ids["admin"], PASSWORD)
    assert problems_on(staff, live, staff_pages) == []
    partner = new_page()
    log_in(partner, live, ids["partner_user"], PASSWORD)
    portal_pages = (
        "/portal", "/portal/links", f"/portal/links/{ids['link']}", "/portal/webinars",
        "/portal/plans", f"/portal/plans/{ids['plan']}",
        "/portal/leads", f"/portal/leads/{ids['lead']}", "/portal/commissions", "/portal/reports",
        "/portal/postbacks", "/portal/calls", f"/portal/webinars/{ids['webinar']}/registrants",
    )  # fmt: skip
    assert problems_on(partner, live, portal_pages) == []
    # The payloads are on the pages — as text.
    partner.goto(f"{live.url}/portal/leads")
    assert PAYLOADS[3] in partner.inner_text("main")
    partner.goto(f"{live.url}/portal/plans/{ids['plan']}")  # the plan's note and who agreed
    assert all(payload in partner.inner_text("main") for payload in PAYLOADS)
    staff.goto(f"{live.url}/goals/plans/behind")
    assert PAYLOADS[1] in staff.inner_text("main")
    staff.goto(f"{live.url}/goals")
    assert all(payload in staff.inner_text("main") for payload in PAYLOADS)
    staff.goto(f"{live.url}/calls")  # the call's partner and campaign
    assert PAYLOADS[0] in staff.inner_text("main")
    assert PAYLOADS[1] in staff.inner_text("main")
    partner.goto(f"{live.url}/portal/webinars/{ids['webinar']}/registrants")  # shared with it
    assert PAYLOADS[2] in partner.inner_text("main")
    assert PAYLOADS[0] in partner.inner_text("main")
    staff.goto(f"{live.url}{ids['consent_path']}")  # the withdrawal page names the partner
    assert PAYLOADS[0] in staff.inner_text("main")
    partner.goto(f"{live.url}/portal/calls")
    assert PAYLOADS[1] in partner.inner_text("main")
    partner.goto(f"{live.url}/portal/postbacks")
    assert all(url in partner.inner_text("main") for url in POSTBACK_URLS)
    export = staff.request.get(f"{live.url}/leads/export.csv")
    assert export.ok
    body = export.text()
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body
    assert ",=HYPERLINK" not in body

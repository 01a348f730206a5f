"""Every page, as staff (admin) and as a partner, in English and in Russian, in chromium on the
demo data (issue 24): no page is wider than the screen at 1366 px or on a phone (375 px), no
English page shows a Russian word that is not data, and no page reports a console error (a
blocked script or style under the Content-Security-Policy, a script error).

Pages are the GET routes of ``app.url_map``, so a new page joins the walk; routes that are no
page (API, files, feeds, hooks, redirects, token links) are listed in ``NOT_PAGES`` with why.
To tell data from labels, the demo's text is transliterated to Latin letters before the walk:
any Cyrillic left on an English page comes from a template or a label.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import url_for
from playwright.sync_api import Browser, Page
from sqlalchemy import String, Text, select, update
from text_unidecode import unidecode

import comarketing.models  # noqa: F401 - every table in the metadata
from comarketing.campaigns.models import Campaign
from comarketing.core.time import utcnow
from comarketing.demo.loader import load_demo
from comarketing.extensions import db
from comarketing.goals.plans_models import PartnerPlan
from comarketing.leads.models import Lead
from comarketing.links.models import TrackedLink
from comarketing.mdf.models import MdfRequest
from comarketing.mdf.services import submit_request
from comarketing.users.models import User
from comarketing.webinars.models import Webinar, WebinarHost
from tests.e2e.conftest import DESKTOP_USER_AGENT, TIMEOUT_MS
from tests.e2e.pages import log_in
from tests.live import LiveServer

pytestmark = pytest.mark.e2e

STAFF = "admin@demo.comarketing.example"
PARTNER = "partner@demo.comarketing.example"
WIDTHS = (1366, 375)
CYRILLIC = re.compile(r"[А-Яа-яЁё]")

NOT_PAGES = {
    "static": "assets",
    "bootstrap.static": "assets",
    "dashboard.healthz": "liveness probe (JSON)",
    "api-docs.openapi_json": "JSON",
    "links.chart_stylesheet": "a chart's CSS",
    "goals.chart_stylesheet": "a chart's CSS",
    "reports.chart_stylesheet": "a chart's CSS",
    "links.qr": "an image",
    "portal.link_qr": "an image",
    "commissions.statement_csv": "CSV",
    "leads.export": "CSV",
    "reports.roi_csv": "CSV",
    "portal.commissions_csv": "CSV",
    "portal.reports_csv": "CSV",
    "portal.webinar_registrants_csv": "CSV",
    "webinars_public.all_webinars_feed": "iCalendar",
    "webinars_public.partner_feed": "iCalendar",
    "webinars_public.ics": "iCalendar",
    "dni.script": "JavaScript for landing pages",
    "dni.number": "JSON for landing pages",
    "redirect.follow": "a redirect",
    "users.login": "redirects a signed-in user",
    "users.logout": "redirects a signed-in user",
    "users.language": "a form's target, redirects",
    "users.forgot_password": "redirects a signed-in user",
    "users.accept_invitation": "opened by a one-time secret token",
    "users.reset_password": "opened by a one-time secret token",
    "webinars_public.withdraw_consent": "opened by a registration's signed token",
}

# Pages that show something only for a query: the leads of one partner's report row.
QUERIES = {"reports.leads": "?group_by=partner&key={partner_id}"}

# What sticks out: the page wider than the window (naming the widest element outside it, not
# counting what scrolls or is clipped inside its own box, such as a .table-responsive), or a
# table wider than the column it stands in (it runs under its neighbour without widening the
# page). Null when all fits.
OVERFLOW = """() => {
  const limit = window.innerWidth;
  const clipped = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const describe = (element, right) => {
    const classes = typeof element.className === 'string' && element.className.trim()
      ? '.' + element.className.trim().split(/\\s+/).join('.') : '';
    return element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + classes
      + ' (right edge ' + Math.round(right) + ' px: "'
      + (element.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 50) + '")';
  };
  for (const table of document.querySelectorAll('table')) {
    const box = table.getBoundingClientRect(), parent = table.parentElement;
    if (box.width === 0 || clipped(table)) continue;
    const room = parent.getBoundingClientRect().right
      - parseFloat(getComputedStyle(parent).paddingRight);
    if (box.right > room + 1) {
      return 'a table wider than its column by ' + Math.round(box.right - room) + ' px: '
        + describe(table, box.right);
    }
  }
  const page = document.documentElement.scrollWidth;
  if (page <= limit) return null;
  // Outside any scrolling box first; else (an absolutely placed element escapes a box that
  // is not positioned) whatever reaches furthest.
  let worst = null, right = limit;
  for (const pass of [true, false]) {
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= right + 0.5 || (pass && clipped(element))) continue;
      right = box.right; worst = element;
    }
    if (worst) break;
  }
  return 'page ' + page + ' px wide at ' + limit + ' px; widest: '
    + (worst ? describe(worst, right) : 'nothing measurable');
}"""

# Text in Russian letters: text nodes, the page title and the words a screen reader or a
# tooltip says (placeholders, titles, labels, button values); not what is marked as another
# language (a language's own name in a language picker: ``lang="ru"``).
CYRILLIC_TEXT = """() => {
  const cyrillic = /[\\u0400-\\u04FF]/;
  const found = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('script, style, body [lang]')) continue;
    if (cyrillic.test(node.textContent)) {
      found.push(parent.tagName.toLowerCase() + ': ' + node.textContent.trim().slice(0, 60));
    }
  }
  for (const element of document.querySelectorAll(
      '[placeholder], [title], [aria-label], input[type=submit][value]')) {
    if (element.closest('body [lang]')) continue;
    for (const name of ['placeholder', 'title', 'aria-label', 'value']) {
      const value = element.getAttribute(name);
      if (value && cyrillic.test(value)) {
        found.push(element.tagName.toLowerCase() + '[' + name + ']: ' + value.slice(0, 60));
      }
    }
  }
  return found.slice(0, 5);
}"""


@dataclass
class Walker:
    """One signed-in browser tab of a role, collecting what went wrong page by page."""

    page: Page
    live: LiveServer
    problems: list[str] = field(default_factory=list)
    current: str = ""

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"{self.current}: {error}"))

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"{self.current}: console error: {message.text}")

    def speak(self, language: str) -> None:
        self.page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        self.page.click(f"nav button[name=locale][value={language}]")
        self.page.wait_for_load_state()
        assert self.page.locator("html").get_attribute("lang") == language

    def visit(self, path: str, language: str) -> None:
        self.current = f"{language} {path}"
        self.page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        response = self.page.goto(f"{self.live.url}{path}")
        assert response is not None
        if response.status != 200:
            self.problems.append(f"{self.current}: HTTP {response.status}")
            return
        if "text/html" not in response.headers.get("content-type", ""):
            self.problems.append(f"{self.current}: not a page, add it to NOT_PAGES")
            return
        if language == "en":
            words = self.page.evaluate(CYRILLIC_TEXT)
            if words:
                self.problems.append(f"{self.current}: Russian on an English page: {words}")
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900})
            overflow = self.page.evaluate(OVERFLOW)
            if overflow:
                self.problems.append(f"{self.current} at {width} px: {overflow}")


def latinise() -> None:
    """Every stored text in Latin letters, so that Cyrillic on an English page is a label."""
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        keys = list(table.primary_key.columns)
        if not columns or not keys:
            continue
        for row in db.session.execute(select(*keys, *columns)).mappings():
            changed = {
                c.name: unidecode(row[c.name])
                for c in columns
                if isinstance(row[c.name], str) and CYRILLIC.search(row[c.name])
            }
            if changed:
                where = [key == row[key.name] for key in keys]
                db.session.execute(update(table).where(*where).values(**changed))


def first(statement) -> int:
    found = db.session.scalar(statement.limit(1))
    assert found is not None, f"the demo has no row for {statement}"
    return found


def url_arguments(partner_id: int) -> tuple[dict[str, object], dict[str, object]]:
    """An object for each URL argument: any for staff, the partner's own for the portal."""
    webinar = db.session.get(Webinar, first(select(Webinar.id).order_by(Webinar.id)))
    assert webinar is not None
    staff = {
        "partner_id": partner_id,
        "campaign_id": first(select(Campaign.id).order_by(Campaign.id)),
        "webinar_id": webinar.id,
        "link_id": first(select(TrackedLink.id).order_by(TrackedLink.id)),
        "lead_id": first(select(Lead.id).order_by(Lead.id)),
        "request_id": first(select(MdfRequest.id).order_by(MdfRequest.id)),
        "slug": webinar.slug,
    }
    portal = {
        "link_id": first(select(TrackedLink.id).where(TrackedLink.partner_id == partner_id)),
        "lead_id": first(select(Lead.id).where(Lead.owner_partner_id == partner_id)),
        "request_id": first(select(MdfRequest.id).where(MdfRequest.partner_id == partner_id)),
        "plan_id": first(select(PartnerPlan.id).where(PartnerPlan.partner_id == partner_id)),
        "webinar_id": first(
            select(WebinarHost.webinar_id).where(WebinarHost.partner_id == partner_id)
        ),
    }
    return staff, portal


def page_paths(live: LiveServer, staff_args: dict, portal_args: dict) -> tuple[list, list]:
    """The paths of every page: staff's (public pages too) and the portal's."""
    staff, portal = [], []
    with live.app.test_request_context():
        for rule in sorted(live.app.url_map.iter_rules(), key=lambda rule: rule.rule):
            if "GET" not in (rule.methods or set()) or rule.endpoint in NOT_PAGES:
                continue
            if rule.endpoint.startswith(("api_", "api-", "hooks")):
                continue
            is_portal = rule.endpoint.startswith("portal.")
            args = portal_args if is_portal else staff_args
            missing = set(rule.arguments) - set(args)
            assert not missing, f"{rule.rule}: give the page walk an object for {missing}"
            path = url_for(rule.endpoint, **{name: args[name] for name in rule.arguments})
            path += QUERIES.get(rule.endpoint, "").format(**args)
            (portal if is_portal else staff).append(path)
    return staff, portal


def test_every_page_fits_the_screen_and_speaks_its_language(
    live: LiveServer, browser: Browser, new_page: Callable[..., Page]
):
    with live.app.app_context():
        load_demo(scale=1)
        latinise()
        db.session.commit()
        partner_user = db.session.scalar(select(User).where(User.email == PARTNER))
        assert partner_user is not None
        assert partner_user.partner_id is not None
        # The demo's partners with logins have asked for no MDF yet: one request to show.
        submit_request(
            partner_id=partner_user.partner_id, activity="Webinar ads", channel="vk_ads",
            starts_on=utcnow().date(), ends_on=utcnow().date() + timedelta(days=30),
            planned_cost=Decimal(20000), requested_amount=Decimal(10000), planned_leads=5,
            landing_url="https://vendor.example/mdf",
        )  # fmt: skip
        db.session.commit()
        staff_args, portal_args = url_arguments(partner_user.partner_id)
    staff_paths, portal_paths = page_paths(live, staff_args, portal_args)
    assert "/" in staff_paths
    assert "/portal" in portal_paths
    started = time.monotonic()
    problems: list[str] = []
    for email, paths in ((STAFF, staff_paths), (PARTNER, portal_paths)):
        page = new_page(user_agent=DESKTOP_USER_AGENT)
        page.set_default_navigation_timeout(TIMEOUT_MS * 3)
        log_in(page, live, email)
        walker = Walker(page, live)
        for language in ("en", "ru"):
            walker.speak(language)
            for path in paths:
                walker.visit(path, language)
        problems += walker.problems
    seconds = time.monotonic() - started
    assert problems == [], "\n".join(problems)
    pages = 2 * (len(staff_paths) + len(portal_paths))
    print(f"page walk: {pages} pages × {len(WIDTHS)} widths in {seconds:.0f} s")

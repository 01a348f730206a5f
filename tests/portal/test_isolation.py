"""Partner isolation, walked over every route of the app (so a new route cannot escape it):
partner B, through its portal session and its API token, asks for each of partner A's
objects and gets 404; every list, total and download B sees is free of A's data; B cannot
open staff pages; nothing B sends writes anything; and staff cannot act as a partner."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from flask import current_app, url_for
from sqlalchemy import func, select
from werkzeug.routing import Rule

import comarketing.models  # noqa: F401 - every table in the metadata
from comarketing.calls.models import CallNumber, NumberKind
from comarketing.calls.services import CallInput, record_call
from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.goals.plans_services import create_plan
from comarketing.goals.services import create_target
from comarketing.integrations.postbacks.services import add_endpoint
from comarketing.leads.services.deals import register_deal
from comarketing.links.models import TrackedLink
from comarketing.mdf.services import claim, create_budget, decide, submit_request
from comarketing.users.models import ApiToken
from tests.factories import bearer, login

# Routes anyone may open, each by its own secret or for everyone; not partner data pages.
PUBLIC = {
    "static": "assets",
    "bootstrap.static": "assets",
    "dashboard.healthz": "liveness probe",
    "api-docs.openapi_json": "the API's description",
    "links.chart_stylesheet": "a chart's CSS",
    "goals.chart_stylesheet": "a chart's CSS",
    "reports.chart_stylesheet": "a chart's CSS",
    "users.login": "account page",
    "users.logout": "account page",
    "users.language": "account page",
    "users.forgot_password": "account page",
    "users.accept_invitation": "opened by a one-time secret token",
    "users.reset_password": "opened by a one-time secret token",
    "redirect.follow": "a public tracked link",
    "dni.script": "the number-insertion script for landing pages",
    "dni.number": "opened by a signed click id (cmclid)",
    "webinars_public.register_page": "a webinar's public registration page",
    "webinars_public.registered": "a webinar's public confirmation page",
    "webinars_public.ics": "a webinar's public calendar file",
    "webinars_public.all_webinars_feed": "opened by a secret token",
    "webinars_public.partner_feed": "opened by the partner's secret token",
    "webinars_public.withdraw_consent": "opened by a registration's signed token",
}
# Resources for admins alone (contract §7): everyone else gets 403 for any id, which tells
# nothing of what exists (a body is checked first: 422).
ADMIN_ONLY = {"api_users.Users", "api_users.UserById"}
# The program's own resources, for staff alone (contract §9): a partner gets 403 for the
# collection (a body is checked first: 422); their ids answer 404 like any object it may not see.
STAFF_ONLY = {"api_kpi.Targets", "api_calendar.CalendarRhythm"}
# Tables a read may fill: the click rollup that reports extend as clicks become final (and
# its counts per address), and the credit, customer and registration rollups that reports
# rebuild for the days writes marked (and take the marks).
DERIVED_TABLES = {
    "click_days",
    "click_addresses",
    "rollup_marks",
    "credit_days",
    "customer_days",
    "credit_dirty_days",
    "registration_days",
}


@dataclass
class World:
    a_args: dict[str, object]  # A's object for each URL argument
    markers: list[str]  # text that only A's data contains
    b_session: object
    b_token: dict[str, str]


@pytest.fixture
def world(app, client, make):
    a = make.partner("Альфа Секретная")
    b = make.partner("Бета Открытая")
    campaign_a = make.campaign(
        [a], name="Кампания Альфы", landing_url="https://vendor.example/alfa"
    )
    make.campaign([b], name="Кампания Беты", landing_url="https://vendor.example/beta")
    webinar_a = make.webinar([a], title="Закрытый вебинар Альфы")
    make.webinar([b], title="Вебинар Беты")
    staff = bearer(make.token(make.user(Role.ADMIN)))
    registered = client.post(
        f"/api/v1/webinars/{webinar_a.id}/registrations",
        json={
            "email": "reg-alfa@alfa-client.example",
            "name": "Регина",
            "utm_source": a.slug,
            "company": "ООО Регина согласна",
            "share_with": [a.id],
        },
        headers=staff,
    )
    assert registered.status_code == 201, registered.text
    lead = client.post(
        "/api/v1/leads",
        json={"email": "lead-alfa@alfa-client.example", "utm_source": a.slug,
              "company": "ООО Альфа-клиент"},
        headers=staff,
    )  # fmt: skip
    assert lead.status_code == 201, lead.text
    assert lead.json["owner_partner_id"] == a.id
    paid = client.post(
        "/api/v1/payments",
        json={"lead_id": lead.json["id"], "amount": "77777.00", "paid_at": utcnow().isoformat(),
              "external_id": "inv-alfa-secret"},
        headers=staff,
    )  # fmt: skip
    assert paid.status_code == 201, paid.text
    link_a = db.session.scalar(select(TrackedLink).where(TrackedLink.partner_id == a.id))
    assert link_a is not None
    # B's own activity, so B's pages are not empty.
    client.post(
        "/api/v1/leads",
        json={"email": "lead-beta@beta.example", "utm_source": b.slug},
        headers=staff,
    )
    mdf_budget = create_budget(
        name="MDF Альфы", period_start=utcnow().date(), period_end=utcnow().date(),
        amount=Decimal("500000"), partner_id=a.id,
    )  # fmt: skip
    mdf_request = submit_request(
        partner_id=a.id, activity="Секретная MDF-активность Альфы", channel="vk_ads",
        starts_on=mdf_budget.period_start, ends_on=mdf_budget.period_end,
        planned_cost=Decimal("20000"), requested_amount=Decimal("10000"), planned_leads=3,
        landing_url="https://vendor.example/alfa-mdf",
    )  # fmt: skip
    decide(mdf_request, decision="approve")
    mdf_claim = claim(mdf_request, actual_cost=Decimal("19000"), comment="Отчёт Альфы по MDF")
    a_user = make.user(Role.PARTNER, partner=a)
    make.token(a_user)
    a_token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == a_user.id))
    deal = register_deal(a, email="deal-alfa@alfa-client.example", phone=None,
                         comment="Сделка Альфы").deal  # fmt: skip
    plan = create_plan(a, period="2026-Q4", goals={"leads": 20}, note="План Альфы секретный",
                       agreed_by="Альфа-директор")  # fmt: skip
    postback = add_endpoint(
        a, "https://hooks.alfa-secret.example/postbacks", created_by_id=a_user.id
    )
    # The program's target is no partner's: B may not see it either.
    target = create_target(
        name="Цель программы секретная", metric="leads", segment=None,
        baseline_from=date(2026, 1, 1), baseline_to=date(2026, 3, 31),
        multiple=Decimal("2.5"), horizon_months=18, starts_on=date(2026, 4, 1),
    )  # fmt: skip
    # A's tracking number and a call to it (contract §10).
    a_number = CallNumber(number="+74951230071", kind=NumberKind.STATIC, partner_id=a.id,
                          campaign_id=campaign_a.id)  # fmt: skip
    db.session.add(a_number)
    db.session.flush()
    a_call, _new = record_call(
        CallInput("alfa-call-secret", "+74951230071", "+79161110061", utcnow(), 50, True)
    )
    db.session.commit()
    a_args = {
        "request_id": mdf_request.id,
        "claim_id": mdf_claim.id,
        "partner_id": a.id,
        "campaign_id": campaign_a.id,
        "webinar_id": webinar_a.id,
        "link_id": link_a.id,
        "lead_id": lead.json["id"],
        "conflict_id": 1,
        "message_id": 1,
        "destination_id": 1,
        "kind": "svg",
        "user_id": a_user.id,
        "token_id": a_token.id,
        "deal_id": deal.id,
        "plan_id": plan.id,
        "postback_id": postback.id,
        "target_id": target.id,
        "number_id": a_number.id,
        "call_pk": a_call.id,
        "audience": "no_shows",  # a co-host's follow-up to A's webinar
        "secret": "not-the-hooks-secret",  # /hooks/amocrm/<id>/<secret>: a CRM's, never B's
    }
    markers = [
        a.name, a.slug, a.feed_token, campaign_a.name, webinar_a.title, webinar_a.slug,
        link_a.code, "lead-alfa@alfa-client.example", "reg-alfa@alfa-client.example",
        "ООО Альфа-клиент", "inv-alfa-secret", "77777", "38888",  # the payment, A's commission
        "Секретная MDF-активность Альфы", "Отчёт Альфы по MDF", "alfa-mdf",
        "deal-alfa@alfa-client.example", "Сделка Альфы", a_user.email, a_token.prefix,
        "План Альфы секретный", "Альфа-директор",
        "hooks.alfa-secret.example", postback.secret, "Цель программы секретная",
        "+74951230071", "+79161110061", "***-**-61", "alfa-call-secret",
        "ООО Регина согласна",
    ]  # fmt: skip
    b_user = make.user(Role.PARTNER, partner=b)
    b_token = bearer(make.token(b_user))
    return World(a_args=a_args, markers=markers, b_session=b_user, b_token=b_token)


def all_rules(app) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)


def url_of(rule: Rule, args: dict[str, object]) -> str:
    missing = set(rule.arguments) - set(args)
    assert not missing, f"{rule.rule}: give the isolation test an object for {missing}"
    with current_app.test_request_context():
        return url_for(rule.endpoint, **{name: args[name] for name in rule.arguments})


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def text_of(response) -> str:
    """The answer as text; JSON decoded so that Cyrillic is compared as letters."""
    if response.is_json:
        return json.dumps(response.json, ensure_ascii=False)
    return response.get_data(as_text=True)


def leaks(response, markers: list[str]) -> list[str]:
    body = text_of(response)
    return [marker for marker in markers if marker in body]


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    }


def call(client, method: str, url: str, *, api: bool, token: dict[str, str], a_args: dict):
    """One request as B: writes carry A's ids in the body, reads in the query string."""
    ids = {k: v for k, v in a_args.items() if k.endswith("_id")}
    if method == "GET":
        return client.get(url, query_string=ids if api else {}, headers=token if api else {})
    if api:
        return client.open(url, method=method, json=ids, headers=token)
    return client.open(url, method=method, data={k: str(v) for k, v in ids.items()})


def test_partner_b_gets_404_for_as_objects_and_sees_none_of_as_data(app, client, world):
    login(client, world.b_session)
    before = row_counts()
    problems: list[str] = []
    checked = 0
    for rule in all_rules(app):
        if rule.endpoint in PUBLIC:
            continue
        url = url_of(rule, world.a_args)
        api = rule.endpoint.startswith("api_")
        portal = rule.endpoint.startswith("portal.")
        for method in methods(rule):
            response = call(client, method, url, api=api, token=world.b_token, a_args=world.a_args)
            checked += 1
            where = f"{method} {url} ({rule.endpoint}) → {response.status_code}"
            status = response.status_code
            if rule.endpoint in ADMIN_ONLY:
                if status not in {403, 422}:
                    problems.append(f"{where}: an admin's resource must be 403 for a partner")
            elif rule.endpoint in STAFF_ONLY:
                if status not in {403, 422}:
                    problems.append(f"{where}: a staff resource must be 403 for a partner")
            elif (api or portal) and rule.arguments - {"kind"}:
                if status != 404:
                    problems.append(f"{where}: A's object must be 404")
            elif api or portal:
                allowed = {200} if method == "GET" else {400, 403, 404, 409, 422}
                if status not in allowed:
                    problems.append(f"{where}: expected one of {sorted(allowed)}")
            elif not (
                status == 404
                or (status == 302 and response.headers["Location"].endswith("/portal"))
            ):
                problems.append(f"{where}: a staff page must send a partner to /portal")
            if found := leaks(response, world.markers):
                problems.append(f"{where}: shows A's {found}")
    after = row_counts()
    written = {
        name: after[name] - before[name]
        for name in after
        if after[name] != before[name] and name not in DERIVED_TABLES
    }
    assert not written, f"B's requests wrote rows: {written}"
    assert not problems, "\n".join(problems)
    assert checked > 60  # every non-public route and method was asked


def test_partner_b_downloads_are_free_of_as_data(client, world):
    login(client, world.b_session)
    for url in (
        "/portal/commissions/statement.csv",
        "/portal/reports.csv?group_by=partner",
        "/portal/reports.csv?group_by=campaign",
        "/portal/reports.csv?group_by=webinar",
        "/portal/reports.csv?group_by=month",
        "/api/v1/reports/roi?format=csv&group_by=campaign",
    ):
        headers = world.b_token if url.startswith("/api/") else {}
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        assert not leaks(response, world.markers), url


def test_staff_cannot_act_as_a_partner(app, client, make, world):
    for role in (Role.ADMIN, Role.MARKETER, Role.MANAGER):
        login(client, make.user(role))
        for rule in all_rules(app):
            if not rule.endpoint.startswith("portal."):
                continue
            url = url_of(rule, world.a_args)
            for method in methods(rule):
                response = client.open(url, method=method)
                assert response.status_code == 403, f"{role} {method} {url}"
        client.post("/logout", data={})


def test_the_walk_knows_every_public_route(app):
    """The allow-list names only routes that exist, so it cannot hide a renamed one."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(PUBLIC) <= endpoints, set(PUBLIC) - endpoints

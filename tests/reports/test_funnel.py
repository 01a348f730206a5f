"""The lead funnel of each report row (issue 18, contract §8): the period's leads credited to the
row by their status now — ``working``, ``won`` (customers), ``lost`` — with ``win_rate`` and
``median_days_to_customer``, against figures worked out by hand. Statuses are set on the leads
directly, as the CRM's status service would.

Every lead is created in October 2026 (UTC) unless it says otherwise; the report covers October.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from comarketing.attribution.credits import refresh_funnel
from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind, Lead, LeadStatus
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.offline import record_offline_touch
from comarketing.leads.services.status import apply_crm_state
from comarketing.partners.models import Partner
from comarketing.reports.metrics import Scope
from comarketing.reports.periods import Period
from comarketing.reports.roi import Figures, RoiRow, roi_report
from tests.factories import bearer, login

URL = "/api/v1/reports/roi"
OCT = "from=2026-10-01&to=2026-10-31"
FUNNEL = ("working", "won", "lost", "win_rate", "median_days_to_customer")
PEOPLE = itertools.count(1)


def oct(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=UTC)


def lead(
    touches: list[Partner | None],
    created_at: datetime,
    status: LeadStatus = LeadStatus.NEW,
    *,
    days: float | None = None,
) -> Lead:
    """A lead that met ``touches`` a day apart: the earlier ones offline, the last through its
    UTM tags when it converts at ``created_at`` (None: no partner at all); ``status`` as the
    CRM set it and, for a customer, ``days`` from creation to customer."""
    email = f"funnel{next(PEOPLE)}@example.com"
    *earlier, last = touches
    for back, partner in enumerate(reversed(earlier), start=1):
        assert partner is not None
        at = created_at - timedelta(days=back)
        record_offline_touch(email=email, occurred_at=at, partner_id=partner.id)
    utm = {"source": last.slug} if last is not None else {}
    submission = Submission(kind=ConversionKind.API, email=email, utm=utm, occurred_at=created_at)
    found = record_submission(submission).lead
    if status is LeadStatus.CUSTOMER and days is None:
        # A customer from before customer times were kept: its status alone, copied onto
        # its credits as the migration's backfill did.
        found.status = status
        db.session.flush()
        refresh_funnel([found.id])
    elif status is not LeadStatus.NEW:  # as the CRM moves it: the credits follow
        moved_at = created_at + timedelta(days=days if days is not None else 1)
        apply_crm_state(found, status, moved_at, reference="test")
    db.session.commit()
    return found


@pytest.fixture
def manager(make):
    return bearer(make.token(make.user(Role.MANAGER)))


@pytest.fixture
def partners(make):
    return make.partner("А", segment="amocrm"), make.partner("Б", segment="bitrix24")


def report(client, headers, query=""):
    response = client.get(f"{URL}?{OCT}{query}", headers=headers)
    assert response.status_code == 200, response.json
    return {row["key"]: row for row in response.json["rows"]}, response.json["totals"]


def funnel_of(row):
    return {name: row[name] for name in FUNNEL}


def test_won_and_lost_are_credited_like_leads(client, manager, partners):
    """The brief's example under ``linear``: a customer who met A then B (10 days from lead to
    customer) gives each 0.5 won; a lost lead of A alone gives A 1 lost: A wins 0.5 / 1.5."""
    a, b = partners
    lead([a, b], oct(5), LeadStatus.CUSTOMER, days=10)
    lead([a], oct(6), LeadStatus.LOST)
    rows, totals = report(client, manager, "&model=linear")
    assert funnel_of(rows[a.id]) == {
        "working": 0.0,
        "won": 0.5,
        "lost": 1.0,
        "win_rate": 0.3333,
        "median_days_to_customer": 10.0,
    }
    assert funnel_of(rows[b.id]) == {
        "working": 0.0,
        "won": 0.5,
        "lost": 0.0,
        "win_rate": 1.0,
        "median_days_to_customer": 10.0,
    }
    assert rows[a.id]["leads"] == 1.5
    assert (rows[a.id]["customers"], rows[b.id]["customers"]) == (0, 0)  # no payment at all
    assert funnel_of(totals) == {
        "working": 0.0,
        "won": 1.0,
        "lost": 1.0,
        "win_rate": 0.5,
        "median_days_to_customer": 10.0,
    }

    # first_touch: the customer is all A's; B is credited nothing, so has no row.
    rows, totals = report(client, manager, "&model=first_touch")
    assert (rows[a.id]["won"], rows[a.id]["lost"], rows[a.id]["win_rate"]) == (1.0, 1.0, 0.5)
    assert b.id not in rows
    assert totals["win_rate"] == 0.5


def test_working_and_new_leads_and_rows_without_a_closed_lead(client, manager, partners):
    a, b = partners
    lead([a], oct(3), LeadStatus.WORKING)
    lead([a, b], oct(4), LeadStatus.WORKING)
    lead([b], oct(5))  # new: a lead, in no status of the funnel
    lead([None], oct(6), LeadStatus.LOST)
    rows, totals = report(client, manager)
    assert funnel_of(rows[a.id]) == {
        "working": 1.5,
        "won": 0.0,
        "lost": 0.0,
        "win_rate": None,
        "median_days_to_customer": None,
    }
    assert (rows[b.id]["leads"], rows[b.id]["working"]) == (1.5, 0.5)
    assert funnel_of(rows[None]) == {
        "working": 0.0,
        "won": 0.0,
        "lost": 1.0,
        "win_rate": 0.0,
        "median_days_to_customer": None,
    }
    assert (totals["working"], totals["lost"], totals["win_rate"]) == (2.0, 1.0, 0.0)
    assert totals["median_days_to_customer"] is None


@pytest.fixture
def customers(partners):
    """Customers whose days from lead to customer are known, each credited to A, B or both:

    - A: 4 d; 10 d (two touches of A: one lead, counted once); 30 d;
    - A and B: 20 d (its credit in each row, once in the totals);
    - B: 2 d; 7 d 12 h;
    - A in September, 1 d: created outside the period, counts nowhere;
    - A, a customer the CRM gave no date: won, but in no median.
    """
    a, b = partners
    lead([a], oct(2), LeadStatus.CUSTOMER, days=4)
    lead([a, a], oct(3), LeadStatus.CUSTOMER, days=10)
    lead([a], oct(4), LeadStatus.CUSTOMER, days=30)
    lead([a, b], oct(5), LeadStatus.CUSTOMER, days=20)
    lead([b], oct(6), LeadStatus.CUSTOMER, days=2)
    lead([b], oct(7), LeadStatus.CUSTOMER, days=7.5)
    lead([a], datetime(2026, 9, 30, 10, tzinfo=UTC), LeadStatus.CUSTOMER, days=1)
    lead([a], oct(8), LeadStatus.CUSTOMER)
    return a, b


@pytest.mark.parametrize("model", ["linear", "first_touch", "time_decay", "position_based"])
def test_the_median_days_to_customer_weighs_each_lead_by_its_credit_to_the_row(
    client, manager, customers, model
):
    """Whole days, each customer weighing its credit to the row. Under ``first_touch`` every
    customer weighs 1 in one row: A 4, 10, 20, 30 → (10 + 20) / 2 = 15.0 (half the weight
    reached exactly at 10: the mean with the next); B 2, 7 (7 d 12 h) → 4.5. Under the
    others the A-and-B customer (20 d) weighs about half in each: A 4 (1), 10 (1), 20 (~0.5),
    30 (1) → half of ~3.5 is passed at 10 → 10.0; B 2 (1), 7 (1), 20 (~0.5) → 7.0. The totals
    weigh every customer 1: 2, 4, 7, 10, 20, 30 → (7 + 10) / 2 = 8.5, whatever the model."""
    a, b = customers
    rows, totals = report(client, manager, f"&model={model}")
    first_touch = model == "first_touch"
    assert rows[a.id]["median_days_to_customer"] == (15.0 if first_touch else 10.0)
    assert rows[b.id]["median_days_to_customer"] == (4.5 if first_touch else 7.0)
    assert totals["median_days_to_customer"] == 8.5
    assert rows[a.id]["won"] + rows[b.id]["won"] == totals["won"] == 7.0
    assert totals["lost"] == 0
    assert totals["win_rate"] == 1.0


def test_the_period_and_the_filters_choose_the_leads(client, make, manager, customers):
    a, b = customers
    september = client.get(f"{URL}?from=2026-09-01&to=2026-09-30", headers=manager).json
    assert [row["key"] for row in september["rows"]] == [a.id]
    assert september["totals"]["median_days_to_customer"] == 1.0
    assert september["totals"]["won"] == 1.0

    rows, totals = report(client, manager, "&segment=amocrm")
    assert list(rows) == [a.id]
    assert totals["median_days_to_customer"] == 10.0  # A's credits only: 4, 10, 20 (½), 30

    own = bearer(make.token(make.user(Role.PARTNER, b)))
    rows, totals = report(client, own)
    assert list(rows) == [b.id]
    assert (rows[b.id]["won"], totals["median_days_to_customer"]) == (2.5, 7.0)


def test_months_place_a_lead_by_its_creation(client, manager, partners):
    """A lead created in October that became a customer in November is October's."""
    a, _ = partners
    lead([a], oct(30), LeadStatus.CUSTOMER, days=5)
    lead([a], datetime(2026, 11, 2, tzinfo=UTC), LeadStatus.LOST)
    response = client.get(
        f"{URL}?group_by=month&from=2026-10-01&to=2026-11-30", headers=manager
    ).json
    rows = {row["key"]: row for row in response["rows"]}
    assert funnel_of(rows["2026-10"]) == {
        "working": 0.0,
        "won": 1.0,
        "lost": 0.0,
        "win_rate": 1.0,
        "median_days_to_customer": 5.0,
    }
    assert (rows["2026-11"]["lost"], rows["2026-11"]["win_rate"]) == (1.0, 0.0)
    assert rows["2026-11"]["median_days_to_customer"] is None
    assert response["totals"]["win_rate"] == 0.5


@pytest.mark.parametrize("group_by", ["segment", "campaign", "webinar", "channel"])
def test_every_grouping_has_the_funnel(client, manager, customers, group_by):
    rows, totals = report(client, manager, f"&group_by={group_by}")
    assert sum(Decimal(str(row["won"])) for row in rows.values()) == 7
    assert totals["won"] == 7.0
    assert totals["median_days_to_customer"] == 8.5


def test_reports_read_for_charts_skip_the_funnel_and_nothing_else(app, customers):
    """The dashboard's previous period and regroupings are built without the funnel: the same
    rows and figures, the funnel's left at 0 and None."""
    scope = Scope("partner", "linear", Period(date(2026, 10, 1), date(2026, 10, 31)))
    full, bare = roi_report(scope), roi_report(scope, funnel=False)
    assert [row.key for row in full.rows] == [row.key for row in bare.rows]
    for shown, plain in zip([*full.rows, full.totals], [*bare.rows, bare.totals], strict=True):
        assert shown.won > 0
        unfunnelled = replace(shown, working=0, won=0, lost=0, median_days_to_customer=None)
        assert unfunnelled == plain
        assert plain.win_rate is None


def test_the_csv_ends_with_the_funnel(client, manager, partners):
    a, b = partners
    lead([a, b], oct(5), LeadStatus.CUSTOMER, days=10)
    lead([a], oct(6), LeadStatus.LOST)
    lead([b], oct(7), LeadStatus.WORKING)
    response = client.get(f"{URL}?{OCT}&model=linear&format=csv", headers=manager)
    lines = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    header, *body, total = lines
    assert header[-5:] == list(FUNNEL)
    assert header[:7] == [
        "key",
        "label",
        "clicks",
        "registrations",
        "attendees",
        "leads",
        "customers",
    ]
    by_key = {line[0]: dict(zip(header, line, strict=True)) for line in body}
    assert [by_key[str(a.id)][name] for name in FUNNEL] == ["0.0", "0.5", "1.0", "0.3333", "10.0"]
    assert [by_key[str(b.id)][name] for name in FUNNEL] == ["1.0", "0.5", "0.0", "1.0", "10.0"]
    assert total[-5:] == ["1.0", "1.0", "1.0", "0.5", "10.0"]


def test_the_openapi_document_declares_the_funnel(client):
    schemas = client.get("/api/openapi.json").json["components"]["schemas"]
    for name in ("RoiRow", "RoiFigures"):
        properties = schemas[name]["properties"]
        for field in FUNNEL:
            assert field in properties, (name, field)
        assert properties["won"]["type"] == "number"
        assert "description" in properties["won"]
        for nullable in ("win_rate", "median_days_to_customer"):
            assert properties[nullable]["type"] == "number"
            assert properties[nullable]["nullable"] is True


def test_win_rate_comes_from_the_unrounded_credits_and_totals_sum_the_rows():
    third = Decimal(1) / 3
    rows = [
        RoiRow.of(1, "A", Figures(leads=Decimal(1), won=third, lost=2 * third)),
        RoiRow.of(2, "B", Figures(leads=Decimal(1), won=2 * third, lost=third)),
        RoiRow.of(3, "C", Figures(leads=Decimal(1), working=Decimal(1))),
    ]
    assert (rows[0].won, rows[0].lost, rows[0].win_rate) == (
        Decimal("0.3333"),
        Decimal("0.6667"),
        Decimal("0.3333"),
    )
    assert rows[2].win_rate is None
    totals = RoiRow.total(rows, "Total")
    assert (totals.working, totals.won, totals.lost) == (1, 1, 1)
    assert totals.win_rate == Decimal("0.5")
    tiny = RoiRow.of(4, "D", Figures(won=Decimal("0.00004")))
    assert (tiny.won, tiny.win_rate) == (0, None)  # nothing shown won or lost: no rate


@pytest.fixture
def staff(client, make):
    def as_user(locale):
        user = make.user(Role.MANAGER)
        user.locale = locale
        db.session.commit()
        login(client, user)
        return user

    return as_user


def table(page: str) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The headers, the body rows by their name cell, the footer of the ROI table."""

    def cells(fragment: str, tag: str = "t[dh]") -> list[str]:
        found = re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", fragment, re.S)
        text = (re.sub(r"<[^>]+>", " ", cell) for cell in found)
        return [html.unescape(re.sub(r"\s+", " ", value)).strip() for value in text]

    found = re.search(r'<table class="[^"]*roi-table[^"]*">(.*?)</table>', page, re.S)
    assert found
    part = found.group(1)
    head = cells(re.search(r"<thead>(.*?)</thead>", part, re.S).group(1), "th")
    body = re.search(r"<tbody>(.*?)</tbody>", part, re.S).group(1)
    rows = [cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
    foot = cells(re.search(r"<tfoot>(.*?)</tfoot>", part, re.S).group(1))
    return head, {row[0].removesuffix(" ↗"): row for row in rows}, foot


def test_the_dashboard_shows_the_funnel_after_the_leads(client, staff, partners):
    a, b = partners
    lead([a, b], oct(5), LeadStatus.CUSTOMER, days=10)
    lead([a], oct(6), LeadStatus.LOST)
    staff("en")
    page = client.get(f"/reports?{OCT}&model=linear").text
    head, rows, foot = table(page)
    start = head.index("Leads")
    assert head[start : start + 7] == [
        "Leads",
        "Working",
        "Won",
        "Lost",
        "Win rate",
        "Days to customer (median)",
        "Customers",
    ]
    assert rows["А"][start : start + 6] == ["1.5", "0", "0.5", "1", "33%", "10.0"]
    assert rows["Б"][start : start + 6] == ["0.5", "0", "0.5", "0", "100%", "10.0"]
    assert foot[start : start + 6] == ["2", "0", "1", "1", "50%", "10.0"]
    assert "Customers count the first payments made in the period." in page

    by_rate = client.get(f"/reports?{OCT}&model=linear&sort=win_rate&order=desc").text
    assert list(table(by_rate)[1]) == ["Б", "А"]  # 100 % before 33 %
    assert 'aria-sort="descending"' in by_rate


def test_the_dashboard_formats_the_funnel_for_the_reader(client, staff, partners):
    a, _ = partners
    lead([a], oct(5), LeadStatus.CUSTOMER, days=8.5)
    lead([a], oct(6), LeadStatus.CUSTOMER, days=3)
    lead([a], oct(7), LeadStatus.LOST)
    staff("ru")
    head, rows, _ = table(client.get(f"/reports?{OCT}").text)
    start = head.index("Лиды")
    # 2 won of 3 closed: 67 %; whole days (3 + 8) / 2 = 5.5, with a decimal comma.
    win_rate, days = rows["А"][start + 4 : start + 6]
    assert re.fullmatch(r"67\s?%", win_rate.replace("\xa0", " ")), win_rate
    assert days == "5,5"

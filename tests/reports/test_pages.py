"""The staff report pages over the October 2026 story (see ``test_roi``'s docstring): the
dashboard (KPIs with growth, charts, sortable table, CSV), the drill-down to the leads of a row,
the per-webinar and per-partner reports; bad parameters and partner users."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date
from decimal import Decimal

import pytest

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.reports.forms import preset_period
from comarketing.reports.pages import growth, kpis
from comarketing.reports.periods import Period
from comarketing.reports.roi import RoiRow
from comarketing.spend.services import record_spend
from tests.factories import login

OCT = "from=2026-10-01&to=2026-10-31"


@pytest.fixture
def manager(client, make):
    user = make.user(Role.MANAGER)
    user.locale = "en"  # the assertions read English messages and number formats
    db.session.commit()
    login(client, user)
    return user


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def table_rows(page: str, css_class: str = "roi-table") -> tuple[list[list[str]], list[str]]:
    """The body rows (cell texts) and the footer row of the first table with ``css_class``."""
    table = re.search(rf'<table class="[^"]*{css_class}[^"]*">(.*?)</table>', page, re.S)
    assert table, f"no table.{css_class}"

    def cells(row: str) -> list[str]:
        return [text_of(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]

    body = re.search(r"<tbody>(.*?)</tbody>", table.group(1), re.S)
    foot = re.search(r"<tfoot>(.*?)</tfoot>", table.group(1), re.S)
    rows = [cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)]
    return rows, cells(foot.group(1)) if foot else []


def names(rows: list[list[str]]) -> list[str]:
    return [row[0].removesuffix(" ↗") for row in rows]


def kpi_text(page: str, name: str) -> str:
    tile = re.search(rf'data-kpi="{name}">(.*?)</div>\s*</div>\s*</div>', page, re.S)
    assert tile, f"no KPI tile {name}"
    return text_of(tile.group(1))


def test_every_page_renders_for_a_manager(client, manager, story):
    page = client.get(f"/reports?{OCT}")
    assert page.status_code == 200
    rows, totals = table_rows(page.text)
    assert names(rows) == ["Партнёр Б", "Партнёр А", "Unattributed"]  # by vendor spend
    assert totals[0] == "Total"
    assert totals[4] == "3"
    for chart_id in ("reports-monthly-chart", "reports-roi-chart", "reports-models-chart"):
        assert f'<svg id="{chart_id}"' in page.text or f'id="{chart_id}"' in page.text
        assert f"/reports/charts/{chart_id}.css" in page.text
    assert "<script" not in page.text.split("</main>")[0]
    assert "<style" not in page.text
    assert " style=" not in page.text
    assert kpi_text(page.text, "roi").startswith("ROI 233%")  # (10000 − 5000 − 1500) / 1500

    for group_by in ("partner", "segment", "campaign", "webinar", "channel", "month"):
        for model in ("first_touch", "time_decay"):
            response = client.get(f"/reports?{OCT}&group_by={group_by}&model={model}")
            assert response.status_code == 200, (group_by, model)
    assert "Директ" in client.get(f"/reports?{OCT}&group_by=campaign").text
    segment = client.get(f"/reports?{OCT}&segment=amocrm")
    assert names(table_rows(segment.text)[0]) == ["Партнёр А"]
    for preset in ("this_month", "last_month", "last_30_days", "last_90_days", "this_quarter"):
        assert client.get(f"/reports?period={preset}").status_code == 200
    assert client.get("/reports").status_code == 200


def test_kpi_growth_against_the_previous_period_of_the_same_length(client, manager, story):
    # 16–31 Oct (16 days) against 30 Sep – 15 Oct: leads 1 (L2) against 2 (L1, L3); vendor
    # spend 0 against 1,500.00; revenue 10,000.00 against nothing.
    page = client.get("/reports?from=2026-10-16&to=2026-10-31").text
    assert "30 Sep 2026 – 15 Oct 2026" in page
    assert "-50%" in kpi_text(page, "leads")
    assert "▼" in kpi_text(page, "leads")
    assert "-100%" in kpi_text(page, "spend_vendor")
    assert "no figure to compare with" in kpi_text(page, "revenue")
    assert growth(None, 1) is None
    assert growth(1, 0) is None
    assert str(growth(3, 2)) == "0.5"
    assert str(growth(-1, -2)) == "0.5"  # a loss halved is growth


def test_roi_changes_in_percentage_points():
    now = RoiRow(key=None, label="", revenue=Decimal(3000), spend_vendor=Decimal(1000))
    before = RoiRow(key=None, label="", revenue=Decimal(1500), spend_vendor=Decimal(1000))
    tiles = {tile.name: tile for tile in kpis(now, before)}
    assert (tiles["roi"].value, tiles["roi"].growth) == (Decimal(2), Decimal("1.5"))
    assert tiles["roi"].in_points
    assert tiles["revenue"].growth == 1
    assert tiles["spend_vendor"].growth == 0
    assert tiles["leads"].growth is None  # no leads before: nothing to compare with


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Партнёр Б", "Партнёр А", "Unattributed"]),
        ("&sort=label&order=asc", ["Партнёр А", "Партнёр Б", "Unattributed"]),
        ("&sort=label&order=desc", ["Партнёр Б", "Партнёр А", "Unattributed"]),
        ("&sort=clicks", ["Партнёр А", "Партнёр Б", "Unattributed"]),  # 3 against 2
        ("&sort=clicks&order=asc", ["Партнёр Б", "Партнёр А", "Unattributed"]),
        ("&sort=cpl&order=asc", ["Партнёр Б", "Партнёр А", "Unattributed"]),  # 600 < 1,200
        ("&sort=nonsense", ["Партнёр Б", "Партнёр А", "Unattributed"]),
    ],
)
def test_sorting_changes_the_order_and_keeps_the_unattributed_row_last(
    client, manager, story, query, expected
):
    page = client.get(f"/reports?{OCT}{query}")
    assert page.status_code == 200
    assert names(table_rows(page.text)[0]) == expected


def test_months_are_in_calendar_order_unless_sorted(client, manager, story):
    record_spend(
        amount=Decimal(2000), spent_on=date(2026, 11, 10), paid_by="vendor", campaign_id=story["C1"]
    )
    db.session.commit()
    url = "/reports?from=2026-09-01&to=2026-11-30&group_by=month"
    assert names(table_rows(client.get(url).text)[0]) == ["2026-10", "2026-11"]
    by_spend = client.get(f"{url}&sort=spend_vendor")
    assert names(table_rows(by_spend.text)[0]) == ["2026-11", "2026-10"]


def test_the_sorted_header_links_to_the_other_order(client, manager, story):
    page = client.get(f"/reports?{OCT}&sort=clicks&order=desc").text
    header = re.search(r'<a href="([^"]*sort=clicks[^"]*)">Clicks</a>', page)
    assert header
    assert "order=asc" in html.unescape(header.group(1))
    assert 'aria-sort="descending"' in page


def drill(client, story, model, key, group_by="partner", period=OCT):
    page = client.get(f"/reports/leads?{period}&group_by={group_by}&model={model}&key={key}")
    assert page.status_code == 200, page.text
    rows, _ = table_rows(page.text, "drill-down")
    return {row[0].split()[-1]: row[-1] for row in rows}, page.text  # e-mail: credit


def test_the_drill_down_lists_exactly_the_leads_of_a_row_with_their_credit(client, manager, story):
    a, b = story["A"], story["B"]
    assert drill(client, story, "linear", a)[0] == {"l1@example.com": "0.5"}
    leads_b, page = drill(client, story, "linear", b)
    assert leads_b == {"l3@example.com": "1", "l1@example.com": "0.5"}
    assert "/leads/" in page  # each lead links to its card
    assert drill(client, story, "first_touch", a)[0] == {"l1@example.com": "1"}
    assert drill(client, story, "time_decay", a)[0] == {"l1@example.com": "0.2"}
    assert drill(client, story, "linear", "none")[0] == {"l2@example.com": "1"}
    assert len(drill(client, story, "linear", "2026-10", group_by="month")[0]) == 3
    assert len(drill(client, story, "linear", "amocrm", group_by="segment")[0]) == 1
    november = client.get(f"/reports/leads?from=2026-11-01&to=2026-11-30&key={a}")
    assert "No lead created in the period is credited to this row." in november.text


def test_the_dashboard_rows_link_to_their_drill_down(client, manager, story):
    page = html.unescape(client.get(f"/reports?{OCT}&model=time_decay").text)
    for key in (story["A"], story["B"], "none"):
        query = "group_by=partner&model=time_decay&from=2026-10-01&to=2026-10-31"
        assert f"/reports/leads?key={key}&{query}" in page


def test_a_drill_down_lead_links_to_its_card(client, manager, story):
    _, page = drill(client, story, "linear", story["A"])
    lead_link = re.search(r'href="/leads/(\d+)"', page)
    assert lead_link
    assert "l1@example.com" in client.get(f"/leads/{lead_link.group(1)}").text


def test_the_partner_drill_down_stays_within_the_partner(client, manager, story):
    page = client.get(
        f"/reports/leads?{OCT}&group_by=month&model=linear&key=2026-10&partner={story['A']}"
    )
    rows, _ = table_rows(page.text, "drill-down")
    assert [row[0].split()[-1] for row in rows] == ["l1@example.com"]


@pytest.mark.parametrize("sort", ["", "&sort=label&order=asc", "&sort=roi&order=desc"])
def test_the_csv_is_what_is_on_screen(client, manager, story, sort):
    page = client.get(f"/reports?{OCT}&model=time_decay{sort}").text
    csv_link = re.search(r'href="(/reports/roi\.csv\?[^"]*)"', page)
    assert csv_link
    response = client.get(html.unescape(csv_link.group(1)))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    header, body, total = lines[0], lines[1:-1], lines[-1]
    rows, totals = table_rows(page)
    assert [line[1] for line in body] == names(rows)
    assert total[1] == "Total" == totals[0]
    clicks, leads = header.index("clicks"), header.index("leads")
    # Screen columns: name, clicks, registrations, attendees, leads …
    assert [line[clicks] for line in body] == [row[1] for row in rows]
    assert [f"{float(line[leads]):g}" for line in body] == [row[4] for row in rows]
    assert body[0][header.index("spend_vendor")] in ("900.00", "600.00", "0.00")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"/reports?{OCT}&model=magic", "Unknown attribution model."),
        (f"/reports?{OCT}&group_by=colour", "Unknown grouping."),
        ("/reports?from=2026-10-31&to=2026-10-01", "The period cannot end before it starts."),
        ("/reports?from=31.10.2026&to=2026-11-01", "Not a valid date value."),
        ("/reports?from=2026-02-30", "Not a valid date value."),
        ("/reports?from=2026-10-01", "Enter both dates of a custom period."),
        ("/reports?period=decade", "Unknown period."),
        (f"/reports?{OCT}&segment=nowhere", "Unknown segment."),
        (f"/reports/roi.csv?{OCT}&model=magic", "Unknown attribution model."),
        ("/reports/webinars?from=2026-10-31&to=2026-10-01", "The period cannot end before"),
        (f"/reports/leads?{OCT}&group_by=partner", "Choose a row of the report."),
        (f"/reports/leads?{OCT}&group_by=partner&key=abc", "This row is not in the report."),
        (f"/reports/leads?{OCT}&group_by=month&key=2026-13", "This row is not in the report."),
        (f"/reports/leads?{OCT}&group_by=partner&key=99999999999", "This row is not in the"),
        (f"/reports/leads?{OCT}&group_by=webinar&key=99999", "This row is not in the report."),
        (f"/reports/leads?{OCT}&model=x&key=1", "Unknown attribution model."),
        (f"/reports/leads?{OCT}&key=1&partner=99999999999", "Unknown partner."),
        (f"/reports/leads?{OCT}&key=1&partner=99999", "Unknown partner."),
    ],
)
def test_bad_parameters_show_the_page_with_an_error(client, manager, story, url, message):
    response = client.get(url)
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert message in html.unescape(response.text)
    assert 'class="alert alert-danger"' in response.text


def test_bad_parameters_on_the_partner_page(client, manager, story):
    response = client.get(f"/reports/partners/{story['A']}?from=zz")
    assert response.status_code == 422
    assert "Not a valid date value." in response.text
    assert client.get(f"/reports/partners/99999?{OCT}").status_code == 404


def test_the_webinars_report(client, manager, story):
    page = client.get(f"/reports/webinars?{OCT}")
    assert page.status_code == 200
    rows, totals = table_rows(page.text, "webinars-report")
    # Вебинар (20 Oct, 11:00 Moscow): 1 registration who attended, L3 credited (1 lead, paid in
    # November: no customer in October), the vendor's 500.00.
    assert rows == [
        ["Вебинар", "20 Oct 2026, 11:00", "1", "100%", "1", "0", "RUB0.00", "RUB500.00"]
    ]
    assert totals[0] == "Total"
    november = client.get("/reports/webinars?from=2026-11-01&to=2026-11-30")
    assert "No webinar was held in the period." in november.text


def test_the_partner_report(client, manager, story):
    page = client.get(f"/reports/partners/{story['B']}?{OCT}&model=linear")
    assert page.status_code == 200
    assert "Партнёр Б" in page.text
    assert kpi_text(page.text, "leads").startswith("Leads 1.5")
    assert kpi_text(page.text, "spend_vendor").startswith("Vendor spend RUB900.00")
    by_month, month_totals = table_rows(page.text)
    assert by_month[0][:5] == ["2026-10", "2", "1", "1", "1.5"]
    campaign_table = page.text.split("By campaign", 1)[1]
    by_campaign, _ = table_rows(campaign_table)
    assert names(by_campaign) == ["Директ", "Unattributed"]  # L3 came through the webinar
    assert 'id="reports-monthly-chart"' in page.text


def test_the_chart_stylesheets(client, manager):
    for chart_id in ("reports-monthly-chart", "reports-roi-chart", "reports-models-chart"):
        css = client.get(f"/reports/charts/{chart_id}.css")
        assert css.mimetype == "text/css"
        assert f"#{chart_id}" in css.text
        assert "max-age" in css.headers["Cache-Control"]
        assert "chart-" not in css.text.replace(f"{chart_id}", "")
    assert client.get("/reports/charts/links-daily-chart.css").status_code == 404


def test_who_may_open_the_pages(client, make, story):
    urls = [
        f"/reports?{OCT}",
        f"/reports/roi.csv?{OCT}",
        f"/reports/leads?{OCT}&key={story['A']}",
        f"/reports/webinars?{OCT}",
        f"/reports/partners/{story['A']}",
    ]
    for url in urls:
        assert "/login" in client.get(url).headers["Location"]
    partner_user = make.user(Role.PARTNER, partner=db.session.get(Partner, story["A"]))
    login(client, partner_user)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/portal")


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        ("this_month", date(2026, 11, 1), date(2026, 11, 14)),
        ("last_month", date(2026, 10, 1), date(2026, 10, 31)),
        ("last_30_days", date(2026, 10, 16), date(2026, 11, 14)),
        ("last_90_days", date(2026, 8, 17), date(2026, 11, 14)),
        ("this_quarter", date(2026, 10, 1), date(2026, 11, 14)),
        ("this_year", date(2026, 1, 1), date(2026, 11, 14)),
    ],
)
def test_period_presets(preset, start, end):
    assert preset_period(preset, date(2026, 11, 14)) == Period(start, end)


def test_last_month_in_january():
    assert preset_period("last_month", date(2027, 1, 5)) == Period(
        date(2026, 12, 1), date(2026, 12, 31)
    )

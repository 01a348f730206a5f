"""Growth on the report tiles compares like with like (issue 24): the days of a period that
have happened against the same days of the period before, and each tile names them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.leads.models import ConversionKind
from comarketing.leads.services import Submission, record_submission
from comarketing.reports.periods import Period
from tests.factories import login
from tests.reports.test_pages import kpi_text


@pytest.mark.parametrize(
    ("period", "today", "compared"),
    [
        # A month so far: the same days of last month, not all of it.
        ((date(2026, 12, 1), date(2026, 12, 4)), None, (date(2026, 11, 1), date(2026, 11, 4))),
        # A whole month chosen on its 4th: only 1–4 December happened.
        (
            (date(2026, 12, 1), date(2026, 12, 31)),
            date(2026, 12, 4),
            (date(2026, 11, 1), date(2026, 11, 4)),
        ),
        # Whole months against whole months, whatever their lengths.
        ((date(2026, 11, 1), date(2026, 11, 30)), None, (date(2026, 10, 1), date(2026, 10, 31))),
        ((date(2027, 3, 1), date(2027, 3, 31)), None, (date(2027, 2, 1), date(2027, 2, 28))),
        ((date(2027, 3, 1), date(2027, 3, 30)), None, (date(2027, 2, 1), date(2027, 2, 28))),
        # A quarter so far, a year so far.
        ((date(2026, 10, 1), date(2026, 12, 4)), None, (date(2026, 7, 1), date(2026, 9, 4))),
        ((date(2026, 1, 1), date(2026, 12, 4)), None, (date(2025, 1, 1), date(2025, 12, 4))),
        # Days not from a 1st: as many days just before.
        ((date(2026, 11, 5), date(2026, 12, 4)), None, (date(2026, 10, 6), date(2026, 11, 4))),
        (
            (date(2026, 11, 20), date(2026, 12, 31)),
            date(2026, 12, 4),
            (date(2026, 11, 5), date(2026, 11, 19)),
        ),
    ],
)
def test_the_period_compared_with(period, today, compared):
    assert Period(*period).previous(today) == Period(*compared)


@pytest.fixture
def leads_in_november_and_december(make, time_machine):
    """Leads on 2 and 20 November and on 2 December, the clock then stopped on 4 December."""
    for number, (month, day) in enumerate([(11, 2), (11, 20), (12, 2)]):
        time_machine.move_to(datetime(2026, month, day, 9, tzinfo=UTC), tick=False)
        record_submission(Submission(kind=ConversionKind.API, email=f"cmp{number}@client.example"))
    db.session.commit()
    time_machine.move_to(datetime(2026, 12, 4, 12, tzinfo=UTC), tick=False)


def test_a_month_so_far_is_compared_with_the_same_days_of_last_month(
    client, make, leads_in_november_and_december
):
    """On 4 December, December chosen whole: its one lead against the one of 1–4 November
    (the old comparison, all of November's two leads, read −50 %)."""
    user = make.user(Role.MANAGER)
    user.locale = "en"
    db.session.commit()
    login(client, user)
    for query in ("period=this_month", "from=2026-12-01&to=2026-12-31"):
        page = client.get(f"/reports?{query}").text
        leads = kpi_text(page, "leads")
        assert leads.startswith("Leads 1"), leads
        assert "= 0%" in leads, leads
        assert "vs 1 Nov – 4 Nov 2026" in leads, leads
        assert "compared with 1 Nov 2026 – 4 Nov 2026" in page

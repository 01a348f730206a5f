"""The ROI report against figures worked out by hand, for every model and every group-by.

The story (October 2026, all UTC):
- partners A (amoCRM, 50 %) and B (Bitrix24, 40 %); campaign C1 (Yandex Direct) with both,
  cost shares 0.6 / 0.4; webinar W1 (20 Oct) co-hosted by B, in no campaign;
- L1: met A at an event on 1 Oct (offline touch, campaign C1), converts through B's UTM tags
  on 15 Oct (campaign C1) → owner A; pays 10,000.00 on 25 Oct (commission 5,000.00 to A);
- L2: converts on 20 Oct with no partner at all (unattributed);
- L3: registers for W1 through B's UTM tags on 10 Oct, attends on 20 Oct, pays 20,000.00 on
  2 Nov (outside the period);
- spend: the vendor 1,000.00 on C1 (split 600 / 400), B 300.00 on C1, the vendor 500.00 on W1;
- clicks in October: 3 human + 1 bot on A's C1 link, 2 human on B's; 1 more in November.

L1's credits: first_touch A 1; last_touch B 1; linear ½ ½; position_based (two touches) ½ ½;
time_decay 14 days apart with a 7-day half-life: weights ¼ and 1 → A 0.2, B 0.8.
"""

from decimal import Decimal

import pytest

from comarketing.core.auth import Role
from tests.factories import bearer

MODELS = ("first_touch", "last_touch", "linear", "time_decay", "position_based")
L1_SHARES = {  # (A, B)
    "first_touch": ("1", "0"),
    "last_touch": ("0", "1"),
    "linear": ("0.5", "0.5"),
    "time_decay": ("0.2", "0.8"),
    "position_based": ("0.5", "0.5"),
}


def keys_of(story, group_by):
    return {
        "partner": {"A": story["A"], "B": story["B"]},
        "segment": {"A": "amocrm", "B": "bitrix24"},
    }.get(group_by, {})


def expected(story, model, group_by):
    """key → the figures that should be on its row (fields left out must be 0)."""
    share_a, share_b = (Decimal(x) for x in L1_SHARES[model])
    d = Decimal
    if group_by in ("partner", "segment"):
        k = keys_of(story, group_by)
        return {
            k["A"]: {
                "leads": share_a,
                "customers": share_a,
                "revenue": 10000 * share_a,
                "commissions": 5000 * share_a,
                "clicks": 3,
                "spend_vendor": d(600),
            },
            k["B"]: {
                "leads": share_b + 1,
                "customers": share_b,
                "revenue": 10000 * share_b,
                "commissions": 5000 * share_b,
                "clicks": 2,
                "registrations": 1,
                "attendees": 1,
                "spend_vendor": d(900),
                "spend_partner": d(300),
            },
            None: {"leads": d(1)},
        }
    if group_by == "campaign":
        return {
            story["C1"]: {
                "leads": d(1),
                "customers": d(1),
                "revenue": d(10000),
                "commissions": d(5000),
                "clicks": 5,
                "spend_vendor": d(1000),
                "spend_partner": d(300),
            },
            None: {"leads": d(2), "registrations": 1, "attendees": 1, "spend_vendor": d(500)},
        }
    if group_by == "webinar":
        return {
            story["W1"]: {
                "leads": d(1),
                "registrations": 1,
                "attendees": 1,
                "spend_vendor": d(500),
            },
            None: {
                "leads": d(2),
                "customers": d(1),
                "revenue": d(10000),
                "commissions": d(5000),
                "clicks": 5,
                "spend_vendor": d(1000),
                "spend_partner": d(300),
            },
        }
    if group_by == "channel":
        return {
            "event": {
                "leads": share_a,
                "customers": share_a,
                "revenue": 10000 * share_a,
                "commissions": 5000 * share_a,
            },
            "yandex_direct": {
                "leads": share_b,
                "customers": share_b,
                "revenue": 10000 * share_b,
                "commissions": 5000 * share_b,
                "clicks": 5,
                "spend_vendor": d(1000),
                "spend_partner": d(300),
            },
            "webinar": {"leads": d(1), "registrations": 1, "attendees": 1, "spend_vendor": d(500)},
            None: {"leads": d(1)},
        }
    return {  # month
        "2026-10": {
            "leads": d(3),
            "customers": d(1),
            "revenue": d(10000),
            "commissions": d(5000),
            "clicks": 5,
            "registrations": 1,
            "attendees": 1,
            "spend_vendor": d(1500),
            "spend_partner": d(300),
        },
    }


FIGURES = (
    "clicks",
    "registrations",
    "attendees",
    "leads",
    "customers",
    "revenue",
    "commissions",
    "spend_vendor",
    "spend_partner",
)


def as_number(field, value):
    return Decimal(str(value)) if field not in ("clicks", "registrations", "attendees") else value


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(
    "group_by", ["partner", "segment", "campaign", "webinar", "channel", "month"]
)
def test_report_matches_hand_computed_figures(client, make, story, model, group_by):
    token = bearer(make.token(make.user(Role.MANAGER)))
    response = client.get(
        f"/api/v1/reports/roi?group_by={group_by}&model={model}&from=2026-10-01&to=2026-10-31",
        headers=token | {"Accept-Language": "en"},
    )
    assert response.status_code == 200, response.json
    rows = {row["key"]: row for row in response.json["rows"]}
    want = expected(story, model, group_by)
    # Rows with nothing but zeros may be left out; every other expected row must be there.
    required = {key for key, figures in want.items() if any(figures.values())}
    assert required <= set(rows), (required, set(rows))
    for key, row in rows.items():
        figures = want.get(key, {})
        for field in FIGURES:
            assert as_number(field, row[field]) == figures.get(field, 0), (key, field, row)
    totals = response.json["totals"]
    for field in FIGURES:
        assert as_number(field, totals[field]) == sum(
            as_number(field, r[field]) for r in rows.values()
        )
    if None in rows:
        assert rows[None]["label"] == "Unattributed"

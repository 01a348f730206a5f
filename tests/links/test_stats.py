"""Figures of a link (contract §3 ``GET /links/{id}/stats``, §4): human clicks without
de-duplication, bot clicks apart, distinct visitors, leads, clicks per UTC day — checked by
hand against rows written here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.leads.link_stats import link_stats
from comarketing.leads.models import Conversion, ConversionKind, Lead, TouchKind, Touchpoint
from comarketing.links.models import Click
from tests.factories import bearer

V1, V2, V3, V4, V5 = (f"{n:032x}" for n in range(1, 6))


def at(text_: str) -> datetime:
    return datetime.fromisoformat(text_).replace(tzinfo=UTC)


def click(link, when: str, visitor: str, *, bot: bool = False, qr: bool = False) -> Click:
    row = Click(link_id=link.id, clicked_at=at(when), visitor_id=visitor, is_bot=bot, via_qr=qr)
    db.session.add(row)
    db.session.flush()
    return row


def lead(number: int) -> Lead:
    row = Lead(email=f"lead{number}@example.com")
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def figures(new_link, dialect):
    """One link with clicks from 1 to 5 March 2026 (UTC) and leads around them."""
    if dialect == "postgresql":  # days are UTC days whatever the session's zone
        db.session.execute(text("SET TIME ZONE 'Asia/Vladivostok'"))
    link, other = new_link(), new_link()
    a1 = click(link, "2026-03-02 10:00:00", V1)
    click(link, "2026-03-02 11:00:00", V1)  # the same visitor again: still a click
    b = click(link, "2026-03-02 23:59:59.999999", V2, qr=True)
    click(link, "2026-03-02 12:00:00", V3, bot=True)
    c = click(link, "2026-03-04 00:00:00", V1)
    click(link, "2026-03-04 01:00:00", V3, bot=True)
    click(link, "2026-03-01 23:59:59", V4)  # before the period
    click(link, "2026-03-05 00:00:00", V5)  # after it
    other_click = click(other, "2026-03-02 10:00:00", V1)

    def touch(lead_, when, link_, click_=None):
        db.session.add(Touchpoint(
            lead_id=lead_.id, kind=TouchKind.CLICK, occurred_at=at(when), link_id=link_.id,
            partner_id=link_.partner_id, click_id=click_.id if click_ else None,
        ))  # fmt: skip

    def convert(lead_, when, click_):
        db.session.add(Conversion(lead_id=lead_.id, kind=ConversionKind.FORM,
                                  occurred_at=at(when), click_id=click_.id))  # fmt: skip

    touch(lead(1), "2026-03-02 10:00:00", link, a1)  # counted
    l2 = lead(2)
    touch(l2, "2026-03-04 00:00:00", link, c)
    convert(l2, "2026-03-04 00:05:00", c)  # a touch and a conversion: one lead
    touch(lead(3), "2026-03-02 10:00:00", other, other_click)  # another link's lead
    touch(lead(4), "2026-03-10 09:00:00", link)  # outside the period
    convert(lead(5), "2026-03-03 08:00:00", b)  # a conversion through the link's click only
    db.session.commit()
    return link


def test_figures_of_a_period(figures):
    stats = link_stats(figures.id, at("2026-03-02 00:00").date(), at("2026-03-04 00:00").date())
    assert (stats.clicks, stats.bot_clicks, stats.qr_clicks, stats.visitors, stats.leads) == (
        4, 2, 1, 2, 3,
    )  # fmt: skip
    assert [(d.day.isoformat(), d.clicks, d.bot_clicks, d.qr_clicks) for d in stats.by_day] == [
        ("2026-03-02", 3, 1, 1),
        ("2026-03-03", 0, 0, 0),
        ("2026-03-04", 1, 1, 0),
    ]


def test_figures_of_all_time(figures):
    stats = link_stats(figures.id)
    assert (stats.clicks, stats.bot_clicks, stats.visitors, stats.leads) == (6, 2, 4, 4)
    assert [d.day.isoformat() for d in stats.by_day] == [
        "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05",
    ]  # fmt: skip
    assert sum(d.clicks for d in stats.by_day) == stats.clicks


def test_a_link_without_clicks(new_link):
    stats = link_stats(new_link().id)
    assert (stats.clicks, stats.bot_clicks, stats.visitors, stats.leads, stats.by_day) == (
        0, 0, 0, 0, [],
    )  # fmt: skip


def test_stats_through_the_api(client, make, figures):
    token = bearer(make.token(make.user(Role.MARKETER)))
    url = f"/api/v1/links/{figures.id}/stats"
    body = client.get(f"{url}?from=2026-03-02&to=2026-03-04", headers=token).json
    assert body == {
        "link_id": figures.id, "from": "2026-03-02", "to": "2026-03-04",
        "clicks": 4, "suspicious_clicks": 0, "bot_clicks": 2, "qr_clicks": 1, "visitors": 2,
        "leads": 3,
        "by_day": [
            {"date": "2026-03-02", "clicks": 3, "bot_clicks": 1, "qr_clicks": 1},
            {"date": "2026-03-03", "clicks": 0, "bot_clicks": 0, "qr_clicks": 0},
            {"date": "2026-03-04", "clicks": 1, "bot_clicks": 1, "qr_clicks": 0},
        ],
    }  # fmt: skip
    everything = client.get(url, headers=token).json
    assert everything["from"] is None
    assert everything["clicks"] == 6
    partner_token = bearer(make.token(make.user(Role.PARTNER, partner=figures.partner)))
    assert client.get(url, headers=partner_token).json["clicks"] == 6


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-03-05&to=2026-03-01", "to"),
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2000-01-01&to=2030-01-01", "to"),
    ],
)
def test_bad_periods_are_422(client, make, new_link, query, field):
    token = bearer(make.token(make.user(Role.MARKETER)))
    response = client.get(f"/api/v1/links/{new_link().id}/stats?{query}", headers=token)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]

"""Dynamic number insertion's server side (issue 21, contract §10): a click holds a pool
number for DNI_HOLD_MINUTES after its last request; new clicks take free numbers, the least
recently used first; an exhausted pool hands out its least recently used number shared — held
for nobody — and counts the reuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from comarketing.calls.models import CallNumber, NumberKind
from comarketing.extensions import db
from comarketing.links.clickid import click_id_key, decode_click_id
from comarketing.links.services import issue_link

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0"}
LANDING = "https://lp.vendor.example"
NOON = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def pool(app):
    numbers = ["+74950000001", "+74950000002"]
    for number in numbers:
        db.session.add(CallNumber(number=number, kind=NumberKind.POOL))
    db.session.commit()
    return numbers


@pytest.fixture
def visit(app, client, make):
    partner = make.partner("Партнёр Б")
    campaign = make.campaign([partner], landing_url=f"{LANDING}/calls")
    link = issue_link(partner=partner, campaign=campaign, destination_url=f"{LANDING}/calls")
    db.session.commit()

    def new_click() -> str:
        redirect = client.get(f"/r/{link.code}", headers=BROWSER)
        return parse_qs(urlsplit(redirect.location).query)["cmclid"][0]

    return new_click


def ask(client, cmclid: str, origin: str | None = LANDING):
    headers = {"Origin": origin} if origin else {}
    return client.get(f"/dni/number?cmclid={cmclid}", headers=headers)


def test_a_click_keeps_its_number_while_it_asks(client, pool, visit, time_machine):
    time_machine.move_to(NOON, tick=False)
    first, second = visit(), visit()
    one = ask(client, first)
    assert one.status_code == 200
    assert one.json == {"number": pool[0], "held_until": "2026-12-03T09:30:00Z"}
    assert one.headers["Access-Control-Allow-Origin"] == LANDING
    assert one.headers["Cache-Control"] == "no-store"
    assert ask(client, second).json["number"] == pool[1]
    time_machine.move_to(NOON + timedelta(minutes=20), tick=False)
    again = ask(client, first).json
    assert again == {"number": pool[0], "held_until": "2026-12-03T09:50:00Z"}
    held = db.session.scalars(select(CallNumber).order_by(CallNumber.id)).all()
    click_key = click_id_key(app_secret(client))
    assert held[0].held_click_id == decode_click_id(first, click_key)
    assert held[1].held_click_id == decode_click_id(second, click_key)


def app_secret(client) -> str:
    return client.application.config["SECRET_KEY"]


def test_an_exhausted_pool_shares_its_least_recently_used_number(client, pool, visit, time_machine):
    time_machine.move_to(NOON, tick=False)
    first, second, third = visit(), visit(), visit()
    ask(client, first)
    time_machine.move_to(NOON + timedelta(minutes=1), tick=False)
    ask(client, second)
    time_machine.move_to(NOON + timedelta(minutes=2), tick=False)
    shared = ask(client, third).json
    assert shared["number"] == pool[0]  # the least recently used
    number = db.session.scalar(select(CallNumber).where(CallNumber.number == pool[0]))
    assert (number.held_click_id, number.reused_count) == (None, 1)
    # After the holds end, a click takes a free number again, held for it alone.
    time_machine.move_to(NOON + timedelta(minutes=40), tick=False)
    fresh = visit()
    assert ask(client, fresh).json["number"] == pool[1]
    db.session.expire_all()
    free = db.session.scalar(select(CallNumber).where(CallNumber.number == pool[1]))
    assert free.held_click_id == decode_click_id(fresh, click_id_key(app_secret(client)))


def test_only_a_real_click_gets_a_number_and_only_its_landing_origin_may_read_it(
    client, pool, visit
):
    assert ask(client, "forged.abc").status_code == 404
    assert ask(client, "").status_code == 404
    cmclid = visit()
    stranger = ask(client, cmclid, origin="https://evil.example")
    assert stranger.status_code == 200
    assert "Access-Control-Allow-Origin" not in stranger.headers


def test_without_pool_numbers_the_page_keeps_its_default(client, visit):
    answer = ask(client, visit())
    assert (answer.status_code, answer.json["error"]) == (404, "no_numbers")


def test_the_script_is_served_for_any_page(client):
    answer = client.get("/dni.js")
    assert answer.status_code == 200
    assert answer.mimetype == "text/javascript"
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "/dni/number?cmclid=" in answer.get_data(as_text=True)

"""Dynamic number insertion in a real browser (issue 21, contract §10): a landing page on
another origin, under a strict Content-Security-Policy of its own, loads ``/dni.js``; opened
through partner B's tracked link it shows a number of the pool instead of its default, in
the default's own layout, and its ``tel:`` link follows. A call to that number within the
hold is B's (its link and campaign); after the hold it is nobody's."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from comarketing.calls.models import Call, CallNumber, NumberKind
from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.links.services import issue_link
from tests.e2e.conftest import DESKTOP_USER_AGENT
from tests.factories import Factory, bearer
from tests.live import LiveServer

DEFAULT = "+7 (495) 000-00-00"
POOL = ["+74951110001", "+74951110002"]


def landing_server(app_origin: str) -> tuple[ThreadingHTTPServer, str]:
    """A vendor's landing page that allows scripts from the app's origin alone."""
    page = (
        "<!doctype html><html><head><title>Коллтрекинг</title>"
        f'<script src="{app_origin}/dni.js" data-default="{DEFAULT}"></script></head>'
        f'<body><h1>Позвоните нам</h1><p>Телефон: <a id="phone" href="tel:+74950000000">'
        f'{DEFAULT}</a></p><p data-dni id="marked">{DEFAULT}</p></body></html>'
    ).encode()
    policy = f"default-src 'none'; script-src {app_origin}; connect-src {app_origin}"

    class Landing(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's hook name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", policy)
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Landing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def dni_landing(live: LiveServer) -> Iterator[str]:
    server, origin = landing_server(live.url)
    try:
        yield origin
    finally:
        server.shutdown()
        server.server_close()


def post_call(live: LiveServer, token: dict[str, str], call_id: str, number: str, at: datetime):
    with live.app.test_client() as client:
        answer = client.post(
            "/api/v1/calls",
            json={"call_id": call_id, "tracking_number": number, "caller": "+79161234567",
                  "started_at": at.isoformat(), "duration_s": 60, "answered": True},
            headers=token,
        )  # fmt: skip
    assert answer.status_code == 201, answer.text
    with live.app.app_context():
        return db.session.scalar(select(Call).where(Call.call_id == call_id))


def test_the_landing_page_shows_a_pool_number_credited_to_the_partners_link(
    live: LiveServer, dni_landing: str, new_page: Callable[..., Page], time_machine
):
    make = Factory()
    with live.app.app_context():
        partner = make.partner("Партнёр Б")
        campaign = make.campaign([partner], landing_url=f"{dni_landing}/calls")
        link = issue_link(
            partner=partner, campaign=campaign, destination_url=f"{dni_landing}/calls"
        )
        for number in POOL:
            db.session.add(CallNumber(number=number, kind=NumberKind.POOL))
        db.session.commit()
        platform = bearer(make.token(make.user(Role.MARKETER), scope="calls"))
        code, link_id, partner_id = link.code, link.id, partner.id
        errors: list[str] = []

    visitor = new_page(user_agent=DESKTOP_USER_AGENT)
    visitor.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    visitor.goto(f"{live.url}/r/{code}")
    assert visitor.url.startswith(dni_landing)
    assert "cmclid=" in visitor.url
    expect(visitor.locator("#phone")).to_have_text("+7 (495) 111-00-01")
    expect(visitor.locator("#marked")).to_have_text("+7 (495) 111-00-01")
    assert visitor.locator("#phone").get_attribute("href") == f"tel:{POOL[0]}"
    assert errors == []  # the page's own CSP let the script and its request through

    with live.app.app_context():
        held = db.session.scalar(select(CallNumber).where(CallNumber.number == POOL[0]))
        held_until = held.held_until
        assert held.held_click_id is not None
    within = post_call(live, platform, "dni-1", POOL[0], datetime.now(UTC))
    assert (within.partner_id, within.link_id, within.credited) == (partner_id, link_id, True)
    # The visitor leaves; the hold runs out.
    visitor.close()
    time_machine.move_to(held_until + timedelta(minutes=5), tick=True)
    after = post_call(live, platform, "dni-2", POOL[0], held_until + timedelta(minutes=1))
    assert (after.partner_id, after.link_id, after.credited) == (None, None, False)

"""``GET /r/<code>`` (contract §4): the stored target plus ``cmclid``, one click per request,
``cm_vid``, bots apart, nothing from the request steering the redirect, and nothing of the
page machinery (session, user, locale selector, templates) on the way."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import appcontext_pushed, request_started, template_rendered
from sqlalchemy import func, select

from comarketing.extensions import db
from comarketing.links.clickid import click_id_key, decode_click_id
from comarketing.links.models import Click
from tests.links.test_bots import BOTS, BROWSERS

CHROME = BROWSERS["Chrome, Windows"]


def clicks_of(link) -> list[Click]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Click).where(Click.link_id == link.id).order_by(Click.id))
    )


def cmclid_of(response) -> str:
    return parse_qs(urlsplit(response.headers["Location"]).query)["cmclid"][0]


def test_redirects_to_the_stored_tagged_url_with_the_click_id(app, client, new_link):
    link = new_link()
    response = client.get(f"/r/{link.code}", headers={"User-Agent": CHROME})
    assert response.status_code == 302
    location = response.headers["Location"]
    before_fragment = link.tagged_url.split("#")[0]
    assert location.startswith(before_fragment + "&cmclid=")
    assert location.endswith("#form")  # the fragment stays last, after cmclid
    [click] = clicks_of(link)
    key = click_id_key(app.config["SECRET_KEY"])
    assert decode_click_id(cmclid_of(response), key) == click.id
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "query",
    [
        "url=https://evil.example/",
        "next=https://evil.example/&redirect=//evil.example",
        "destination_url=https%3A%2F%2Fevil.example&qr=1",
    ],
)
def test_no_query_parameter_changes_the_target(client, new_link, query):
    link = new_link()
    response = client.get(f"/r/{link.code}?{query}")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.netloc == "vendor.example"
    assert "evil" not in response.headers["Location"]


def test_every_request_is_one_click_with_its_details(app, client, new_link):
    link = new_link()
    ua = CHROME + " x" * 400  # longer than the column
    referrer = "https://t.me/s/channel?" + "q" * 2000
    response = client.get(
        f"/r/{link.code}",
        headers={"User-Agent": ua, "Referer": referrer},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert response.status_code == 302
    [click] = clicks_of(link)
    assert click.is_bot is False
    assert click.via_qr is False
    assert click.user_agent == ua[:512]
    assert click.referrer == referrer[:1024]
    assert re.fullmatch(r"[0-9a-f]{32}", click.visitor_id)
    salt = hashlib.sha256(b"comarketing.ip\x00" + app.config["SECRET_KEY"].encode()).digest()
    assert click.ip_hash == hashlib.sha256(salt + b"203.0.113.7").hexdigest()
    assert "203.0.113.7" not in (click.ip_hash or "")
    assert click.clicked_at.tzinfo is not None
    assert click.clicked_at.utcoffset().total_seconds() == 0


def test_clicks_are_not_de_duplicated(client, new_link):
    link = new_link()
    for _ in range(3):
        assert client.get(f"/r/{link.code}", headers={"User-Agent": CHROME}).status_code == 302
    assert len(clicks_of(link)) == 3


def test_qr_scans_are_marked(client, new_link):
    link = new_link()
    client.get(f"/r/{link.code}?qr=1", headers={"User-Agent": CHROME})
    client.get(f"/r/{link.code}?qr=0", headers={"User-Agent": CHROME})
    assert [click.via_qr for click in clicks_of(link)] == [True, False]


def visitor_cookie(response) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("cm_vid=")]
    return header


def test_a_new_visitor_gets_a_long_lived_first_party_cookie(client, new_link):
    link = new_link()
    response = client.get(f"/r/{link.code}", headers={"User-Agent": CHROME})
    header = visitor_cookie(response)
    value = header.split(";")[0].split("=", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{32}", value)
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Path=/" in header
    assert "Domain" not in header  # the tracking origin only
    max_age = int(re.search(r"Max-Age=(\d+)", header).group(1))
    assert max_age >= 365 * 24 * 3600
    assert response.headers.getlist("Set-Cookie") == [header]  # no session cookie
    [click] = clicks_of(link)
    assert click.visitor_id == value


def test_a_returning_visitor_keeps_its_cm_vid(client, new_link):
    link = new_link()
    client.set_cookie("cm_vid", "0123456789abcdef0123456789abcdef")
    first = client.get(f"/r/{link.code}", headers={"User-Agent": CHROME})
    second = client.get(f"/r/{link.code}?qr=1", headers={"User-Agent": CHROME})
    for response in (first, second):
        assert "cm_vid=0123456789abcdef0123456789abcdef;" in visitor_cookie(response)
    assert {click.visitor_id for click in clicks_of(link)} == {"0123456789abcdef0123456789abcdef"}


@pytest.mark.parametrize(
    "bad", ["not-hex", "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef", "x" * 40, ""]
)
def test_an_invalid_cm_vid_is_replaced(client, new_link, bad):
    link = new_link()
    client.set_cookie("cm_vid", bad)
    response = client.get(f"/r/{link.code}", headers={"User-Agent": CHROME})
    value = visitor_cookie(response).split(";")[0].split("=", 1)[1]
    assert value != bad
    assert re.fullmatch(r"[0-9a-f]{32}", value)
    assert clicks_of(link)[0].visitor_id == value


@pytest.mark.parametrize("agent", BOTS.values(), ids=BOTS.keys())
def test_bots_are_redirected_but_stored_as_bots(client, new_link, agent):
    link = new_link()
    response = client.get(f"/r/{link.code}", headers={"User-Agent": agent})
    assert response.status_code == 302
    assert [click.is_bot for click in clicks_of(link)] == [True]


@pytest.mark.parametrize("agent", BROWSERS.values(), ids=BROWSERS.keys())
def test_browsers_are_human_clicks(client, new_link, agent):
    link = new_link()
    assert client.get(f"/r/{link.code}", headers={"User-Agent": agent}).status_code == 302
    assert [click.is_bot for click in clicks_of(link)] == [False]


def test_head_requests_are_bots_even_from_a_browser(client, new_link):
    link = new_link()
    response = client.head(f"/r/{link.code}", headers={"User-Agent": CHROME})
    assert response.status_code == 302
    assert response.data == b""
    assert response.headers["Location"].startswith("https://vendor.example/land?ref=1")
    assert [click.is_bot for click in clicks_of(link)] == [True]


@pytest.mark.parametrize("code", ["nope1234", "x" * 17, "bad.code", "%00", "ab%2Fcd", "a/b"])
def test_unknown_codes_answer_a_404_page_and_record_nothing(client, new_link, code):
    new_link()
    before = db.session.scalar(select(func.count(Click.id)))
    response = client.get(f"/r/{code}", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    if "/" not in code and "%2F" not in code:  # else no /r/<code> route matches at all
        assert "Link not found" in response.text
    assert db.session.scalar(select(func.count(Click.id))) == before
    assert not response.headers.getlist("Set-Cookie")


def test_other_methods_are_not_allowed(client, new_link):
    link = new_link()
    assert client.post(f"/r/{link.code}").status_code == 405
    assert clicks_of(link) == []


def test_the_hot_path_runs_no_request_handling_template_or_session(app, client, new_link):
    link = new_link()
    started, rendered = [], []
    babel = app.extensions["babel"]
    selector = babel.locale_selector

    def refuse():  # the locale selector reads the user and the session
        raise AssertionError("the locale selector ran")

    babel.locale_selector = refuse
    request_started.connect(lambda sender, **kw: started.append(1), app, weak=False)
    template_rendered.connect(lambda sender, **kw: rendered.append(1), app, weak=False)
    try:
        client.set_cookie("session", "a-session-cookie-that-must-not-be-read")
        response = client.get(f"/r/{link.code}", headers={"User-Agent": CHROME})
    finally:
        babel.locale_selector = selector
        request_started.receivers.clear()
        template_rendered.receivers.clear()
    assert response.status_code == 302
    assert started == []
    assert rendered == []
    assert len(clicks_of(link)) == 1


def test_the_hot_path_pushes_no_app_context(app, client, new_link):
    # The click store holds the app's engines (found in an app context once, when it is
    # created); a context per click would cost a push and a teardown.
    link = new_link()
    client.get(f"/r/{link.code}")
    pushed: list[int] = []
    appcontext_pushed.connect(lambda sender, **kw: pushed.append(1), app, weak=False)
    try:
        response = client.get(f"/r/{link.code}", headers={"User-Agent": CHROME})
        assert response.status_code == 302
        assert pushed == []
        assert client.get("/r/unknown1").status_code == 404  # Flask's own handling pushes
        assert pushed
    finally:
        appcontext_pushed.receivers.clear()
    assert len(clicks_of(link)) == 2


def test_the_404_page_does_not_open_the_session(app, client, monkeypatch):
    inner = app.session_interface.inner

    def refuse(*args, **kwargs):
        raise AssertionError("the session was opened")

    monkeypatch.setattr(inner, "open_session", refuse)
    client.set_cookie("session", "whatever")
    assert client.get("/r/unknown1").status_code == 404


def test_a_tracked_link_with_nul_in_its_query_still_redirects_and_counts(client, new_link):
    link = new_link()
    answer = client.get(f"/r/{link.code}?utm_source=%00&x%00=1")
    assert answer.status_code == 302
    assert len(clicks_of(link)) == 1

"""The staff pages of links: list with filters, the form, the detail page with its figures,
chart and QR codes; partners are sent to their portal."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from tests.factories import login
from tests.links.conftest import new_campaign, new_webinar


@pytest.fixture
def marketer(client, make):
    user = make.user(Role.MARKETER)
    user.locale = "en"  # the assertions read English messages
    db.session.commit()
    login(client, user)
    return user


def test_the_list_shows_links_with_their_clicks_and_filters(client, make, marketer, new_link):
    first, second = make.partner("Альфа"), make.partner("Бета")
    link = new_link(first, label="Весенний баннер")
    other = new_link(second)
    client.get(f"/r/{link.code}", headers={"User-Agent": "Mozilla/5.0 Firefox/133.0"})
    page = client.get("/links")
    assert page.status_code == 200
    assert link.code in page.text
    assert other.code in page.text
    assert "Весенний баннер" in page.text
    filtered = client.get(f"/links?partner_id={second.id}")
    assert other.code in filtered.text
    assert link.code not in filtered.text
    searched = client.get("/links?q=весенний")
    assert link.code in searched.text
    assert other.code not in searched.text
    assert client.get("/links?partner_id=abc&page=999").status_code == 200


def test_the_form_issues_a_link(client, make, marketer):
    partner = make.partner()
    campaign = new_campaign(partner)
    form = client.get(f"/links/new?partner_id={partner.id}&campaign_id={campaign.id}")
    assert form.status_code == 200
    response = client.post("/links/new", data={
        "partner_id": partner.id, "campaign_id": campaign.id, "webinar_id": "",
        "destination_url": "https://vendor.example/land?ref=1#form", "utm_medium": "email",
        "utm_content": "", "utm_term": "", "label": "Рассылка",
    })  # fmt: skip
    assert response.status_code == 302
    link = db.session.scalar(select(TrackedLink).where(TrackedLink.partner_id == partner.id))
    assert response.headers["Location"].endswith(f"/links/{link.id}")
    assert (link.utm_medium, link.label, link.created_by_id) == ("email", "Рассылка", marketer.id)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"destination_url": "javascript:alert(1)"}, "Only http and https"),
        ({"destination_url": "https://user@vendor.example/"}, "user name or password"),
        ({"campaign_id": ""}, "Choose a campaign or a webinar"),
        ({"outsider": True}, "does not take part"),
    ],
)
def test_the_form_shows_what_is_wrong(client, make, marketer, change, message):
    partner, outsider = make.partner(), make.partner()
    campaign = new_campaign(partner)
    data = {"partner_id": outsider.id if change.pop("outsider", False) else partner.id,
            "campaign_id": campaign.id, "destination_url": "https://vendor.example/"}  # fmt: skip
    response = client.post("/links/new", data=data | change)
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalar(select(TrackedLink.id)) is None


def test_the_detail_page_has_figures_chart_qr_and_copy_buttons(client, make, marketer, new_link):
    link = new_link()
    for agent in ("Mozilla/5.0 Firefox/133.0", "Googlebot/2.1"):
        client.get(f"/r/{link.code}?qr=1", headers={"User-Agent": agent})
    page = client.get(f"/links/{link.id}")
    assert page.status_code == 200
    html = page.text
    assert f"http://go.test/r/{link.code}" in html
    assert f"http://go.test/r/{link.code}?qr=1" in html
    assert 'id="links-daily-chart"' in html
    assert "<svg" in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert not re.search(r"<style|style=", html)  # no inline styles (CSP)
    assert html.count("data-copy-") >= 3
    assert "js/copy.js" in html
    inverted = client.get(
        f"/links/{link.id}?start=2026-01-02&end=2026-01-01", headers={"Accept-Language": "en"}
    )
    assert inverted.status_code == 422  # shown again with the form's error, like reports
    assert "The period cannot end before it starts." in inverted.text


def test_a_webinar_link_page(client, make, marketer):
    partner = make.partner()
    webinar = new_webinar(partner)
    response = client.post("/links/new", data={
        "partner_id": partner.id, "webinar_id": webinar.id,
        "destination_url": "https://vendor.example/webinars/x",
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert webinar.title in page.text
    assert "No clicks in this period." in page.text
    assert 'id="links-daily-chart"' not in page.text


def test_qr_downloads(client, marketer, new_link):
    link = new_link()
    svg = client.get(f"/links/{link.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml"
    assert svg.data.lstrip().startswith(b"<?xml")
    assert "attachment" in svg.headers["Content-Disposition"]
    png = client.get(f"/links/{link.id}/qr.png")
    assert png.mimetype == "image/png"
    assert png.data.startswith(b"\x89PNG")
    inline = client.get(f"/links/{link.id}/qr.svg?inline=1")
    assert "Content-Disposition" not in inline.headers
    assert client.get(f"/links/{link.id}/qr.gif").status_code == 404
    assert client.get("/links/99999999/qr.png").status_code == 404


def test_chart_stylesheet(client):
    css = client.get("/links/chart.css")
    assert css.mimetype == "text/css"
    assert "#links-daily-chart" in css.text
    assert "chart-" not in css.text.replace("daily-chart", "")


def test_who_may_open_the_pages(client, make, new_link):
    link = new_link()
    assert client.get("/links").status_code == 302  # to the login page
    partner_user = make.user(Role.PARTNER, partner=link.partner)
    login(client, partner_user)
    assert client.get("/links").headers["Location"].endswith("/portal")
    client.post("/logout")
    login(client, make.user(Role.MANAGER))
    assert client.get(f"/links/{link.id}").status_code == 200
    assert client.get("/links/new").status_code == 403
    assert client.get("/links/99999999999").status_code == 404

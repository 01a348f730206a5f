"""From a click on a partner's link to the lead: cmclid → visitor → all its clicks → owner."""

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.leads.models import Lead, Touchpoint
from comarketing.links.models import TrackedLink
from tests.factories import bearer

BROWSER = {
    "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0 Safari/537.36"
}


def click(client, link):
    response = client.get(f"/r/{link.code}", headers=BROWSER)
    assert response.status_code == 302
    return parse_qs(urlsplit(response.headers["Location"]).query)["cmclid"][0]


def test_lead_with_cmclid_gets_the_visitors_clicks_and_the_first_partner(client, make):
    first, second = make.partner("Первый"), make.partner("Второй")
    campaign = make.campaign([first, second], landing_url="https://vendor.example/lp")
    links = {link.partner_id: link for link in db.session.scalars(select(TrackedLink))}
    click(client, links[first.id])  # the same browser (cm_vid cookie) clicks twice
    cmclid = click(client, links[second.id])
    headers = bearer(make.token(make.user(Role.MARKETER)))
    lead = client.post(
        "/api/v1/leads", json={"email": "visitor@example.com", "cmclid": cmclid}, headers=headers
    ).json
    touches = db.session.scalars(
        select(Touchpoint).where(Touchpoint.lead_id == lead["id"]).order_by(Touchpoint.occurred_at)
    ).all()
    assert [(t.kind, t.partner_id) for t in touches] == [("click", first.id), ("click", second.id)]
    assert all(t.campaign_id == campaign.id and t.channel == "yandex_direct" for t in touches)
    assert db.session.get(Lead, lead["id"]).owner_partner_id == first.id


def test_a_forged_cmclid_is_ignored(client, make):
    headers = bearer(make.token(make.user(Role.MARKETER)))
    lead = client.post(
        "/api/v1/leads",
        json={"email": "forger@example.com", "cmclid": "1.AAAAAAAAAAAA"},
        headers=headers,
    ).json
    assert lead["owner_partner_id"] is None

"""Pushes carry the partner's UTM (issue 18): a lead whose only evidence is a click on partner
A's tracked link — its ``cmclid`` sent, no ``utm_*`` in the submission — reaches Bitrix24 with
A's slug and the link's medium, campaign and content, so the vendor's own analytics in the CRM
see the partner; amoCRM gets them in its tracking fields."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from comarketing.core.auth import Role
from comarketing.core.outbox import deliver_due
from comarketing.extensions import db
from comarketing.integrations.services import add_destination
from comarketing.links.services import issue_link
from tests.factories import bearer
from tests.integrations.crm_fakes import AmoCrmAccount, Bitrix24Portal

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0"}


@pytest.fixture
def clicked_lead(client, make):
    """Partner A's link with a content tag is clicked; the visitor's form sends only cmclid."""

    def submit() -> tuple[object, object]:
        partner = make.partner("Партнёр А")
        campaign = make.campaign([partner], name="Осенний Директ")
        link = issue_link(partner=partner, campaign=campaign, medium="cpc", content="banner-1",
                          destination_url="https://lp.example/")  # fmt: skip
        db.session.commit()
        redirect = client.get(f"/r/{link.code}", headers=BROWSER)
        cmclid = parse_qs(urlsplit(redirect.location).query)["cmclid"][0]
        token = bearer(make.token(make.user(Role.MARKETER)))
        body = {"email": "clicked@client.example", "cmclid": cmclid}
        answer = client.post("/api/v1/leads", headers=token, json=body)
        assert answer.json["owner_partner_id"] == partner.id
        return partner, link

    return submit


def test_bitrix24_gets_the_owners_link_utm(app, clicked_lead):
    portal = Bitrix24Portal().start()
    try:
        add_destination("bitrix24", portal.webhook_url)
        db.session.commit()
        partner, link = clicked_lead()
        assert deliver_due().delivered == 1
        (fields,) = portal.created
    finally:
        portal.stop()
    assert fields["UTM_SOURCE"] == partner.slug
    assert (fields["UTM_MEDIUM"], fields["UTM_CAMPAIGN"], fields["UTM_CONTENT"]) == (
        "cpc",
        link.utm_campaign,
        "banner-1",
    )


def test_amocrm_gets_them_in_its_tracking_fields(app, clicked_lead):
    account = AmoCrmAccount().start()
    try:
        add_destination("amocrm", account.base_url, secret=account.token)
        db.session.commit()
        partner, link = clicked_lead()
        assert deliver_due().delivered == 1
        (lead,) = account.received[-1].json()
    finally:
        account.stop()
    tracking = {f["field_code"]: f["values"][0]["value"] for f in lead["custom_fields_values"]}
    assert tracking == {"UTM_SOURCE": partner.slug, "UTM_MEDIUM": "cpc",
                        "UTM_CAMPAIGN": link.utm_campaign, "UTM_CONTENT": "banner-1"}  # fmt: skip

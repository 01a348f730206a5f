"""Issuing links (issue 4 must-shows): an ASCII ``utm_source`` for a Cyrillic partner, the
destination's query and fragment kept, and the participation rule."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from comarketing.core.errors import ValidationFailed
from comarketing.links.services import issue_link, issue_link_by_ids, takes_part
from comarketing.partners.services import create_partner
from tests.links.conftest import new_campaign, new_webinar


def test_roga_i_kopyta_gets_an_ascii_slug_and_the_destination_keeps_its_query_and_fragment(
    app, client
):
    partner = create_partner(name="ООО «Рога и Копыта»", segment="amocrm")
    assert partner.slug == "ooo-roga-i-kopyta"
    assert partner.slug.isascii()
    campaign = new_campaign(partner)
    link = issue_link(
        partner=partner, campaign=campaign,
        destination_url="https://vendor.example/land?ref=1#form",
    )  # fmt: skip
    tagged = urlsplit(link.tagged_url)
    assert (tagged.scheme, tagged.netloc, tagged.path, tagged.fragment) == (
        "https", "vendor.example", "/land", "form",
    )  # fmt: skip
    assert parse_qsl(tagged.query) == [
        ("ref", "1"),
        ("utm_source", "ooo-roga-i-kopyta"),
        ("utm_medium", "partner"),
        ("utm_campaign", campaign.slug),
        ("utm_id", str(campaign.id)),
    ]
    location = urlsplit(client.get(f"/r/{link.code}").headers["Location"])
    assert location.fragment == "form"
    params = dict(parse_qsl(location.query))
    assert params["ref"] == "1"
    assert params["utm_source"] == "ooo-roga-i-kopyta"
    assert "cmclid" in params


def test_codes_are_random_url_safe_and_unique(make):
    partner = make.partner()
    campaign = new_campaign(partner)
    codes = {
        issue_link(partner=partner, campaign=campaign, destination_url="https://v.example/").code
        for _ in range(50)
    }
    assert len(codes) == 50
    assert all(
        len(code) == 8 and code.replace("-", "").replace("_", "").isalnum() for code in codes
    )


def test_participation(make):
    insider, outsider = make.partner(), make.partner()
    campaign, webinar = new_campaign(insider), new_webinar(insider)
    assert takes_part(insider, campaign=campaign)
    assert takes_part(insider, webinar=webinar)
    assert not takes_part(outsider, campaign=campaign)
    assert not takes_part(outsider, webinar=webinar)
    with pytest.raises(ValidationFailed) as refused:
        issue_link(partner=outsider, webinar=webinar, destination_url="https://v.example/")
    assert refused.value.fields == {"partner_id": ["The partner does not co-host this webinar."]}


def test_issue_by_ids_names_the_unknown_field(make):
    partner = make.partner()
    with pytest.raises(ValidationFailed) as refused:
        issue_link_by_ids(
            partner_id=partner.id, webinar_id=123456, destination_url="https://v.example/"
        )
    assert set(refused.value.fields or {}) == {"webinar_id"}

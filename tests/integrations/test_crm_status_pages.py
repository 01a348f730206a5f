"""Where the CRM's word shows (issue 18): the lead page's status and its history, the lead in
the API (the won amount for staff only), the integrations page's inbound side and the events
tied to no lead, which marketers can open too."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.integrations.inbound.receive import set_app_token
from comarketing.integrations.models import CrmEvent, EventState
from comarketing.integrations.services import add_destination
from comarketing.leads.models import ConversionKind, Lead, LeadStatus
from comarketing.leads.services import Submission, record_submission
from comarketing.leads.services.status import apply_crm_state
from comarketing.partners.models import Partner
from tests.factories import bearer, login

EN = {"Accept-Language": "en"}
WORKING_AT = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
WON_AT = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


@pytest.fixture
def won_lead(app, make) -> Lead:
    partner = make.partner("Партнёр Б")
    submission = Submission(kind=ConversionKind.API, email="won@client.example", name="Олег")
    lead = record_submission(submission).lead
    lead.owner_partner_id = partner.id
    apply_crm_state(lead, LeadStatus.WORKING, WORKING_AT, reference="bitrix24:deal:41")
    apply_crm_state(
        lead,
        LeadStatus.CUSTOMER,
        WON_AT,
        reference="bitrix24:deal:41",
        won_amount=Decimal("120000"),
    )
    db.session.commit()
    return lead


def test_the_lead_page_shows_the_status_and_its_history(client, make, won_lead):
    login(client, make.user(Role.MARKETER))
    page = client.get(f"/leads/{won_lead.id}", headers=EN).text
    assert "won for RUB120,000.00" in page
    assert "customer since 20 Nov 2026" in page
    history = page[page.index("customer since") :]
    assert history.index("new → <strong>working</strong>") < history.index(
        "working → <strong>customer</strong>"
    )
    assert "bitrix24:deal:41" in page


def test_the_api_shows_the_won_amount_to_staff_and_not_to_the_partner(client, make, won_lead):
    staff = client.get(f"/api/v1/leads/{won_lead.id}", headers=bearer(make.token(make.user())))
    assert staff.json["status"] == "customer"
    assert staff.json["won_amount"] == "120000.00"
    assert staff.json["crm_status_at"] == "2026-11-20T15:30:00Z"
    assert staff.json["customer_since"] == "2026-11-20T15:30:00Z"
    owner = db.session.get_one(Partner, won_lead.owner_partner_id)
    partner_user = make.user(Role.PARTNER, partner=owner)
    own = client.get(f"/api/v1/leads/{won_lead.id}", headers=bearer(make.token(partner_user)))
    assert own.status_code == 200
    assert own.json["status"] == "customer"
    assert own.json["won_amount"] is None


@pytest.fixture
def events(app):
    destination = add_destination("bitrix24", "https://b24.example/rest/1/k3y9/", name="Вендор")
    set_app_token(destination, "t")
    rows = [
        CrmEvent(
            destination_id=destination.id,
            event="ONCRMDEALUPDATE",
            object_type="deal",
            object_id=str(number),
            payload={},
            state=state,
            note=f"bitrix24:deal:{number}",
        )
        for number, state in ((901, EventState.UNMATCHED), (902, EventState.APPLIED))
    ]
    db.session.add_all(rows)
    db.session.commit()
    return destination


def test_marketers_see_the_events_tied_to_no_lead(client, make, events):
    login(client, make.user(Role.MARKETER))
    page = client.get("/settings/integrations/events", headers=EN)
    assert page.status_code == 200
    assert "deal 901" in page.text
    assert "deal 902" not in page.text
    everything = client.get("/settings/integrations/events?state=all", headers=EN).text
    assert "deal 902" in everything


def test_partners_cannot_open_the_events(client, make, events):
    login(client, make.user(Role.PARTNER, partner=make.partner()))
    assert client.get("/settings/integrations/events").status_code in (302, 403)


def test_the_integrations_page_shows_the_inbound_side(client, make, events):
    login(client, make.user(Role.MANAGER))
    page = client.get("/settings/integrations", headers=EN).text
    assert f"/hooks/bitrix24/{events.id}" in page
    assert "Events are refused until a token is set" not in page

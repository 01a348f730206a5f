"""The portal's home, leads (with deal registration), commissions and reports: a partner sees
its own figures and nothing of another partner's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from comarketing.commissions.models import Commission
from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Lead, LeadOwnership
from tests.factories import bearer, login


@pytest.fixture
def two(client, make):
    """Partners A and B, each with a lead it owns and a paid invoice; a user for each."""
    a, b = make.partner("Альфа Интеграция"), make.partner("Бета Софт")
    staff = bearer(make.token(make.user(Role.ADMIN)))
    leads = {}
    for partner, email, amount in (
        (a, "anna@alpha-client.ru", "10000.00"),
        (b, "boris@beta-client.ru", "30000.00"),
    ):
        answer = client.post(
            "/api/v1/leads",
            json={"email": email, "name": f"Client of {partner.slug}",
                  "company": f"ООО {partner.slug}", "utm_source": partner.slug},
            headers=staff,
        )  # fmt: skip
        assert answer.status_code == 201, answer.text
        leads[partner.slug] = answer.json["id"]
        paid = client.post(
            "/api/v1/payments",
            json={"lead_id": answer.json["id"], "amount": amount, "paid_at": utcnow().isoformat(),
                  "external_id": f"inv-{partner.slug}"},
            headers=staff,
        )  # fmt: skip
        assert paid.status_code == 201, paid.text
    user_a, user_b = make.user(Role.PARTNER, partner=a), make.user(Role.PARTNER, partner=b)
    return a, b, user_a, user_b, leads


def test_home_shows_this_month_against_last(client, two):
    a, b, user_a, _, _ = two
    login(client, user_a)
    page = client.get("/portal")
    assert page.status_code == 200
    html = page.text
    assert a.name in html
    assert b.name not in html
    # One lead, one customer, commission 5 000 ₽ (10 000 at 0.50) this month; none last month.
    assert html.count('data-testid="kpi"') == 5
    assert "5\xa0000,00" in html or "5 000,00" in html
    assert "15\xa0000,00" not in html  # B's commission on 30 000


def test_leads_list_is_the_partners_own(client, two):
    _, _, user_a, _, _ = two
    login(client, user_a)
    html = client.get("/portal/leads").text
    assert "anna@alpha-client.ru" in html
    assert "boris@beta-client.ru" not in html


def test_another_partners_lead_is_not_found(client, two):
    a, b, user_a, _, leads = two
    login(client, user_a)
    assert client.get(f"/portal/leads/{leads[a.slug]}").status_code == 200
    assert client.get(f"/portal/leads/{leads[b.slug]}").status_code == 404


def test_deal_registration_of_a_new_client_is_accepted(client, two):
    a, _, user_a, _, _ = two
    login(client, user_a)
    answer = client.post(
        "/portal/leads",
        data={"email": "Vera@New-Client.ru", "name": "Вера", "company": "ООО Новый"},
    )
    assert answer.status_code == 302
    lead = db.session.scalar(select(Lead).where(Lead.email == "vera@new-client.ru"))
    assert lead is not None
    assert lead.owner_partner_id == a.id
    assert lead.protected_until is not None
    assert lead.protected_until > utcnow() + timedelta(days=80)
    page = client.get(answer.headers["Location"])
    assert "Вера" in page.text


def test_deal_registration_of_another_partners_client_is_refused_and_changes_nothing(client, two):
    a, b, user_a, _, leads = two
    login(client, user_a)

    def state():
        return (
            db.session.scalar(select(Lead.owner_partner_id).where(Lead.id == leads[b.slug])),
            db.session.scalar(select(func.count(Conversion.id))),
            db.session.scalar(select(func.count(LeadOwnership.id))),
            db.session.scalar(select(func.count(Lead.id))),
        )

    before = state()
    answer = client.post("/portal/leads", data={"email": "BORIS@beta-client.ru", "name": "Борис"})
    assert answer.status_code == 409
    assert (
        "already registered by another partner" in answer.text
        or "уже зарегистрирован" in answer.text
    )
    assert b.name not in answer.text  # never says whose
    assert state() == before == (b.id, before[1], before[2], before[3])


def test_deal_registration_of_an_own_client_says_so(client, two):
    a, _, user_a, _, _ = two
    login(client, user_a)
    answer = client.post(
        "/portal/leads", data={"email": "anna@alpha-client.ru"}, follow_redirects=True
    )
    assert answer.status_code == 200
    assert "already yours" in answer.text or "уже ваш" in answer.text


def test_deal_registration_without_a_contact_is_a_form_error(client, two):
    _, _, user_a, _, _ = two
    login(client, user_a)
    count = db.session.scalar(select(func.count(Lead.id)))
    answer = client.post("/portal/leads", data={"name": "Без контакта", "phone": "not a phone"})
    assert answer.status_code == 422
    assert db.session.scalar(select(func.count(Lead.id))) == count


def test_commissions_page_and_csv_hold_only_own_lines(client, two):
    a, b, user_a, _, _ = two
    login(client, user_a)
    html = client.get("/portal/commissions").text
    assert "inv-" + a.slug in html
    assert "inv-" + b.slug not in html
    csv = client.get("/portal/commissions/statement.csv")
    assert csv.status_code == 200
    assert csv.mimetype == "text/csv"
    body = csv.get_data(as_text=True)
    assert "inv-" + a.slug in body
    assert "inv-" + b.slug not in body
    assert "5000.00" in body
    assert "15000.00" not in body
    own = db.session.scalar(select(func.count(Commission.id)).where(Commission.partner_id == a.id))
    assert body.strip().count("\n") == own  # a header and one line per own commission


def test_reports_are_restricted_to_the_partner(client, two):
    a, b, user_a, _, _ = two
    login(client, user_a)
    page = client.get("/portal/reports?period=this_month")
    assert page.status_code == 200
    csv = client.get("/portal/reports.csv?period=this_month&group_by=partner&model=linear")
    assert csv.status_code == 200
    body = csv.get_data(as_text=True)
    assert a.name in body
    assert b.name not in body
    assert "10000.00" in body
    assert "30000.00" not in body


def test_reports_with_bad_parameters_are_422(client, two):
    _, _, user_a, _, _ = two
    login(client, user_a)
    assert client.get("/portal/reports?model=u_shaped").status_code == 422
    assert client.get("/portal/reports.csv?from=2026-10-31&to=2026-10-01").status_code == 422


@pytest.mark.parametrize(
    "path", ["/portal", "/portal/leads", "/portal/commissions", "/portal/reports"]
)
def test_staff_cannot_act_as_a_partner(client, make, path):
    login(client, make.user(Role.ADMIN))
    assert client.get(path).status_code == 403
    assert client.post("/portal/leads", data={"email": "x@example.com"}).status_code == 403


@pytest.mark.parametrize(
    "path", ["/portal", "/portal/leads", "/portal/commissions/statement.csv", "/portal/reports.csv"]
)
def test_anonymous_visitors_go_to_login(client, path):
    answer = client.get(path)
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_portal_speaks_russian_by_default_and_english_on_request(client, two):
    _, _, user_a, _, _ = two
    login(client, user_a)
    assert "Ваши лиды" in client.get("/portal/leads").text
    client.post("/language", data={"locale": "en", "next": "/portal/leads"})
    assert "Your leads" in client.get("/portal/leads").text


def test_home_compares_the_month_so_far_with_the_same_days_of_last_month(
    client, make, time_machine
):
    """On 4 December, leads of 1–4 December against leads of 1–4 November — not against all
    of November, which made every tile read −100 % early in a month."""
    from datetime import UTC, datetime

    from comarketing.leads.models import ConversionKind
    from comarketing.leads.services import Submission, record_submission

    partner = make.partner("Сравнение")
    days = [(11, 2), (11, 20), (12, 2), (12, 3)]
    moments = [datetime(2026, month, day, 9, tzinfo=UTC) for month, day in days]
    for number, moment in enumerate(moments):
        time_machine.move_to(moment, tick=False)
        submission = Submission(
            kind=ConversionKind.API, email=f"same{number}@client.example",
            utm={"source": partner.slug},
        )  # fmt: skip
        assert record_submission(submission).lead.owner_partner_id == partner.id
    db.session.commit()
    time_machine.move_to(datetime(2026, 12, 4, 12, tzinfo=UTC), tick=False)
    login(client, make.user(Role.PARTNER, partner=partner))
    html = client.get("/portal", headers={"Accept-Language": "en"}).text
    assert "against the same days of last month (to 4 November)" in html
    assert "+100% vs the same days of last month" in html  # 2 leads against 1

"""Registrants shared with co-hosts by consent (contract §12): one box per co-host, lists that
hold exactly the people who agreed (API, portal, CSV), withdrawal by the e-mails' link (a POST,
never a GET) and erasure that take a person off every list at once, co-hosts' follow-ups with
their own tracked links, credited to them."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.core.outbox import OutboxMessage, deliver_due
from comarketing.extensions import db
from comarketing.leads.models import Lead
from comarketing.leads.services.erasure import erase_person
from comarketing.leads.services.registrations import record_attendance, register
from comarketing.links.models import Click, TrackedLink
from comarketing.webinars.consent_models import CohostFollowUp, RegistrantConsent
from comarketing.webinars.consents import WORDING_VERSION, withdrawal_token
from comarketing.webinars.models import Registration
from comarketing.webinars.services.attendance_csv import AttendanceEntry
from tests.factories import bearer, login
from tests.live import free_port


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 OK"

    def texts_to(self, address: str) -> list[tuple[str, str]]:
        """(subject, plain text) of every e-mail to ``address``."""
        found = []
        for envelope in self.messages:
            if address not in envelope.rcpt_tos:
                continue
            message = message_from_bytes(envelope.content, policy=policy.default)
            body = message.get_body(preferencelist=("plain",))
            found.append((str(message["Subject"]), body.get_content()))
        return found


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}"
    yield inbox
    controller.stop()
    app.config["SMTP_URL"] = None


@pytest.fixture
def cohosts(make):
    a, b, c = make.partner("Альфа-Софт"), make.partner("Бета-Интегратор"), make.partner("Цэ")
    webinar = make.webinar([a, b], title="Речевая аналитика")
    staff = bearer(make.token(make.user(Role.MARKETER)))
    return a, b, c, webinar, staff


PEOPLE = [
    ("only-a@client.example", "Ольга Только-А"),
    ("a-and-b@client.example", "Борис А-и-Б"),
    ("nobody@client.example", "Никита Никому"),
]


def register_three(client, webinar, staff, a, b):
    shares = [[a.id], [a.id, b.id], []]
    for (email, name), share in zip(PEOPLE, shares, strict=True):
        response = client.post(
            f"/api/v1/webinars/{webinar.id}/registrations",
            json={"email": email, "name": name, "company": "ООО Клиент", "share_with": share},
            headers=staff,
        )
        assert response.status_code == 201, response.text


def partner_views(client, make, partner, webinar):
    """(API emails, portal page emails, CSV emails), or the three statuses when not 200."""
    token = bearer(make.token(make.user(Role.PARTNER, partner=partner)))
    api = client.get(f"/api/v1/webinars/{webinar.id}/registrants", headers=token)
    login(client, make.user(Role.PARTNER, partner=partner))
    page = client.get(f"/portal/webinars/{webinar.id}/registrants")
    download = client.get(f"/portal/webinars/{webinar.id}/registrants.csv")
    client.post("/logout", data={})
    if {api.status_code, page.status_code, download.status_code} != {200}:
        return api.status_code, page.status_code, download.status_code
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    page_emails = sorted(e for e, _ in PEOPLE if e in page.get_data(as_text=True))
    return (
        sorted(item["email"] for item in api.json["items"]),
        page_emails,
        sorted(row["email"] for row in rows),
    )


def emails_of(*indexes):
    return sorted(PEOPLE[i][0] for i in indexes)


def test_lists_hold_who_agreed_and_withdrawal_takes_them_off_every_list(
    client, make, cohosts, smtp
):
    a, b, c, webinar, staff = cohosts
    register_three(client, webinar, staff, a, b)

    only_a, a_and_b = emails_of(0), emails_of(0, 1)
    assert partner_views(client, make, a, webinar) == (a_and_b, a_and_b, a_and_b)
    assert partner_views(client, make, b, webinar) == (emails_of(1),) * 3
    assert partner_views(client, make, c, webinar) == (404, 404, 404)

    # Staff see all three, each with its consents (time and wording version).
    listed = client.get(f"/api/v1/webinars/{webinar.id}/registrants", headers=staff).json
    by_email = {item["email"]: item for item in listed["items"]}
    assert sorted(by_email) == emails_of(0, 1, 2)
    assert sorted(c["partner_id"] for c in by_email[PEOPLE[1][0]]["consents"]) == sorted(
        [a.id, b.id]
    )
    assert by_email[PEOPLE[2][0]]["consents"] == []
    consent = by_email[PEOPLE[0][0]]["consents"][0]
    assert consent["wording_version"] == WORDING_VERSION
    assert consent["given_at"].endswith("Z")
    assert consent["withdrawn_at"] is None

    # The confirmation e-mail carries the withdrawal link; a GET only asks.
    assert deliver_due().delivered == 3
    [(_subject, text)] = smtp.texts_to(PEOPLE[1][0])
    url = re.search(r"http://go\.test(/w/consent/\S+)", text).group(1)
    page = client.get(url)
    assert page.status_code == 200
    assert "Альфа-Софт" in page.text
    assert "Бета-Интегратор" in page.text
    assert partner_views(client, make, b, webinar) == (emails_of(1),) * 3  # nothing changed
    done = client.post(url, data={})
    assert done.status_code == 200
    assert partner_views(client, make, a, webinar) == (only_a,) * 3
    assert partner_views(client, make, b, webinar) == ([], [], [])
    assert partner_views(client, make, c, webinar) == (404, 404, 404)
    # Withdrawn, not forgotten: staff still see when it was given and withdrawn.
    listed = client.get(f"/api/v1/webinars/{webinar.id}/registrants", headers=staff).json
    withdrawn = next(i for i in listed["items"] if i["email"] == PEOPLE[1][0])["consents"]
    assert all(c["withdrawn_at"] for c in withdrawn)
    assert len(withdrawn) == 2


def test_share_with_a_partner_that_is_no_cohost_is_422_and_writes_nothing(client, cohosts):
    a, _b, c, webinar, staff = cohosts
    for share in ([c.id], [a.id, c.id], [999_999], ["x"]):
        response = client.post(
            f"/api/v1/webinars/{webinar.id}/registrations",
            json={"email": "x@client.example", "name": "Икс", "share_with": share},
            headers=staff,
        )
        assert response.status_code == 422, response.text
        assert any(f.startswith("share_with") for f in response.json["error"]["fields"])
    assert db.session.scalar(select(func.count(Registration.id))) == 0
    assert db.session.scalar(select(func.count(RegistrantConsent.id))) == 0


def test_the_public_page_asks_once_per_cohost_unchecked(client, cohosts):
    a, b, c, webinar, _staff = cohosts
    page = client.get(f"/w/{webinar.slug}").text
    assert page.count('name="share_with"') == 2
    assert "«Альфа-Софт»" in page
    assert "«Бета-Интегратор»" in page
    assert "Цэ" not in page
    assert " checked" not in page
    response = client.post(
        f"/w/{webinar.slug}",
        data={"name": "Вера", "email": "vera@client.example", "consent": "y",
              "share_with": [str(b.id), str(c.id)]},
    )  # fmt: skip
    assert response.status_code == 302, response.text
    consents = db.session.scalars(select(RegistrantConsent)).all()
    assert [(x.partner_id, x.wording_version) for x in consents] == [(b.id, WORDING_VERSION)]


def test_a_bad_token_is_404_and_a_get_withdraws_nothing(client, cohosts):
    a, _b, _c, webinar, _staff = cohosts
    registration, _ = register(webinar, email="p@client.example", name="П", share_with=[a.id])
    db.session.commit()
    token = withdrawal_token(registration)
    assert client.get(f"/w/consent/{token}x").status_code == 404
    assert client.post(f"/w/consent/{token}x", data={}).status_code == 404
    assert client.get(f"/w/consent/{token}").status_code == 200
    assert db.session.scalar(select(RegistrantConsent.withdrawn_at)) is None


def test_erasure_takes_the_person_off_every_list(client, make, cohosts):
    a, b, _c, webinar, staff = cohosts
    register_three(client, webinar, staff, a, b)
    erase_person(PEOPLE[1][0])
    db.session.commit()
    assert partner_views(client, make, a, webinar) == (emails_of(0),) * 3
    assert partner_views(client, make, b, webinar) == ([], [], [])
    assert (
        db.session.scalar(
            select(func.count(RegistrantConsent.id)).where(RegistrantConsent.withdrawn_at.is_(None))
        )
        == 1
    )


def test_the_lead_page_shows_the_consents(client, make, cohosts):
    a, b, _c, webinar, _staff = cohosts
    registration, _ = register(webinar, email="l@client.example", name="Л", share_with=[a.id])
    db.session.commit()
    login(client, make.user(Role.MANAGER))
    page = client.get(f"/leads/{registration.lead_id}").text
    assert 'id="consents"' in page
    assert "Альфа-Софт" in page
    assert WORDING_VERSION in page
    assert "Бета-Интегратор" not in page


def test_a_cohosts_follow_up_click_and_lead_are_credited_to_it(client, make, smtp):
    a, b = make.partner("Альфа-Софт"), make.partner("Бета-Интегратор")
    webinar = make.webinar(
        [a, b], title="Прошедший вебинар", starts_at=datetime.now(UTC) - timedelta(hours=3)
    )
    people = {
        "came@client.example": (True, [a.id, b.id]),
        "missed@client.example": (False, [a.id]),
        "missed-private@client.example": (False, []),
    }
    for email, (_attended, share) in people.items():
        register(webinar, email=email, name="Гость", share_with=share)
    record_attendance(
        webinar,
        [AttendanceEntry(email=e, attended=att, minutes=40 if att else None)
         for e, (att, _s) in people.items()],
    )  # fmt: skip
    db.session.commit()
    deliver_due()  # the confirmations
    smtp.messages.clear()

    # Before the webinar's end nothing can be sent; after it, A sends to its no-shows once.
    login(client, make.user(Role.PARTNER, partner=a))
    page = client.get(f"/portal/webinars/{webinar.id}/registrants")
    assert page.status_code == 200
    assert 'data-testid="registrant-row"' in page.text
    sent = client.post(f"/portal/webinars/{webinar.id}/follow-ups/no_shows", data={})
    assert sent.status_code == 302, sent.text
    again = client.post(f"/portal/webinars/{webinar.id}/follow-ups/no_shows", data={})
    assert again.status_code == 302
    topics = select(func.count(OutboxMessage.id)).where(
        OutboxMessage.topic == "webinar.cohost_follow_up"
    )
    assert db.session.scalar(topics) == 1  # one consented no-show, one press counted
    assert db.session.scalar(select(func.count(CohostFollowUp.id))) == 1
    assert deliver_due().delivered == 1
    assert smtp.texts_to("missed-private@client.example") == []
    assert smtp.texts_to("came@client.example") == []
    [(subject, text)] = smtp.texts_to("missed@client.example")
    assert "Альфа-Софт" in subject
    assert "/w/consent/" in text
    link_a = db.session.scalar(
        select(TrackedLink).where(
            TrackedLink.partner_id == a.id, TrackedLink.webinar_id == webinar.id
        )
    )
    short = re.search(r"http://go\.test(/r/\S+)", text).group(1)
    assert short == f"/r/{link_a.code}"

    # The no-show clicks, then comes back as a lead with the click id: A's credit.
    client.post("/logout", data={})
    followed = client.get(short, headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"})
    assert followed.status_code == 302
    cmclid = re.search(r"cmclid=([^&#]+)", followed.headers["Location"]).group(1)
    click = db.session.scalar(select(Click).where(Click.link_id == link_a.id))
    assert click is not None
    assert not click.is_bot
    staff = bearer(make.token(make.user(Role.MARKETER)))
    lead = client.post(
        "/api/v1/leads",
        json={"email": "missed@client.example", "cmclid": cmclid, "name": "Гость"},
        headers=staff,
    )
    assert lead.status_code in (200, 201), lead.text
    assert lead.json["owner_partner_id"] == a.id
    assert db.session.get(Lead, lead.json["id"]).owner_partner_id == a.id

    # B has not sent; its attendee follow-up reaches the one attendee who agreed to B.
    login(client, make.user(Role.PARTNER, partner=b))
    assert client.post(f"/portal/webinars/{webinar.id}/follow-ups/attendees").status_code == 302
    deliver_due()
    assert len(smtp.texts_to("came@client.example")) == 1


def test_no_follow_up_before_the_end(client, make, cohosts):
    a, _b, _c, webinar, _staff = cohosts
    register(webinar, email="early@client.example", name="Ранний", share_with=[a.id])
    db.session.commit()
    login(client, make.user(Role.PARTNER, partner=a))
    response = client.post(f"/portal/webinars/{webinar.id}/follow-ups/no_shows", data={})
    assert response.status_code == 409
    assert db.session.scalar(select(func.count(CohostFollowUp.id))) == 0


def test_a_follow_up_withdrawn_before_it_goes_is_not_sent(client, make, smtp):
    a = make.partner("Альфа-Софт")
    webinar = make.webinar([a], starts_at=datetime.now(UTC) - timedelta(hours=3))
    registration, _ = register(webinar, email="late@client.example", name="Л", share_with=[a.id])
    record_attendance(webinar, [AttendanceEntry(email="late@client.example", attended=False)])
    db.session.commit()
    deliver_due()
    smtp.messages.clear()
    login(client, make.user(Role.PARTNER, partner=a))
    assert client.post(f"/portal/webinars/{webinar.id}/follow-ups/no_shows").status_code == 302
    assert client.post(f"/w/consent/{withdrawal_token(registration)}").status_code == 200
    deliver_due()
    assert smtp.texts_to("late@client.example") == []
    # Off A's list in the portal too.
    page = client.get(f"/portal/webinars/{webinar.id}/registrants").text
    assert "late@client.example" not in page

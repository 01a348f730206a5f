"""Small builders of test data through the real services (flushed, not committed)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask.testing import FlaskClient

from comarketing.campaigns.models import Campaign
from comarketing.campaigns.services import PartnerShare, create_campaign
from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.partners.services import create_partner
from comarketing.users.models import User
from comarketing.users.services import create_api_token, create_user
from comarketing.webinars.models import Webinar
from comarketing.webinars.services.webinars import create_webinar

PASSWORD = "correct-horse-42"


@dataclass
class Factory:
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def partner(
        self,
        name: str | None = None,
        *,
        segment: str = "bitrix24",
        commission_rate: str = "0.50",
        tier: str | None = None,
    ) -> Partner:
        number = next(self.counter)
        partner = create_partner(
            name=name or f"Партнёр {number}",
            segment=segment,
            commission_rate=Decimal(commission_rate),
            tier=tier,
        )
        db.session.commit()
        return partner

    def user(self, role: Role | str = Role.MARKETER, partner: Partner | None = None) -> User:
        number = next(self.counter)
        user, _ = create_user(
            f"user{number}@example.com",
            str(role),
            partner_slug=partner.slug if partner else None,
            password=PASSWORD,
            name=f"User {number}",
        )
        db.session.commit()
        return user

    def campaign(
        self,
        partners: list[Partner] = (),  # type: ignore[assignment]
        *,
        name: str | None = None,
        channel: str = "yandex_direct",
        starts_on: date = date(2026, 11, 1),
        ends_on: date = date(2026, 11, 30),
        budget: str = "100000.00",
        landing_url: str | None = None,
    ) -> Campaign:
        number = next(self.counter)
        campaign = create_campaign(
            name=name or f"Кампания {number}",
            channel=channel,
            starts_on=starts_on,
            ends_on=ends_on,
            budget=Decimal(budget),
            partners=[PartnerShare(p.id) for p in partners],
            landing_url=landing_url,
        )
        db.session.commit()
        return campaign

    def webinar(
        self,
        hosts: list[Partner] = (),  # type: ignore[assignment]
        *,
        title: str | None = None,
        starts_at: datetime | None = None,
        duration_minutes: int = 60,
        capacity: int | None = None,
        timezone: str = "Europe/Moscow",
    ) -> Webinar:
        number = next(self.counter)
        webinar = create_webinar(
            title=title or f"Вебинар {number}",
            starts_at=starts_at or utcnow() + timedelta(days=10),
            duration_minutes=duration_minutes,
            timezone=timezone,
            partner_ids=[p.id for p in hosts],
            capacity=capacity,
            join_url="https://webinar.example/room/1",
        )
        db.session.commit()
        return webinar

    def token(self, user: User, scope: str = "full") -> str:
        _, plain = create_api_token(user, name="tests", scope=scope)
        db.session.commit()
        return plain


def login(client: FlaskClient, user: User, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.text


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}

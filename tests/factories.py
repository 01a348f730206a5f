"""Small builders of test data through the real services (flushed, not committed)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from flask.testing import FlaskClient

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.partners.services import create_partner
from comarketing.users.models import User
from comarketing.users.services import create_api_token, create_user

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

    def token(self, user: User, scope: str = "full") -> str:
        _, plain = create_api_token(user, name="tests", scope=scope)
        db.session.commit()
        return plain


def login(client: FlaskClient, user: User, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.text


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}

"""Consents of registrants to share their contact with each co-host (contract §12).

A registrant ticks one box per co-host partner (unchecked by default, the wording names the
partner); each tick is a ``RegistrantConsent`` with its time and ``WORDING_VERSION``. A
co-host's list holds the registrants whose consent to it stands. Every e-mail to a registrant
carries ``/w/consent/<token>``: the token is the registration's id signed with the app's
``SECRET_KEY`` (itsdangerous, a salt of its own), so nothing is stored, a link cannot be forged
or pointed at another registration, and it keeps working as long as the key does. Withdrawal
(through that page's POST) and erasure end every consent of the registration at once."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from comarketing.core.db import AnySelect
from comarketing.core.errors import ValidationFailed
from comarketing.core.time import utcnow
from comarketing.core.urls import public_url
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.users.models import User
from comarketing.webinars.consent_models import RegistrantConsent
from comarketing.webinars.models import Registration, Webinar, WebinarHost

# The version of the consent's wording below; change it whenever the wording changes, so a
# stored consent says which text the person agreed to.
WORDING_VERSION = "2026-12-05"
WITHDRAWAL_SALT = "comarketing.registrant-consent"


def wording(partner_name: str) -> str:
    """The text of the box that shares the registrant's contact with ``partner_name``."""
    return str(
        _l(
            "I agree that my contact details (name, e-mail, company, phone) are shared with "
            "«%(partner)s», a co-host of this webinar, so that it may contact me about it.",
            partner=partner_name,
        )
    )


def cohosts(webinar: Webinar) -> list[Partner]:
    """The webinar's co-host partners, by name."""
    return sorted((host.partner for host in webinar.hosts), key=lambda p: (p.name, p.id))


def check_share_with(webinar: Webinar, partner_ids: Iterable[int]) -> list[int]:
    """The partner ids, each a co-host of the webinar; otherwise 422 (``share_with``)."""
    wanted = sorted(set(partner_ids))
    hosts = {host.partner_id for host in webinar.hosts}
    strangers = [pid for pid in wanted if pid not in hosts]
    if strangers:
        message = _("Contact details can be shared only with the webinar's co-hosts.")
        raise ValidationFailed(message, fields={"share_with": [message]})
    return wanted


def record_consents(
    registration: Registration, partner_ids: Sequence[int], at: datetime
) -> list[RegistrantConsent]:
    """Store the registrant's consents (ids already checked by ``check_share_with``)."""
    consents = [
        RegistrantConsent(
            registration_id=registration.id,
            partner_id=partner_id,
            wording_version=WORDING_VERSION,
            given_at=at,
        )
        for partner_id in partner_ids
    ]
    db.session.add_all(consents)
    db.session.flush()
    return consents


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=WITHDRAWAL_SALT)


def withdrawal_token(registration: Registration) -> str:
    return _serializer().dumps(registration.id)


def withdrawal_url(registration: Registration) -> str:
    return public_url(f"/w/consent/{withdrawal_token(registration)}")


# The token of a withdrawal link in an e-mail: whoever holds it can withdraw the consents.
WITHDRAWAL_LINK = re.compile(r"(?<=/w/consent/)[^\s/]+")


def registration_of_token(token: str) -> Registration | None:
    """The registration a withdrawal token names; None for a forged or broken token."""
    try:
        registration_id = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(registration_id, int) or isinstance(registration_id, bool):
        return None
    return db.session.get(Registration, registration_id)


def withdraw(registration_ids: Sequence[int], at: datetime | None = None) -> int:
    """End every standing consent of the registrations (withdrawal, erasure); how many."""
    if not registration_ids:
        return 0
    result = db.session.execute(
        update(RegistrantConsent)
        .where(
            RegistrantConsent.registration_id.in_(registration_ids),
            RegistrantConsent.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=at or utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def consent_stands(registration_id: int, partner_id: int) -> bool:
    return (
        db.session.scalar(
            select(RegistrantConsent.id).where(
                RegistrantConsent.registration_id == registration_id,
                RegistrantConsent.partner_id == partner_id,
                RegistrantConsent.withdrawn_at.is_(None),
            )
        )
        is not None
    )


def shared_with(partner_id: int) -> AnySelect:
    """Registrations whose person agreed to share with the partner and still does (and was
    not erased)."""
    return (
        select(Registration)
        .join(RegistrantConsent, RegistrantConsent.registration_id == Registration.id)
        .where(
            RegistrantConsent.partner_id == partner_id,
            RegistrantConsent.withdrawn_at.is_(None),
            Registration.email.is_not(None),
        )
    )


def registrants_query(user: User, webinar_id: int) -> AnySelect:
    """The webinar's registrants ``user`` may see: a partner user those who consented to
    share with its partner; staff every registrant. The caller checks that the user may see
    the webinar at all (a partner: that it co-hosts it)."""
    if user.is_partner:
        if user.partner_id is None:
            return select(Registration).where(Registration.id.is_(None))
        return shared_with(user.partner_id).where(Registration.webinar_id == webinar_id)
    return select(Registration).where(Registration.webinar_id == webinar_id)


def registrants(user: User, webinar_id: int) -> list[Registration]:
    """Every registrant of ``registrants_query``, by registration time."""
    stmt = registrants_query(user, webinar_id).order_by(Registration.registered_at, Registration.id)
    return list(db.session.scalars(stmt))


def consents_of(registration_ids: Sequence[int]) -> dict[int, list[RegistrantConsent]]:
    """``{registration_id: [consent, …]}`` (given or withdrawn), in one query."""
    found: dict[int, list[RegistrantConsent]] = defaultdict(list)
    if not registration_ids:
        return found
    stmt = (
        select(RegistrantConsent)
        .where(RegistrantConsent.registration_id.in_(registration_ids))
        .order_by(RegistrantConsent.given_at, RegistrantConsent.id)
    )
    for consent in db.session.scalars(stmt):
        found[consent.registration_id].append(consent)
    return found


def lead_consents(lead_id: int) -> list[tuple[RegistrantConsent, Webinar, Partner]]:
    """Every consent given at the lead's registrations, with its webinar and partner, newest
    first (the lead's page)."""
    stmt = (
        select(RegistrantConsent, Webinar, Partner)
        .join(Registration, Registration.id == RegistrantConsent.registration_id)
        .join(Webinar, Webinar.id == Registration.webinar_id)
        .join(Partner, Partner.id == RegistrantConsent.partner_id)
        .where(Registration.lead_id == lead_id)
        .order_by(RegistrantConsent.given_at.desc(), RegistrantConsent.id.desc())
    )
    return [(row[0], row[1], row[2]) for row in db.session.execute(stmt)]


def is_cohost(webinar_id: int, partner_id: int) -> bool:
    return (
        db.session.scalar(
            select(WebinarHost.partner_id).where(
                WebinarHost.webinar_id == webinar_id, WebinarHost.partner_id == partner_id
            )
        )
        is not None
    )

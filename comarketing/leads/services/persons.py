"""Finding or creating the person behind a submission (one lead per e-mail, else phone)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from comarketing.core.contacts import InvalidContact, normalize_email, normalize_phone
from comarketing.core.errors import Problems
from comarketing.extensions import db
from comarketing.leads.models import Lead


def normalized_contacts(email: str | None, phone: str | None) -> tuple[str | None, str | None]:
    """E-mail lower-cased and validated, phone in E.164; at least one is required."""
    problems = Problems()
    clean_email = clean_phone = None
    if email and email.strip():
        try:
            clean_email = normalize_email(email)
        except InvalidContact as error:
            problems.add("email", str(error))
    if phone and phone.strip():
        try:
            clean_phone = normalize_phone(phone)
        except InvalidContact as error:
            problems.add("phone", str(error))
    if not problems and clean_email is None and clean_phone is None:
        problems.add("email", _("An e-mail or a phone is required."))
    if problems:
        problems.raise_if_any(_("The contact of the person is missing or invalid."))
    return clean_email, clean_phone


def find_person(email: str | None, phone: str | None) -> Lead | None:
    """The lead with this e-mail, else with this phone (both already normalised)."""
    if email is not None:
        lead = db.session.scalar(select(Lead).where(Lead.email == email))
        if lead is not None:
            return lead
    if phone is not None:
        return db.session.scalar(select(Lead).where(Lead.phone == phone))
    return None


def find_or_create_person(
    email: str | None,
    phone: str | None,
    name: str,
    company: str,
    at: datetime,
    *,
    update_known: bool = True,
) -> tuple[Lead, bool]:
    """The existing person or a new lead created at ``at``. ``update_known``: a known person
    takes the new name and company and a contact it lacks (only from staff input).

    Two requests creating the same person at once: the unique index decides, the loser
    re-reads the winner's row.
    """
    lead = find_person(email, phone)
    if lead is None:
        try:
            with db.session.begin_nested():
                lead = Lead(
                    email=email,
                    phone=phone,
                    name=name.strip(),
                    company=company.strip(),
                    created_at=at,
                    updated_at=at,
                )
                db.session.add(lead)
                db.session.flush()
            return lead, True
        except IntegrityError:
            lead = find_person(email, phone)
            if lead is None:
                raise
    if not update_known:
        return lead, False
    if email and lead.email is None and find_person(email, None) is None:
        lead.email = email
    if phone and lead.phone is None and find_person(None, phone) is None:
        lead.phone = phone
    if name.strip():
        lead.name = name.strip()
    if company.strip():
        lead.company = company.strip()
    return lead, False

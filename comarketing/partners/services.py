"""Creating and changing partners. Services flush; the caller commits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.core.errors import Conflict, ValidationFailed
from comarketing.core.slugs import SLUG_PATTERN, unique_slug
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.partners.signals import segment_changed, slug_changing

EDITABLE_FIELDS = ("name", "segment", "tier", "email", "commission_rate", "active", "slug")


def _check_slug(slug: str, partner: Partner | None = None) -> None:
    if not SLUG_PATTERN.match(slug):
        raise ValidationFailed(
            _("The slug must be lower-case ASCII letters, digits and dashes."),
            fields={"slug": [_("Use a-z, 0-9 and single dashes.")]},
        )
    query = select(Partner.id).where(Partner.slug == slug)
    if partner is not None:
        query = query.where(Partner.id != partner.id)
    if db.session.scalar(query) is not None:
        raise Conflict(_("The slug %(slug)s is taken by another partner.", slug=repr(slug)))


def create_partner(
    *,
    name: str,
    segment: str,
    slug: str | None = None,
    email: str | None = None,
    commission_rate: Decimal | None = None,
    tier: str | None = None,
) -> Partner:
    """Add a partner. Without ``slug`` one is transliterated from the name (``"Интегратор
    Плюс"`` → ``"integrator-plius"``) and made unique; a given slug must be free."""
    if not name.strip():
        raise ValidationFailed(_("The name must not be blank."), fields={"name": [_("Required.")]})
    if slug:
        _check_slug(slug)
    else:
        slug = unique_slug(Partner.slug, name, fallback="partner")
    if commission_rate is None:
        commission_rate = Decimal(current_app.config["DEFAULT_COMMISSION_RATE"])
    partner = Partner(
        name=name.strip(),
        slug=slug,
        segment=segment.strip().lower(),
        email=email,
        commission_rate=commission_rate,
        tier=tier,
    )
    db.session.add(partner)
    db.session.flush()
    return partner


def update_partner(partner: Partner, changes: dict[str, Any]) -> Partner:
    """Apply ``changes``. The slug is the partner's ``utm_source``: it may change only while
    nothing out in the world carries it (``slug_changing`` receivers refuse otherwise)."""
    new_slug = changes.get("slug")
    if new_slug is not None and new_slug != partner.slug:
        slug_changing.send(partner, new_slug=new_slug)
        _check_slug(new_slug, partner)
    old_segment = partner.segment
    for field in EDITABLE_FIELDS:
        if field in changes:
            value = changes[field]
            if field == "segment" and value is not None:
                value = value.strip().lower()
            if field == "name" and value is not None:
                value = value.strip()
                if not value:
                    raise ValidationFailed(
                        _("The name must not be blank."), fields={"name": [_("Required.")]}
                    )
            setattr(partner, field, value)
    db.session.flush()
    if partner.segment != old_segment:
        segment_changed.send(partner)
    return partner

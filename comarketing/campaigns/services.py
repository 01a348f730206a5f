"""Planning campaigns with partners. Services flush; the caller commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.campaigns.channels import CHANNEL_PATTERN
from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.campaigns.signals import campaign_created
from comarketing.core.errors import Problems
from comarketing.core.slugs import unique_slug
from comarketing.core.urls import InvalidDestination, validate_destination
from comarketing.extensions import db
from comarketing.partners.models import Partner

SHARE_PLACES = Decimal("0.000001")
SHARE_TOLERANCE = Decimal("0.0001")


@dataclass(frozen=True)
class PartnerShare:
    """A partner's part in a campaign; ``cost_share`` None means "split equally"."""

    partner_id: int
    cost_share: Decimal | None = None


def split_shares(shares: Sequence[PartnerShare], problems: Problems) -> dict[int, Decimal]:
    """Cost shares per partner: as given (they must all be given and sum to 1), or equal
    (the rounding remainder goes to the last partner, so they sum to exactly 1)."""
    ids = [share.partner_id for share in shares]
    if len(set(ids)) != len(ids):
        problems.add("partners", _("A partner is listed twice."))
        return {}
    if not shares:
        return {}
    given = [share.cost_share for share in shares if share.cost_share is not None]
    if given and len(given) != len(shares):
        problems.add("partners", _("Give a cost share for every partner, or for none."))
        return {}
    if given:
        if any(not Decimal(0) <= share <= 1 for share in given):
            problems.add("partners", _("Each cost share must be between 0 and 1."))
            return {}
        if abs(sum(given, Decimal(0)) - 1) > SHARE_TOLERANCE:
            problems.add(
                "partners", _("Cost shares must sum to 1 (they sum to %(sum)s).", sum=sum(given))
            )
            return {}
        return {share.partner_id: Decimal(share.cost_share or 0) for share in shares}
    equal = (Decimal(1) / len(shares)).quantize(SHARE_PLACES)
    split = dict.fromkeys(ids, equal)
    split[ids[-1]] = Decimal(1) - equal * (len(ids) - 1)
    return split


def _check_fields(
    problems: Problems,
    *,
    name: str,
    channel: str,
    starts_on: date,
    ends_on: date,
    budget: Decimal,
    landing_url: str | None,
) -> None:
    if not name.strip():
        problems.add("name", _("Required."))
    if not CHANNEL_PATTERN.match(channel):
        problems.add("channel", _("Use 2–40 of a-z, 0-9 and _ (e.g. yandex_direct)."))
    if ends_on < starts_on:
        problems.add("ends_on", _("The campaign cannot end before it starts."))
    if budget < 0:
        problems.add("budget", _("The budget cannot be negative."))
    if landing_url:
        try:
            validate_destination(landing_url)
        except InvalidDestination as error:
            problems.add("landing_url", _(error.msgid, **error.params))


def _partners_by_id(ids: Sequence[int], problems: Problems) -> dict[int, Partner]:
    found = {p.id: p for p in db.session.scalars(select(Partner).where(Partner.id.in_(ids)))}
    for partner_id in ids:
        if partner_id not in found:
            problems.add("partners", _("No partner with id %(ids)s.", ids=partner_id))
    return found


def create_campaign(
    *,
    name: str,
    channel: str,
    starts_on: date,
    ends_on: date,
    budget: Decimal = Decimal(0),
    partners: Sequence[PartnerShare] = (),
    description: str = "",
    landing_url: str | None = None,
    landing_hosts: str = "",
    created_by_id: int | None = None,
) -> Campaign:
    """Plan a campaign with its partners and their cost shares (RUB budget).

    With a ``landing_url`` every partner is issued its tracked link at once.
    """
    problems = Problems()
    _check_fields(
        problems,
        name=name,
        channel=channel,
        starts_on=starts_on,
        ends_on=ends_on,
        budget=budget,
        landing_url=landing_url,
    )
    shares = split_shares(partners, problems)
    found = _partners_by_id(list(shares), problems)
    problems.raise_if_any()
    campaign = Campaign(
        name=name.strip(),
        slug=unique_slug(Campaign.slug, name, fallback="campaign"),
        channel=channel,
        starts_on=starts_on,
        ends_on=ends_on,
        budget=budget,
        description=description.strip(),
        landing_url=landing_url or None,
        landing_hosts=" ".join(landing_hosts.lower().split()),
        created_by_id=created_by_id,
        partners=[CampaignPartner(partner_id=pid, cost_share=s) for pid, s in shares.items()],
    )
    db.session.add(campaign)
    db.session.flush()
    campaign_created.send(
        campaign, partners=[found[pid] for pid in shares], created_by_id=created_by_id
    )
    return campaign


def update_campaign(campaign: Campaign, changes: dict[str, Any]) -> Campaign:
    """Change a campaign; ``partners`` (a list of ``PartnerShare``) replaces the whole set.

    The slug never changes: it is ``utm_campaign`` on links already out in the world.
    """
    merged = {
        "name": changes.get("name", campaign.name),
        "channel": changes.get("channel", campaign.channel),
        "starts_on": changes.get("starts_on", campaign.starts_on),
        "ends_on": changes.get("ends_on", campaign.ends_on),
        "budget": changes.get("budget", campaign.budget),
        "landing_url": changes.get("landing_url", campaign.landing_url),
    }
    problems = Problems()
    _check_fields(problems, **merged)
    shares = None
    if "partners" in changes:
        shares = split_shares(changes["partners"], problems)
        _partners_by_id(list(shares), problems)
    problems.raise_if_any()
    for key, value in merged.items():
        setattr(campaign, key, value.strip() if isinstance(value, str) else value)
    for key in ("description", "landing_hosts"):
        if key in changes:
            setattr(
                campaign,
                key,
                " ".join(changes[key].split()) if key == "landing_hosts" else changes[key].strip(),
            )
    if shares is not None:
        current = {cp.partner_id: cp for cp in campaign.partners}
        campaign.partners = [
            current.get(pid) or CampaignPartner(partner_id=pid, cost_share=share)
            for pid, share in shares.items()
        ]
        for part in campaign.partners:
            part.cost_share = shares[part.partner_id]
    db.session.flush()
    return campaign

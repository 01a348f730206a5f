"""``tiers evaluate``: move every partner whose tier is not locked to the tier its last 12
months earn (contract §11). Promotions happen at once, demotions after ``TIER_GRACE_DAYS``
below the tier; each move is kept with its reason, takes the tier's benefits (commission rate
for new payments, MDF share) and is told to the partner by e-mail. Services flush; callers
commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from comarketing.core.money import money_str
from comarketing.core.outbox import OutboxChannel, enqueue
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.tiers.models import Tier, TierMove
from comarketing.tiers.rules import Standing, TierRule, best_tier, decide
from comarketing.tiers.standing import ZERO, standings
from comarketing.users.models import User

TIER_MOVED = "tier.moved"


@dataclass
class EvaluationReport:
    promoted: list[str] = field(default_factory=list)
    demoted: list[str] = field(default_factory=list)
    waiting: int = 0  # below their tier, inside the grace period
    locked: int = 0

    def __str__(self) -> str:
        return (
            f"{len(self.promoted)} promoted, {len(self.demoted)} demoted, "
            f"{self.waiting} in their grace period, {self.locked} locked"
        )


def tier_rules() -> list[TierRule]:
    return [
        TierRule(tier.name, tier.rank, tier.customers_12m, tier.revenue_12m)
        for tier in db.session.scalars(select(Tier).order_by(Tier.rank))
    ]


def _current(rules: list[TierRule], name: str | None) -> TierRule | None:
    """The partner's tier among the rules (names compare case-insensitively)."""
    if not name:
        return None
    return next((rule for rule in rules if rule.name.casefold() == name.casefold()), None)


def move_reason(to: TierRule | None, standing: Standing, *, promotion: bool) -> str:
    """Why, in the program's language (Russian first): the figures and the rule they meet."""
    with force_locale("ru"):
        figures = _(
            "%(customers)d paying clients and %(revenue)s RUB of payments in 12 months",
            customers=standing.customers,
            revenue=money_str(standing.revenue),
        )
        if to is None:
            return _("%(figures)s: no tier's criteria are met", figures=figures)
        needs = tier_needs(to)
        if promotion:
            return _(
                "%(figures)s: meets %(tier)s (%(needs)s)",
                figures=figures,
                tier=to.name,
                needs=needs,
            )
        return _(
            "%(figures)s: below the tier for the whole grace period; meets %(tier)s (%(needs)s)",
            figures=figures,
            tier=to.name,
            needs=needs,
        )


def tier_needs(rule: TierRule) -> str:
    parts = []
    if rule.customers_12m is not None:
        parts.append(_("≥ %(count)d paying clients", count=rule.customers_12m))
    if rule.revenue_12m is not None:
        parts.append(_("≥ %(amount)s RUB", amount=money_str(rule.revenue_12m)))
    return ", ".join(parts) or _("no criteria")


def _apply(partner: Partner, tier: Tier | None) -> None:
    partner.tier = tier.name if tier else None
    if tier is not None:
        partner.commission_rate = tier.commission_rate
        partner.mdf_share = tier.mdf_share
    else:
        partner.mdf_share = None


def _tell(partner: Partner, move: TierMove) -> None:
    """One e-mail to each active user of the partner (rendered when sent, in their language)."""
    users = db.session.scalars(
        select(User.id).where(User.partner_id == partner.id, User.active.is_(True))
    ).all()
    for user_id in users:
        enqueue(OutboxChannel.EMAIL, TIER_MOVED, {"move_id": move.id, "user_id": user_id})


def evaluate_tiers(as_of: datetime) -> EvaluationReport:
    """Evaluate every active partner as of ``as_of`` (UTC)."""
    report = EvaluationReport()
    rules = tier_rules()
    if not rules:
        return report
    tiers = {tier.name: tier for tier in db.session.scalars(select(Tier))}
    grace = timedelta(days=int(current_app.config["TIER_GRACE_DAYS"]))
    partners = db.session.scalars(
        select(Partner).where(Partner.active.is_(True)).order_by(Partner.id)
    ).all()
    found = standings(as_of)
    for partner in partners:
        if partner.tier_locked:
            report.locked += 1
            continue
        standing = found.get(partner.id, ZERO)
        current = _current(rules, partner.tier)
        decision = decide(
            current, best_tier(rules, standing), partner.below_tier_since, as_of, grace
        )
        partner.below_tier_since = decision.below_since
        if not decision.move:
            report.waiting += decision.below_since is not None
            continue
        promotion = decision.to is not None and (current is None or decision.to.rank > current.rank)
        move = TierMove(
            partner_id=partner.id,
            from_tier=partner.tier,
            to_tier=decision.to.name if decision.to else None,
            at=as_of,
            reason=move_reason(decision.to, standing, promotion=promotion),
            customers_12m=standing.customers,
            revenue_12m=standing.revenue,
        )
        db.session.add(move)
        _apply(partner, tiers[decision.to.name] if decision.to else None)
        db.session.flush()
        _tell(partner, move)
        (report.promoted if promotion else report.demoted).append(partner.slug)
    db.session.flush()
    return report

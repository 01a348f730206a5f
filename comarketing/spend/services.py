"""Recording money spent on campaigns and webinars (RUB), one row or a whole CSV file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import insert, select

from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.core.csv_import import AMOUNT_PROBLEMS, CsvImportError, RowErrors, read_csv
from comarketing.core.errors import Problems
from comarketing.core.money import InvalidAmount, money, parse_amount
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.spend.models import PaidBy, Spend, SpendSource
from comarketing.webinars.models import Webinar, WebinarHost

SPEND_COLUMNS = ("spent_on", "amount", "paid_by")
SPEND_OPTIONAL = ("campaign", "webinar", "partner", "note")


@dataclass(frozen=True)
class Participants:
    """Who takes part in what: the partners a spend row may name."""

    campaign_partners: dict[int, set[int]]
    webinar_hosts: dict[int, set[int]]

    @classmethod
    def load(cls) -> Participants:
        campaigns: dict[int, set[int]] = {}
        for campaign_id, partner_id in db.session.execute(
            select(CampaignPartner.campaign_id, CampaignPartner.partner_id)
        ):
            campaigns.setdefault(campaign_id, set()).add(partner_id)
        webinars: dict[int, set[int]] = {}
        for webinar_id, partner_id in db.session.execute(
            select(WebinarHost.webinar_id, WebinarHost.partner_id)
        ):
            webinars.setdefault(webinar_id, set()).add(partner_id)
        return cls(campaigns, webinars)


def spend_problems(
    *,
    amount: Decimal,
    paid_by: str,
    campaign_id: int | None,
    webinar_id: int | None,
    partner_id: int | None,
    participants: Participants,
) -> Problems:
    """The rules of one spend row, shared by the form, the API and the CSV import."""
    problems = Problems()
    if amount <= 0:
        problems.add("amount", _("The amount must be positive."))
    if paid_by not in set(PaidBy):
        problems.add("paid_by", _("Use vendor or partner."))
    if (campaign_id is None) == (webinar_id is None):
        problems.add("campaign_id", _("Give a campaign or a webinar, not both and not neither."))
        return problems
    if campaign_id is not None and db.session.get(Campaign, campaign_id) is None:
        problems.add("campaign_id", _("No such campaign."))
    if webinar_id is not None and db.session.get(Webinar, webinar_id) is None:
        problems.add("webinar_id", _("No such webinar."))
    if partner_id is None and paid_by == PaidBy.PARTNER:
        problems.add("partner_id", _("Spend paid by a partner must name the partner."))
    if partner_id is not None:
        members = (
            participants.campaign_partners.get(campaign_id, set())
            if campaign_id is not None
            else participants.webinar_hosts.get(webinar_id or 0, set())
        )
        if partner_id not in members:
            problems.add("partner_id", _("The partner does not take part in it."))
    return problems


def record_spend(
    *,
    amount: Decimal,
    spent_on: date,
    paid_by: str,
    campaign_id: int | None = None,
    webinar_id: int | None = None,
    partner_id: int | None = None,
    note: str = "",
    source: SpendSource = SpendSource.MANUAL,
    created_by_id: int | None = None,
) -> Spend:
    """Record one spend row (RUB) on a campaign or a webinar."""
    spend_problems(
        amount=amount,
        paid_by=paid_by,
        campaign_id=campaign_id,
        webinar_id=webinar_id,
        partner_id=partner_id,
        participants=Participants.load(),
    ).raise_if_any()
    spend = Spend(
        amount=money(amount),
        spent_on=spent_on,
        paid_by=PaidBy(paid_by),
        campaign_id=campaign_id,
        webinar_id=webinar_id,
        partner_id=partner_id,
        note=note.strip(),
        source=source,
        created_by_id=created_by_id,
    )
    db.session.add(spend)
    db.session.flush()
    return spend


def _slug_ids(model: type[Campaign] | type[Webinar] | type[Partner]) -> dict[str, int]:
    return dict(db.session.execute(select(model.slug, model.id)).all())


def import_spend(
    data: bytes | str,
    *,
    created_by_id: int | None = None,
    progress: Callable[[int], None] = lambda rows: None,
) -> int:
    """Import a spend CSV (``spent_on,amount,paid_by,campaign,webinar,partner,note``; campaign,
    webinar and partner by slug). All rows are checked first; any bad row refuses the whole
    file with ``CsvImportError`` listing every bad line, and nothing is written."""
    rows = read_csv(data, required=SPEND_COLUMNS, optional=SPEND_OPTIONAL)
    campaigns, webinars, partners = _slug_ids(Campaign), _slug_ids(Webinar), _slug_ids(Partner)
    participants = Participants.load()
    errors = RowErrors()
    records = []
    now = utcnow()
    for row in rows:
        line_problems = []
        try:
            spent_on = date.fromisoformat(row.get("spent_on"))
        except ValueError:
            line_problems.append(_("spent_on: use YYYY-MM-DD"))
            spent_on = now.date()
        try:
            amount = parse_amount(row.get("amount"))
        except InvalidAmount as error:
            line_problems.append(str(AMOUNT_PROBLEMS[error.problem]))
            amount = Decimal(1)
        refs = {}
        for column, known in (
            ("campaign", campaigns),
            ("webinar", webinars),
            ("partner", partners),
        ):
            slug = row.get(column)
            refs[column] = known.get(slug) if slug else None
            if slug and refs[column] is None:
                line_problems.append(
                    _(
                        "%(column)s: no %(column)s with slug %(slug)s",
                        column=column,
                        slug=repr(slug),
                    )
                )
        if not line_problems:
            problems = spend_problems(
                amount=amount,
                paid_by=row.get("paid_by").lower(),
                campaign_id=refs["campaign"],
                webinar_id=refs["webinar"],
                partner_id=refs["partner"],
                participants=participants,
            )
            line_problems += [
                f"{field.removesuffix('_id')}: {message}"
                for field, messages in problems.fields.items()
                for message in messages
            ]
        for problem in line_problems:
            errors.add(row.line, problem)
        if not line_problems:
            records.append(
                {
                    "amount": amount,
                    "spent_on": spent_on,
                    "paid_by": row.get("paid_by").lower(),
                    "campaign_id": refs["campaign"],
                    "webinar_id": refs["webinar"],
                    "partner_id": refs["partner"],
                    "note": row.get("note"),
                    "source": SpendSource.IMPORT.value,
                    "created_by_id": created_by_id,
                    "created_at": now,
                }
            )
    if errors:
        raise CsvImportError(
            _("%(count)s rows have errors; nothing was imported.", count=len(errors.by_line)),
            errors,
        )
    for start in range(0, len(records), 1000):
        batch = records[start : start + 1000]
        db.session.execute(insert(Spend), batch)
        progress(len(batch))
    return len(records)

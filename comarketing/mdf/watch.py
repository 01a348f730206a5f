"""The managers' lead-return watch list: where MDF money runs without the leads coming back.

``quiet_activities``: funded activities (approved or claimed requests with a funded link) that
have human clicks but fewer returned leads than reimbursement needs
(``ceil(planned_leads × MDF_MIN_LEAD_RETURN)``), in one grouped query. The page shows beside
it the partners whose leads do not reach the CRM (``integrations.stuck.stuck_partners``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, union

from comarketing.extensions import db
from comarketing.leads.models import Conversion, Touchpoint
from comarketing.links.models import Click, TrackedLink
from comarketing.mdf.budgets import RESERVING
from comarketing.mdf.models import MdfRequest
from comarketing.mdf.services.claims import min_lead_return, required_leads
from comarketing.partners.models import Partner

SHOWN = 100


@dataclass(frozen=True)
class QuietActivity:
    request: MdfRequest
    partner_name: str
    clicks: int  # human clicks on the funded link, ever
    leads: int  # distinct leads that came back through it
    needed: int  # leads reimbursement needs


def quiet_activities(*, partner_id: int | None = None) -> list[QuietActivity]:
    """Funded activities with clicks and too few returned leads, the earliest start first.

    Leads are counted as in ``leads.link_stats.link_leads_count`` (a touchpoint through the
    link or a conversion carrying one of its clicks), clicks are human clicks.
    """
    funded_stmt = (
        select(MdfRequest.id.label("request_id"), func.min(TrackedLink.id).label("link_id"))
        .join(
            TrackedLink,
            (TrackedLink.campaign_id == MdfRequest.campaign_id)
            & (TrackedLink.partner_id == MdfRequest.partner_id),
        )
        .where(MdfRequest.status.in_(RESERVING))
        .group_by(MdfRequest.id)
    )
    if partner_id is not None:
        funded_stmt = funded_stmt.where(MdfRequest.partner_id == partner_id)
    funded = funded_stmt.subquery()
    link_ids = select(funded.c.link_id)
    clicks = (
        select(Click.link_id.label("link_id"), func.count(Click.id).label("clicks"))
        .where(Click.link_id.in_(link_ids), Click.is_bot.is_(False))
        .group_by(Click.link_id)
        .subquery()
    )
    came = union(
        select(Touchpoint.link_id.label("link_id"), Touchpoint.lead_id.label("lead_id")).where(
            Touchpoint.link_id.in_(link_ids), Touchpoint.lead_id.is_not(None)
        ),
        select(Click.link_id.label("link_id"), Conversion.lead_id.label("lead_id"))
        .join(Click, Click.id == Conversion.click_id)
        .where(Click.link_id.in_(link_ids)),
    ).subquery()
    leads = select(came.c.link_id, func.count().label("leads")).group_by(came.c.link_id).subquery()
    returned = func.coalesce(leads.c.leads, 0)
    # leads < ceil(planned × p/q)  ⇔  leads × q < planned × p, exact in integers on both DBs
    share_p, share_q = min_lead_return().as_integer_ratio()
    rows = db.session.execute(
        select(MdfRequest, Partner.name, clicks.c.clicks, returned)
        .join(funded, funded.c.request_id == MdfRequest.id)
        .join(clicks, clicks.c.link_id == funded.c.link_id)  # inner: only links with clicks
        .outerjoin(leads, leads.c.link_id == funded.c.link_id)
        .join(Partner, Partner.id == MdfRequest.partner_id)
        .where(returned * share_q < MdfRequest.planned_leads * share_p)
        .order_by(MdfRequest.starts_on, MdfRequest.id)
        .limit(SHOWN)
    )
    return [
        QuietActivity(
            request=row[0],
            partner_name=row[1],
            clicks=int(row[2]),
            leads=int(row[3]),
            needed=required_leads(row[0]),
        )
        for row in rows
    ]

"""The joint-webinar rhythm per CRM ecosystem (contract §9): how many webinars each segment
had in a month against ``WEBINARS_PER_MONTH_TARGET`` — one team per ecosystem, so one
segment's busy month must not hide the other's empty one. A webinar counts for the segments
of its co-hosts (once per segment); cancelled webinars do not count."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from sqlalchemy import distinct, func, select

from comarketing.core.time import month_bounds
from comarketing.extensions import db
from comarketing.partners.models import Partner
from comarketing.webinars.models import Webinar, WebinarHost, WebinarStatus


class Pace(StrEnum):
    BELOW = "below"  # under the target's minimum
    OK = "ok"
    ABOVE = "above"  # over its maximum


@dataclass(frozen=True)
class SegmentRhythm:
    segment: str
    count: int
    status: Pace


@dataclass(frozen=True)
class Rhythm:
    year: int
    month: int
    low: int
    high: int
    segments: list[SegmentRhythm]

    @property
    def lopsided(self) -> list[tuple[str, str]]:
        """(empty segment, busy segment) pairs: one had none while another had several (≥ 2)."""
        empty = [row.segment for row in self.segments if row.count == 0]
        busy = [row.segment for row in self.segments if row.count >= 2]
        return [(quiet, loud) for quiet in empty for loud in busy]

    @property
    def behind(self) -> list[SegmentRhythm]:
        return [row for row in self.segments if row.status is Pace.BELOW]


def pace(count: int, low: int, high: int) -> Pace:
    if count < low:
        return Pace.BELOW
    return Pace.ABOVE if count > high else Pace.OK


def _segments() -> list[str]:
    """The program's ecosystems: the segments of active partners, in order."""
    return list(
        db.session.scalars(
            select(Partner.segment)
            .where(Partner.active.is_(True))
            .distinct()
            .order_by(Partner.segment)
        )
    )


def month_rhythm(year: int, month: int) -> Rhythm:
    """Each segment's webinars in the month (local to ``BABEL_DEFAULT_TIMEZONE``)."""
    low, high = current_app.config["WEBINARS_PER_MONTH_TARGET"]
    start, end = month_bounds(year, month, current_app.config["BABEL_DEFAULT_TIMEZONE"])
    counts: dict[str, int] = dict(
        db.session.execute(
            select(Partner.segment, func.count(distinct(Webinar.id)))
            .join(WebinarHost, WebinarHost.partner_id == Partner.id)
            .join(Webinar, Webinar.id == WebinarHost.webinar_id)
            .where(
                Webinar.starts_at >= start,
                Webinar.starts_at < end,
                Webinar.status != WebinarStatus.CANCELLED,
            )
            .group_by(Partner.segment)
        ).all()
    )
    segments = sorted(set(_segments()) | set(counts))
    return Rhythm(
        year,
        month,
        low,
        high,
        [SegmentRhythm(s, counts.get(s, 0), pace(counts.get(s, 0), low, high)) for s in segments],
    )

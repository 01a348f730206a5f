"""The dimensions of the ROI report (contract §6): partner, segment, campaign, webinar, channel
and month, in one registry (``DIMENSIONS``).

Each dimension knows, in one place, its key on every source of figures (a column, or for
months the month of the figure's own moment), how its rows are named, what a row's key looks
like in a URL and which credits make a row (the leads behind it). Report code asks the
dimension of its scope; it never switches on the dimension's name.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, literal, select

from comarketing.attribution.models import AttributionCredit
from comarketing.calls.models import CALL_CHANNEL, Call
from comarketing.campaigns.channels import WEBINAR_CHANNEL, channel_label
from comarketing.campaigns.models import Campaign
from comarketing.core.schemas import INT32_MAX
from comarketing.extensions import db
from comarketing.links.models import TrackedLink
from comarketing.partners.models import Partner
from comarketing.partners.segments import segment_label
from comarketing.reports.models import CreditDay, CustomerDay, RegistrationDay
from comarketing.reports.periods import Period, month_of
from comarketing.spend.models import Spend
from comarketing.webinars.models import Registration, Webinar

UNATTRIBUTED = "none"  # the key of the unattributed row (key None) in URLs


class BadKey(ValueError):
    """A row key that cannot belong to the dimension."""


class Source(Enum):
    """Where a figure's rows come from, and what its query joins for the dimensions."""

    # Attribution credits (leads, customers; payments and commissions are split by them):
    # partner, campaign, webinar, channel and segment are copied from the touch.
    CREDITS = "credits"
    LINKS = "links"  # clicks and their daily rollup: their TrackedLink, its Partner, Campaign
    REGISTRATIONS = "registrations"  # Registration with its Webinar, its Partner (outer)
    SPEND = "spend"  # a spend row's shares, each with its Partner (outer); Spend, Campaign
    CALLS = "calls"  # calls to tracking numbers, each with its Partner (outer)
    # The credited figures' daily rollup (``credit_days``): the touch's keys, as on CREDITS.
    CREDIT_DAYS = "credit_days"
    # Registrations per day, webinar and partner (``registration_days``): as REGISTRATIONS.
    REGISTRATION_DAYS = "registration_days"
    # Customers' credits per day, touch and days to customer (``customer_days``): as CREDITS.
    CUSTOMER_DAYS = "customer_days"


@dataclass(frozen=True)
class On:
    """A figure's rows as the dimensions see them: their source, and the moment that places a
    row in a month (a timestamp, or a date with ``is_date``), on the database ``dialect``."""

    source: Source
    moment: Any
    dialect: str
    is_date: bool = False

    def within(self, period: Period) -> tuple[Any, Any]:
        """The conditions that the rows' moment falls in ``period``."""
        return period.holds(self.moment, is_date=self.is_date)


class Dimension:
    """A way to group the report: ``name`` as in ``group_by``, ``title`` as shown, and its
    key column on each source (``keys``, in the order of ``Source``)."""

    chronological = False  # rows are read in time order (pages show months so)

    def __init__(self, name: str, title: Any, keys: Sequence[Any] = ()) -> None:
        self.name, self.title = name, title
        self.keys = dict(zip(Source, keys, strict=True)) if keys else {}

    def key(self, on: On) -> Any:
        """The rows' key on their source."""
        return self.keys[on.source]

    def parse(self, text: str) -> Any:
        """The key a URL's ``key`` names (not ``none``); BadKey when no row can have it."""
        return text

    def names(self, keys: list[Any]) -> dict[Any, str]:
        """The shown names of these keys (None excluded) that name something."""
        raise NotImplementedError

    def labels(self, keys: Collection[Any]) -> dict[Any, str]:
        """Each row key's label, in one query at most; a vanished object shows its key."""
        named = self.names([key for key in keys if key is not None])
        return {key: _("Unattributed") if key is None else named.get(key, str(key)) for key in keys}

    def row_label(self, text: str) -> str | None:
        """The label of the row a URL's ``key`` names; None when it names no row."""
        if text == UNATTRIBUTED:
            return _("Unattributed")
        try:
            key = self.parse(text)
        except BadKey:
            return None
        return self.names([key]).get(key)

    def picks(self, on: On, text: str) -> list[Any]:
        """The conditions on the rows of ``on`` that make the row a URL's ``key`` names
        (``none``: unattributed); BadKey when no row can have it."""
        if text == UNATTRIBUTED:
            return [self.key(on).is_(None)]
        return [self.key(on) == self.parse(text)]


class Named(Dimension):
    """Rows that are objects of a table (partner, campaign, webinar): keyed by id, labelled
    with the object's name."""

    def __init__(self, name: str, title: Any, names: tuple[Any, Any], keys: Sequence[Any]):
        super().__init__(name, title, keys)
        self.table_id, self.shown = names  # the objects' id and name columns

    def parse(self, text: str) -> int:
        if not text.isdigit() or int(text) > INT32_MAX:
            raise BadKey(text)
        return int(text)

    def names(self, keys: list[Any]) -> dict[Any, str]:
        if not keys:
            return {}
        found = select(self.table_id, self.shown).where(self.table_id.in_(keys))
        return dict(db.session.execute(found).all())


class Coded(Dimension):
    """Rows keyed by a stored code (segment, channel), labelled by the code's shown name."""

    def __init__(self, name: str, title: Any, label: Callable[[str], str], keys: Sequence[Any]):
        super().__init__(name, title, keys)
        self.label = label

    def names(self, keys: list[Any]) -> dict[Any, str]:
        return {key: self.label(key) for key in keys}


class Month(Dimension):
    """Rows per UTC month (``YYYY-MM``) of each figure's own moment: a lead's creation, a
    first payment, a payment, a click, a registration, a webinar, a spend."""

    chronological = True

    def key(self, on: On) -> Any:
        return month_of(on.moment, on.dialect, is_date=on.is_date)

    def parse(self, text: str) -> str:
        self._period(text)
        return text

    def names(self, keys: list[Any]) -> dict[Any, str]:
        return {key: str(key) for key in keys}

    def picks(self, on: On, text: str) -> list[Any]:
        if text == UNATTRIBUTED:
            return [false()]  # every row has a month
        return list(on.within(self._period(text)))

    @staticmethod
    def _period(text: str) -> Period:
        try:
            return Period.month(date.fromisoformat(f"{text}-01"))
        except ValueError:
            raise BadKey(text) from None


AC = AttributionCredit
CD = CreditDay
RD = RegistrationDay
CU = CustomerDay
# A campaign's clicks and spend are in its channel; a webinar's are in the webinar channel.
CAMPAIGN_CHANNEL = func.coalesce(Campaign.channel, literal(WEBINAR_CHANNEL))
# Each dimension's key on each source, in the order of ``Source``: credits, links,
# registrations, spend (a spend share's partner is the Partner its query joins), calls (the
# partner, campaign and webinar a call was credited to; every call is in the call channel),
# the credited figures' daily rollup, the registrations' daily rollup, the customers' days.
KEYS = {
    "partner": (
        AC.partner_id,
        TrackedLink.partner_id,
        Registration.partner_id,
        Partner.id,
        Call.partner_id,
        CD.partner_id,
        RD.partner_id,
        CU.partner_id,
    ),
    "segment": (
        AC.segment,
        Partner.segment,
        Partner.segment,
        Partner.segment,
        Partner.segment,
        CD.segment,
        Partner.segment,
        CU.segment,
    ),
    "campaign": (
        AC.campaign_id,
        TrackedLink.campaign_id,
        Webinar.campaign_id,
        Spend.campaign_id,
        Call.campaign_id,
        CD.campaign_id,
        Webinar.campaign_id,
        CU.campaign_id,
    ),
    "webinar": (
        AC.webinar_id,
        TrackedLink.webinar_id,
        Registration.webinar_id,
        Spend.webinar_id,
        Call.webinar_id,
        CD.webinar_id,
        RD.webinar_id,
        CU.webinar_id,
    ),
    "channel": (
        AC.channel,
        CAMPAIGN_CHANNEL,
        literal(WEBINAR_CHANNEL),
        CAMPAIGN_CHANNEL,
        literal(CALL_CHANNEL),
        CD.channel,
        literal(WEBINAR_CHANNEL),
        CU.channel,
    ),
}
PARTNER = Named("partner", _l("Partner"), (Partner.id, Partner.name), KEYS["partner"])
SEGMENT = Coded("segment", _l("Segment"), segment_label, KEYS["segment"])
CAMPAIGN = Named("campaign", _l("Campaign"), (Campaign.id, Campaign.name), KEYS["campaign"])
WEBINAR = Named("webinar", _l("Webinar"), (Webinar.id, Webinar.title), KEYS["webinar"])
CHANNEL = Coded("channel", _l("Channel"), channel_label, KEYS["channel"])
MONTH = Month("month", _l("Month"))

DIMENSIONS: dict[str, Dimension] = {
    dimension.name: dimension for dimension in (PARTNER, SEGMENT, CAMPAIGN, WEBINAR, CHANNEL, MONTH)
}
GROUPS = tuple(DIMENSIONS)

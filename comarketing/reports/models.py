"""Daily rollups that reports read instead of raw rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import UTCDateTime
from comarketing.extensions import Model

# Sums kept as the database adds them (unconstrained NUMERIC on PostgreSQL: exact, so a
# period's sum of days is the sum of its rows).
SUM = Numeric(asdecimal=True)


class ClickDay(Model):
    """Clicks per link and UTC day, of the clicks that can no longer change (those before the
    mark's ``through_at``: today's up to a minute or two ago): reports read these instead of
    a million click rows. Added to by ``reports.rollup.roll_up_clicks``."""

    __tablename__ = "click_days"

    link_id: Mapped[int] = mapped_column(
        ForeignKey("links.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    humans: Mapped[int] = mapped_column(default=0)
    bots: Mapped[int] = mapped_column(default=0)
    qr: Mapped[int] = mapped_column(default=0)  # human clicks through the QR code


class ClickAddress(Model):
    """Human clicks already rolled up per link, UTC day and visitor address (clicks with
    one), a flood's clicks included (``click_days.humans`` leaves those out): where a flood's
    count resumes when the rest of the day is rolled up or read (``reports.rollup``). Only
    the last two days are kept; older ones can change nothing."""

    __tablename__ = "click_addresses"

    link_id: Mapped[int] = mapped_column(
        ForeignKey("links.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    ip_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    humans: Mapped[int] = mapped_column(default=0)


class RollupMark(Model):
    """How far a rollup has been done: ``through`` is the last whole day included; for the
    clicks, ``through_at`` is the moment (UTC) before which every click is included."""

    __tablename__ = "rollup_marks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    through: Mapped[date] = mapped_column(Date)
    through_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CreditDay(Model):
    """The credited figures per UTC day, model and touch (partner, campaign, webinar, channel,
    segment): credits of the leads created that day (``leads``, and by their status now), of
    the leads whose first payment fell that day (``customers``), and the payments of the day
    with their commissions split by credits (RUB, unrounded). Each figure sits on the day of
    its own moment; ``model`` is as stored (``all`` counts under every model). Rebuilt per day
    by ``reports.credit_days`` for the days a write marked dirty."""

    __tablename__ = "credit_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "day", or "month": the sums of the month's days, ``day`` its first (a report reads the
    # whole months of its period from these and the days at its edges from the others).
    grain: Mapped[str] = mapped_column(String(5))
    day: Mapped[date] = mapped_column(Date)
    model: Mapped[str] = mapped_column(String(16))
    partner_id: Mapped[int | None]
    campaign_id: Mapped[int | None]
    webinar_id: Mapped[int | None]
    channel: Mapped[str | None] = mapped_column(String(40))
    segment: Mapped[str | None] = mapped_column(String(40))
    leads: Mapped[Decimal] = mapped_column(SUM, default=0)
    working: Mapped[Decimal] = mapped_column(SUM, default=0)
    won: Mapped[Decimal] = mapped_column(SUM, default=0)
    lost: Mapped[Decimal] = mapped_column(SUM, default=0)
    customers: Mapped[Decimal] = mapped_column(SUM, default=0)
    revenue: Mapped[Decimal] = mapped_column(SUM, default=0)
    commissions: Mapped[Decimal] = mapped_column(SUM, default=0)

    __table_args__ = (Index("ix_credit_days_model_day", "model", "grain", "day"),)


class DirtyDay(Model):
    """A UTC day whose ``credit_days`` must be rebuilt: written by database triggers in the
    transaction of every write to credits, leads' first payments, payments, commissions and
    closed lines (migration 7e3f2a9c4b10), taken (deleted) by the rebuild. ``xact`` is the
    writing transaction on PostgreSQL (a trigger writes a day once per transaction)."""

    __tablename__ = "credit_dirty_days"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date)
    xact: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_credit_dirty_days_day", "day", "xact"),)


class RegistrationDay(Model):
    """Webinar registrations per UTC day of registering, webinar and partner, and how many
    of them attended: reports count registrations by their day and attendees by their
    webinar's start (joined when read). Rebuilt with ``credit_days`` for the dirty days."""

    __tablename__ = "registration_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    webinar_id: Mapped[int] = mapped_column(index=True)
    partner_id: Mapped[int | None]
    registrations: Mapped[int] = mapped_column(default=0)
    attendees: Mapped[int] = mapped_column(default=0)


class CustomerDay(Model):
    """The credits of today's customers per UTC day of their lead's creation (and per month,
    the sum of its days), model, touch and whole days from creation to customer
    (``customer_since − created_at``, the whole days elapsed): what a report's median days to
    customer is read from (``reports.customer_days``). Rebuilt with ``credit_days`` for dirty
    days."""

    __tablename__ = "customer_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(String(5))  # "day" or "month", as in ``credit_days``
    day: Mapped[date] = mapped_column(Date)
    model: Mapped[str] = mapped_column(String(16))
    partner_id: Mapped[int | None]
    campaign_id: Mapped[int | None]
    webinar_id: Mapped[int | None]
    channel: Mapped[str | None] = mapped_column(String(40))
    segment: Mapped[str | None] = mapped_column(String(40))
    days: Mapped[int]
    # The credits summed, in whole units of a credit's last place (10⁻¹⁰): integers add up
    # exactly on both databases, so a median's tie is the same from the rollup and the rows.
    weight: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_customer_days_model_day", "model", "grain", "day"),)

"""Daily rollups that reports read instead of raw rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.extensions import Model


class ClickDay(Model):
    """Clicks per link and UTC day, for the days that can no longer change (all but the last
    two): reports read these instead of a million click rows. Filled by
    ``reports.rollup.roll_up_clicks``."""

    __tablename__ = "click_days"

    link_id: Mapped[int] = mapped_column(
        ForeignKey("links.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    humans: Mapped[int] = mapped_column(default=0)
    bots: Mapped[int] = mapped_column(default=0)
    qr: Mapped[int] = mapped_column(default=0)  # human clicks through the QR code


class RollupMark(Model):
    """How far a rollup has been done: ``through`` is the last day included."""

    __tablename__ = "rollup_marks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    through: Mapped[date] = mapped_column(Date)

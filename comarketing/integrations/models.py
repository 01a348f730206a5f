"""Where leads go: Bitrix24, amoCRM, signed webhooks (carried there by the outbox)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import UTCDateTime, str_enum
from comarketing.core.time import utcnow
from comarketing.extensions import Model


class DestinationKind(StrEnum):
    BITRIX24 = "bitrix24"
    AMOCRM = "amocrm"
    WEBHOOK = "webhook"


class CrmDestination(Model):
    """A CRM or webhook that receives new leads. ``secret`` is the amoCRM token or the
    webhook signing secret (needed in clear to sign and authenticate outbound calls)."""

    __tablename__ = "crm_destinations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DestinationKind] = mapped_column(str_enum(DestinationKind, "kind"))
    name: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2048))
    secret: Mapped[str | None] = mapped_column(String(1000))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""Cross-cutting tables that belong to no domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from comarketing.core.db import UTCDateTime
from comarketing.core.time import utcnow
from comarketing.extensions import Model


class IdempotencyRecord(Model):
    """The stored answer to an API write sent with an ``Idempotency-Key``.

    ``status_code`` is None while the first request is still running: a concurrent duplicate
    then gets 409 instead of doing the work twice.
    """

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    endpoint: Mapped[str] = mapped_column(String(300))  # METHOD path
    request_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the body
    status_code: Mapped[int | None]
    response_body: Mapped[Any | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class UsedSignature(Model):
    """A request signature already accepted: the same one again is a replay (contract §7).
    Rows older than the signatures' tolerance are purged as new ones arrive."""

    __tablename__ = "used_signatures"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)  # the v1 HMAC, hex
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

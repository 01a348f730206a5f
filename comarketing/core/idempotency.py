"""``Idempotency-Key`` on API writes: a retried request gets the first answer, not a second
effect.

The key is claimed in its own committed row before the work starts, so a concurrent duplicate
sees it and gets 409; the answer is stored when the work has been committed. The same key
with another body is a 422. A claim left "in progress" by a crashed worker expires after
``STALE_AFTER``: the writes behind these endpoints are themselves deduplicated (persons by
e-mail/phone, payments by ``external_id``), so running one again is harmless.

Answers are kept ``IDEMPOTENCY_KEEP_HOURS`` (24, as payment APIs do: retries come within
minutes), then forgotten: each claim first deletes the expired ones (an index range on
``created_at``), so the table holds about a day of writes and no personal data lingers in old
answers; a key sent again after that is a new request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, current_app, g, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from comarketing.core.errors import Conflict, ValidationFailed
from comarketing.core.models import IdempotencyRecord
from comarketing.core.time import utcnow
from comarketing.extensions import db

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
STALE_AFTER = timedelta(minutes=2)

F = TypeVar("F", bound=Callable[..., Any])


def _claim(user_id: int, key: str, endpoint: str, digest: str) -> IdempotencyRecord | Response:
    """Our fresh claim, or the stored answer of an earlier identical request."""
    expired = utcnow() - timedelta(hours=float(current_app.config["IDEMPOTENCY_KEEP_HOURS"]))
    try:
        db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < expired))
        record = IdempotencyRecord(user_id=user_id, key=key, endpoint=endpoint, request_hash=digest)
        db.session.add(record)
        db.session.commit()
        return record
    except IntegrityError:
        db.session.rollback()
    existing = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
        )
    )
    if existing is None:  # deleted between our insert and this read: try once more
        return _claim(user_id, key, endpoint, digest)
    if existing.request_hash != digest or existing.endpoint != endpoint:
        raise ValidationFailed(
            _("This Idempotency-Key was used with another request."),
            code="idempotency_key_reused",
            fields={"Idempotency-Key": [_("Use a new key for a different request.")]},
        )
    if existing.status_code is None:
        if utcnow() - existing.created_at < STALE_AFTER:
            raise Conflict(
                _("A request with this Idempotency-Key is still being processed."),
                code="idempotency_in_progress",
            )
        existing.created_at = utcnow()  # take over the abandoned claim
        db.session.commit()
        return existing
    replay = jsonify(existing.response_body)
    replay.status_code = existing.status_code
    replay.headers["Idempotent-Replayed"] = "true"
    return replay


def idempotent(view: F) -> F:
    """Honour ``Idempotency-Key`` on an API write (put it above the smorest decorators)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return view(*args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise ValidationFailed(
                _("The Idempotency-Key is too long."),
                fields={
                    "Idempotency-Key": [_("At most %(count)s characters.", count=MAX_KEY_LENGTH)]
                },
            )
        digest = hashlib.sha256(request.get_data(cache=True)).hexdigest()
        endpoint = f"{request.method} {request.path}"[:300]
        claim = _claim(g.api_user.id, key, endpoint, digest)
        if isinstance(claim, Response):
            return claim
        record_id = claim.id
        try:
            response = view(*args, **kwargs)
        except Exception:
            db.session.rollback()
            _forget(record_id)  # a refused request may be corrected and sent again
            raise
        answer = cast(Response, response)
        record = db.session.get(IdempotencyRecord, record_id)
        if record is not None:
            record.status_code = answer.status_code
            record.response_body = answer.get_json(silent=True)
            db.session.commit()
        return answer

    return cast(F, wrapped)


def _forget(record_id: int) -> None:
    record = db.session.get(IdempotencyRecord, record_id)
    if record is not None:
        db.session.delete(record)
        db.session.commit()

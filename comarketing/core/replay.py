"""One signature, one request: a signed request's HMAC is remembered for as long as its
timestamp is acceptable, so a captured request cannot be sent again. Flushes; the caller
commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from comarketing.core.models import UsedSignature
from comarketing.core.signatures import TOLERANCE_SECONDS
from comarketing.core.time import utcnow
from comarketing.extensions import db

# A timestamp is accepted this far on either side of now, so a signature can come back for
# twice as long; kept a little longer than that.
KEEP = timedelta(seconds=3 * TOLERANCE_SECONDS)


def use_signature(digest: str, now: datetime | None = None) -> bool:
    """Record ``digest`` as used; False when it was used before (a replay). Two requests with
    the same signature at once: the primary key lets one through."""
    moment = now or utcnow()
    db.session.execute(delete(UsedSignature).where(UsedSignature.used_at < moment - KEEP))
    try:
        with db.session.begin_nested():
            db.session.add(UsedSignature(digest=digest, used_at=moment))
    except IntegrityError:
        return False
    return True

"""The one way a caller runs a service and commits: ``committed``, used by pages (through
``core.forms.commit_or_show``) and by the API (through ``answer``).

Services add and flush, never commit (design rule 2); the caller commits once, after the
whole service ran. A refusal (``DomainError``) rolls back everything the service flushed and
goes on to the caller: a page shows it on its form, the API's error handler answers it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from comarketing.core.errors import DomainError
from comarketing.extensions import db

T = TypeVar("T")


def committed(action: Callable[[], T]) -> T:
    """Run ``action`` (one service call) and commit what it wrote; on a ``DomainError`` roll
    back and raise it again, nothing written."""
    try:
        result = action()
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return result


def answer(action: Callable[[], T], shape: Callable[[T], Any] | None = None) -> Any:
    """An API write: run ``action`` (one service call), commit, and answer its result, or
    ``shape(result)`` (a body, or ``(body, status)`` where the status depends on it), built
    after the commit. A refusal goes on to ``core.errors``, which answers it
    with the contract's error body and the refusal's status."""
    result = committed(action)
    return result if shape is None else shape(result)


def created_or_known(item: Any, created: bool) -> tuple[Any, int]:
    """The answer of an idempotent create: 201 for a new object, 200 for one already known
    (a known person, a repeated ``external_id``, a second registration)."""
    return item, 201 if created else 200


def require_no_change() -> None:
    """A read's guard: the request's session holds no unsaved change (it would be lost)."""
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("a read's own transaction: the request's session must hold no change")


@contextmanager
def own_transaction() -> Iterator[Session]:
    """A short transaction of its own, committed when the block ends, for what a read must
    still write (a report's click rollup, a token's last use) while its request's session
    commits nothing. The request's session must hold no change: its read transaction is
    ended first (rolled back, there is nothing in it to keep), because ours take SQLite's
    write lock at BEGIN and the block would otherwise wait for the request that waits for it."""
    require_no_change()
    db.session.rollback()
    with db.session.session_factory() as session, session.begin():
        yield session

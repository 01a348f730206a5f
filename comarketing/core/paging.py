"""Paged lists: the pages' ``?page=`` (``paginate``, Flask-SQLAlchemy's ``db.paginate`` shown by
the ``pager`` macro of ``_macros/ui.html``), and the API's collections, ``?limit=&cursor=`` (or
``?page=``) with the ``{items, next}`` body (``list_page``)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import marshmallow as ma
from flask import request
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import BigInteger
from sqlalchemy.orm import InstrumentedAttribute

from comarketing.core.db import AnySelect
from comarketing.core.errors import ValidationFailed
from comarketing.extensions import db

if TYPE_CHECKING:
    from comarketing.users.models import User

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
PastLast = Literal["last", "empty"]
MAX_PAGE = 100_000  # a larger ?page= is read as this one, so the offset stays a small number


def paginate(stmt: AnySelect, per_page: int, *, past_last: PastLast = "last") -> Pagination:
    """One page of ``stmt`` (ordered; rows of one entity) for a page's list, by ``?page=``: a
    whole number from 1, anything else is page 1. A page past the last shows the last
    (``past_last="last"``) or an empty list (``"empty"``)."""
    number = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    found = _page(stmt, number, per_page)
    if past_last == "last" and found.pages and number > found.pages:
        found = _page(stmt, found.pages, per_page)
    return found


def _page(stmt: AnySelect, number: int, per_page: int) -> Pagination:
    return db.paginate(stmt, page=number, per_page=per_page, max_per_page=per_page, error_out=False)


class ListArgsSchema(ma.Schema):
    """``?limit=&cursor=`` (or ``?page=``) accepted by every collection.

    A collection's own filters are added by its subclass, each named (its attribute, not its
    ``data_key``) as the keyword of the domain's query it goes to (``q`` → ``search``).
    """

    class Meta:
        unknown = ma.EXCLUDE

    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=500))
    cursor = ma.fields.String(load_default=None, validate=ma.validate.Length(max=64))
    page = ma.fields.Integer(load_default=None, validate=ma.validate.Range(min=1, max=1_000_000))


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, maximum: int = INT32_MAX) -> int:
    """The id after which the next page starts. A cursor we did not issue (not a number, or
    outside ``0..maximum``, the id column's range) is a 422, never a database error."""
    invalid = ValidationFailed(_("Invalid cursor."), fields={"cursor": [_("Invalid cursor.")]})
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = int(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid from None
    if not 0 <= value <= maximum:
        raise invalid
    return value


def page_of(
    stmt: AnySelect, id_column: InstrumentedAttribute[int], args: dict[str, Any]
) -> tuple[Sequence[Any], str | None]:
    """Run ``stmt`` for one page ordered by ``id_column`` alone (a query's own order, e.g. newest
    first for a page, is dropped: the keyset needs the ids ascending): keyset by ``cursor``,
    else offset by ``page``. Returns the rows and the cursor of the next page (None on the
    last one)."""
    limit: int = args["limit"]
    stmt = stmt.order_by(None).order_by(id_column)
    if args.get("cursor"):
        maximum = INT64_MAX if isinstance(id_column.type, BigInteger) else INT32_MAX
        stmt = stmt.where(id_column > decode_cursor(args["cursor"], maximum))
    elif args.get("page"):
        stmt = stmt.offset((args["page"] - 1) * limit)
    rows = db.session.execute(stmt.limit(limit + 1)).scalars().all()
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor(getattr(rows[-1], id_column.key))
    return rows, None


PAGING_ARGS = frozenset(ListArgsSchema._declared_fields)


def list_page(
    query: Callable[..., AnySelect],
    user: User,
    id_column: InstrumentedAttribute[int],
    args: dict[str, Any],
    items: Callable[[Sequence[Any]], list[Any]] | None = None,
) -> dict[str, Any]:
    """The answer of a collection: ``query(user, **filters)`` (the filters are the loaded
    list args other than ``limit``, ``cursor`` and ``page``), one page of it ordered by
    ``id_column``, as ``{"items": [...], "next": cursor-or-null}``; ``items`` turns the page's
    rows into the listed items (the rows themselves by default)."""
    filters = {name: value for name, value in args.items() if name not in PAGING_ARGS}
    rows, next_cursor = page_of(query(user, **filters), id_column, args)
    return {"items": list(rows) if items is None else items(rows), "next": next_cursor}


def list_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The envelope ``{"items": [...], "next": cursor-or-null}`` of a collection."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "next": ma.fields.String(allow_none=True, required=True),
        },
        name=name,
    )

"""The ``GET`` of every collection of the API, documented once: its query arguments and the
``{"items": [...], "next": cursor-or-null}`` answer. The resource's method answers with
``core.paging.list_page`` (one page of the domain's query as the token's user may see it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import marshmallow as ma
from flask_smorest import Blueprint

from comarketing.core.paging import list_schema

F = TypeVar("F", bound=Callable[..., Any])


def collection(
    blp: Blueprint, args: type[ma.Schema], item: type[ma.Schema], name: str
) -> Callable[[F], F]:
    """Decorate a collection's ``get``: ``args`` (a ``ListArgsSchema``) parsed from the query
    string, the answer documented as ``name``, a list of ``item``."""

    def decorator(get: F) -> F:
        documented = blp.response(200, list_schema(item, name))(get)
        return blp.arguments(args, location="query")(documented)

    return decorator

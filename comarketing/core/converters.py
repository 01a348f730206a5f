"""URL converters: ``<int:…>`` in every route is bounded to what id columns can hold."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

from comarketing.core.schemas import INT32_MAX


class IdConverter(IntegerConverter):
    """Like Flask's ``int``, but a number past 2^31 − 1 does not match the route (a 404),
    instead of reaching PostgreSQL as an out-of-range ``integer`` (a 500)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", INT32_MAX)
        super().__init__(map, *args, **kwargs)

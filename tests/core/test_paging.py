"""Keyset paging walks every row once, whatever order the domain's query asks for: the API's
collections of tokens and deal registrations are ordered newest first for pages, and their
pages after the first were lost before the keyset dropped that order."""

from __future__ import annotations

import pytest

from comarketing.core.auth import Role
from tests.factories import bearer


@pytest.mark.parametrize("limit", [1, 2])
def test_every_token_is_listed_once_across_pages(client, make, limit):
    admin = make.user(Role.ADMIN)
    token = bearer(make.token(admin))
    for _ in range(2):
        make.token(admin)
    seen, cursor = [], None
    for _ in range(10):
        query = f"/api/v1/tokens?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        answer = client.get(query, headers=token)
        assert answer.status_code == 200, answer.json
        seen += [item["id"] for item in answer.json["items"]]
        cursor = answer.json["next"]
        if cursor is None:
            break
    assert len(seen) == 3
    assert seen == sorted(set(seen))

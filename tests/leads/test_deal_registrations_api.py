"""Deal registrations through the API (contract §7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from comarketing.core.auth import Role
from tests.factories import bearer


def post_deal(client, token, **body):
    return client.post("/api/v1/deal-registrations", json=body, headers=token)


def test_the_three_answers_and_a_managers_decision(client, make):
    p1, p2 = make.partner(), make.partner()
    staff = bearer(make.token(make.user(Role.MARKETER)))
    t1, t2 = (
        bearer(make.token(make.user(Role.PARTNER, p1))),
        bearer(make.token(make.user(Role.PARTNER, p2))),
    )
    client.post("/api/v1/leads", json={"email": "owned@client.example", "utm_source": p1.slug},
                headers=staff)  # fmt: skip
    long_ago = (datetime.now(UTC) - timedelta(days=120)).isoformat()
    client.post("/api/v1/leads", json={"email": "free@client.example", "occurred_at": long_ago},
                headers=staff)  # fmt: skip

    new = post_deal(client, t2, email="new@client.example", name="Новый", comment="Встреча")
    taken = post_deal(client, t2, email="owned@client.example")
    pending = post_deal(client, t2, email="free@client.example")
    assert [a.status_code for a in (new, taken, pending)] == [201, 201, 201]
    assert [a.json["status"] for a in (new, taken, pending)] == ["accepted", "rejected", "pending"]
    assert p1.slug not in taken.text  # never whose client
    assert taken.json["partner_id"] == p2.id

    assert post_deal(client, staff, email="x@client.example").status_code == 403
    mine = client.get("/api/v1/deal-registrations", headers=t2).json["items"]
    assert {d["id"] for d in mine} == {new.json["id"], taken.json["id"], pending.json["id"]}
    assert client.get("/api/v1/deal-registrations", headers=t1).json["items"] == []
    queue = client.get("/api/v1/deal-registrations?status=pending", headers=staff).json["items"]
    assert [d["id"] for d in queue] == [pending.json["id"]]

    decision = f"/api/v1/deal-registrations/{pending.json['id']}/decision"
    assert client.post(decision, json={"decision": "approve"}, headers=t1).status_code == 404
    manager = bearer(make.token(make.user(Role.MANAGER)))
    decided = client.post(decision, json={"decision": "approve", "comment": "Ок"}, headers=manager)
    assert (decided.status_code, decided.json["status"]) == (200, "accepted")
    lead = client.get("/api/v1/leads?q=free@client.example", headers=staff).json["items"][0]
    assert lead["owner_partner_id"] == p2.id
    again = client.post(decision, json={"decision": "reject", "comment": "нет"}, headers=manager)
    assert again.status_code == 409

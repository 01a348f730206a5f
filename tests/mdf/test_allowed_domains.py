"""Where an MDF landing page and a webinar's links may point (issue 17): with
MDF_LANDING_DOMAINS / WEBINAR_LINK_DOMAINS set, a host outside them is a 422 on its field and
nothing is written; a host under an allowed domain passes. Empty (the default): any checked
http(s) URL."""

from __future__ import annotations

from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.mdf.models import MdfRequest
from comarketing.webinars.models import Webinar
from tests.factories import bearer
from tests.mdf.conftest import submit


def test_mdf_landing_pages_only_on_the_vendors_domains(app, client, mdf, monkeypatch):
    monkeypatch.setitem(app.config, "MDF_LANDING_DOMAINS", ["vendor.example"])
    elsewhere = submit(client, mdf.as_a, landing_url="https://phish.example/lp")
    assert elsewhere.status_code == 422
    assert "landing_url" in elsewhere.json["error"]["fields"]
    assert db.session.scalar(select(func.count(MdfRequest.id))) == 0
    assert submit(client, mdf.as_a, landing_url="https://lp.vendor.example/alfa").status_code == 201


def test_webinar_links_only_on_the_platforms_domains(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "WEBINAR_LINK_DOMAINS", ["zoom.us", "mts-link.ru"])
    token = bearer(make.token(make.user(Role.MARKETER)))
    body = {"title": "Вебинар", "starts_at": "2026-12-15T11:00:00+03:00", "duration_minutes": 60,
            "timezone": "Europe/Moscow", "partner_ids": []}  # fmt: skip
    refused = client.post("/api/v1/webinars", json=body | {"join_url": "https://evil.example/j"},
                          headers=token)  # fmt: skip
    assert refused.status_code == 422
    assert "join_url" in refused.json["error"]["fields"]
    assert db.session.scalar(select(func.count(Webinar.id))) == 0
    joined = client.post("/api/v1/webinars", headers=token,
                         json=body | {"join_url": "https://us02web.zoom.us/j/123"})  # fmt: skip
    assert joined.status_code == 201, joined.text


def test_without_a_list_any_checked_url_will_do(client, mdf):
    assert submit(client, mdf.as_a, landing_url="https://partner.example/lp").status_code == 201

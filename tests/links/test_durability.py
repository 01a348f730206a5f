"""A click is committed before the 302 leaves: checked from another connection at the moment
the answer starts, on a second app bound to the suite's database like a real server (an
engine, not the per-test transaction), whose rows are deleted afterwards. In both commit
modes of ``CLICK_SYNCHRONOUS_COMMIT``: "off" only stops PostgreSQL from waiting for the disk,
the click is still committed (visible to every other connection) before the answer."""

from __future__ import annotations

import secrets
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import create_engine, delete, text
from sqlalchemy.pool import NullPool
from werkzeug.test import EnvironBuilder

from comarketing import create_app
from comarketing.campaigns.models import Campaign, CampaignPartner
from comarketing.extensions import db
from comarketing.links.clicks import ClickStore, click_store
from comarketing.links.models import Click, TrackedLink
from comarketing.links.redirect import bp as redirect_bp
from comarketing.links.services import issue_link
from comarketing.partners.models import Partner
from comarketing.partners.services import create_partner
from config.production import ProductionConfig


def click_session_setting(store: ClickStore, name: str) -> str:
    """A setting of the session the clicks of this thread were written on."""
    cursor = store._local.cursor.connection.cursor()
    try:
        cursor.execute(f"SHOW {name}")
        return str(cursor.fetchone()[0])
    finally:
        cursor.close()


@pytest.mark.parametrize("mode", ["on", "off"])
def test_the_click_is_committed_before_the_answer_starts(_app, tmp_path, mode):  # noqa: PT019
    url = _app.config["SQLALCHEMY_DATABASE_URI"]
    server = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={},
        CLICK_SYNCHRONOUS_COMMIT=mode,
    )
    server.instance_path = str(tmp_path)
    observer = create_engine(url, poolclass=NullPool)
    suffix = secrets.token_hex(4)
    with server.app_context():
        partner = create_partner(name=f"Durable {suffix}", segment="amocrm")
        campaign = Campaign(
            name=f"Durable {suffix}", slug=f"durable-{suffix}", channel="email",
            starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 31),
            partners=[CampaignPartner(partner_id=partner.id, cost_share=1)],
        )  # fmt: skip
        db.session.add(campaign)
        db.session.flush()
        link = issue_link(
            partner=partner, campaign=campaign, destination_url="https://vendor.example/"
        )
        db.session.commit()
        link_id, code, partner_id, campaign_id = link.id, link.code, partner.id, campaign.id
        dialect = db.engine.dialect.name

    seen_at_start: list[int] = []

    def start_response(status, headers, exc_info=None):
        with observer.connect() as connection:
            count = connection.execute(
                text("SELECT count(*) FROM clicks WHERE link_id = :id"), {"id": link_id}
            ).scalar_one()
        seen_at_start.append(count)
        assert status.startswith("302")

    try:
        for _ in range(2):
            environ = EnvironBuilder(path=f"/r/{code}", headers={"User-Agent": "Mozilla/5.0"})
            body = server.wsgi_app(environ.get_environ(), start_response)
            b"".join(body)
        assert seen_at_start == [1, 2]
        if dialect == "postgresql":
            store = click_store(server)
            assert click_session_setting(store, "synchronous_commit") == mode
            assert click_session_setting(store, "transaction_isolation") == "read committed"
    finally:
        with server.app_context():
            click_store(server).close()
            db.session.execute(delete(Click).where(Click.link_id == link_id))
            db.session.execute(delete(TrackedLink).where(TrackedLink.id == link_id))
            db.session.execute(delete(Campaign).where(Campaign.id == campaign_id))
            db.session.execute(delete(Partner).where(Partner.id == partner_id))
            db.session.commit()
            db.engine.dispose()
        observer.dispose()


@pytest.mark.parametrize("mode", ["sometimes", "local", False])
def test_an_unknown_commit_mode_stops_the_app_from_starting(mode):
    # The check runs where create_app registers the redirect (a bare app here: an app that
    # fails half-built would leave the shared API spec of the other tests' app half-filled).
    app = Flask(__name__)
    app.config["CLICK_SYNCHRONOUS_COMMIT"] = mode
    with pytest.raises(ValueError, match="CLICK_SYNCHRONOUS_COMMIT"):
        app.register_blueprint(redirect_bp)


def test_the_safe_commit_mode_is_the_default():
    # "off" is an operator's choice (README "The redirect"), never a silent default.
    assert ProductionConfig.CLICK_SYNCHRONOUS_COMMIT == "on"

"""Real concurrency over a real socket: 100 parallel requests with one Idempotency-Key."""

from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select

from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Lead
from comarketing.users.services import create_api_token, create_user
from tests.live import live_server


def test_hundred_parallel_posts_with_one_key_make_one_lead(tmp_path):
    with live_server(tmp_path) as live:
        with live.app.app_context():
            user, _ = create_user("landing@example.com", Role.MARKETER, password="landing-pass-1")
            _, token = create_api_token(user, scope="intake")
            db.session.commit()
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "signup-2026-12-03-42"}
        body = {"email": "rush@example.com", "name": "Срочная заявка"}

        def post(_: int) -> int:
            with requests.Session() as session:
                response = session.post(
                    f"{live.url}/api/v1/leads", json=body, headers=headers, timeout=60
                )
                return response.status_code

        with ThreadPoolExecutor(max_workers=32) as pool:
            statuses = list(pool.map(post, range(100)))

        with live.app.app_context():
            leads = db.session.scalar(select(func.count(Lead.id)))
            conversions = db.session.scalar(select(func.count(Conversion.id)))
        assert (leads, conversions) == (1, 1)
        # An intake token's answer is 202 whatever happened (contract §7); the rest saw the
        # first request still running.
        assert statuses.count(202) >= 1
        assert set(statuses) <= {202, 409}, statuses

"""Number insertion under parallel visitors on a live server: every visitor gets a number
(a free one, or the least recently used one shared once the pool is exhausted), no free
number goes to two clicks at once. On PostgreSQL the picks lock one row each (``FOR UPDATE
SKIP LOCKED ... LIMIT 1``); locking the whole pool left the others with no number at all."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import requests
from sqlalchemy import func, select

from comarketing.calls.models import CallNumber, NumberKind
from comarketing.extensions import db
from comarketing.links.clickid import click_id_key, encode_click_id
from comarketing.links.models import Click
from comarketing.links.services import issue_link
from tests.factories import Factory
from tests.live import live_server

POOL = 5
VISITORS = 48


def test_parallel_visitors_all_get_a_number(tmp_path):
    with live_server(tmp_path, DNI_RATE_LIMIT="100000/minute") as live:
        with live.app.app_context():
            make = Factory()
            partner = make.partner()
            campaign = make.campaign([partner])
            link = issue_link(
                partner=partner, campaign=campaign, destination_url="https://lp.example/"
            )
            db.session.add_all(
                CallNumber(number=f"+7495222000{n}", kind=NumberKind.POOL) for n in range(POOL)
            )
            clicks = [
                Click(link_id=link.id, clicked_at=datetime.now(UTC), visitor_id=f"v{n:031d}")
                for n in range(VISITORS)
            ]
            db.session.add_all(clicks)
            db.session.commit()
            key = click_id_key(live.app.config["SECRET_KEY"])
            cmclids = [encode_click_id(click.id, key) for click in clicks]

        def ask(cmclid: str) -> tuple[int, str]:
            with requests.Session() as session:
                answer = session.get(
                    f"{live.url}/dni/number", params={"cmclid": cmclid}, timeout=60
                )
                return answer.status_code, answer.json().get("number", "")

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(ask, cmclids))

        assert {status for status, _ in answers} == {200}, Counter(answers)
        with live.app.app_context():
            reused = db.session.scalar(select(func.sum(CallNumber.reused_count)))
            holders = db.session.scalars(
                select(CallNumber.held_click_id).where(CallNumber.held_click_id.is_not(None))
            ).all()
        # The first POOL visitors took free numbers; everyone after shared one.
        assert reused == VISITORS - POOL
        assert len(holders) == len(set(holders))

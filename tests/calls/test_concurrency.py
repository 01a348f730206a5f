"""The same call reported by many senders at once (a platform's retries racing) is one call,
one lead, one conversion: the unique ``call_id`` decides inside a savepoint."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import requests
from sqlalchemy import func, select

from comarketing.calls.models import Call, CallNumber, NumberKind
from comarketing.core.auth import Role
from comarketing.core.time import utcnow
from comarketing.extensions import db
from comarketing.leads.models import Conversion, Lead
from comarketing.users.services import create_api_token, create_user
from tests.live import live_server


def test_parallel_reports_of_one_call_record_it_once(tmp_path):
    with live_server(tmp_path) as live:
        with live.app.app_context():
            user, _ = create_user("pbx@example.com", Role.MARKETER, password="pbx-pass-123")
            _, token = create_api_token(user, scope="calls")
            db.session.add(CallNumber(number="+74951230001", kind=NumberKind.POOL))
            db.session.commit()
        headers = {"Authorization": f"Bearer {token}"}
        body = {
            "call_id": "pbx-42",
            "tracking_number": "+74951230001",
            "caller": "+79161234567",
            "started_at": (utcnow() - timedelta(minutes=2)).isoformat(),
            "duration_s": 90,
            "answered": True,
        }

        def post(_: int) -> int:
            with requests.Session() as session:
                response = session.post(
                    f"{live.url}/api/v1/calls", json=body, headers=headers, timeout=60
                )
                return response.status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(post, range(40)))

        with live.app.app_context():
            found = [
                db.session.scalar(select(func.count()).select_from(model))
                for model in (Call, Lead, Conversion)
            ]
        assert found == [1, 1, 1]
        assert statuses.count(201) == 1, statuses
        assert set(statuses) == {200, 201}, statuses

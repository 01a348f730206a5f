"""Call intake and number insertion beside lead intake, on one server, side by side.

    .venv/bin/python bench/calls.py [--requests 2000] [--database-url URL]

The app under gunicorn (2 sync workers, as ``bench/leads.py``) takes, one after the other, from
8 concurrent clients: ``--requests`` ``POST /api/v1/leads`` (a fifth repeat a person), the same
number of ``POST /api/v1/calls`` (a fifth repeat a ``call_id``, as a telephony platform's
retries; answered calls of 45 s, so each new one is a lead with its touch) and of ``GET
/dni/number`` (one per click of a landing page's visitor, a pool of 50 numbers). Figures are
requests per second and their ratio to the lead intake measured in the same run; the check
after the call intake counts the calls: none lost, none doubled. SQLite in a temporary folder
by default; ``--database-url postgresql+psycopg://…`` uses database ``<name>_calls``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from leads import database_url, fresh_app, gunicorn  # noqa: E402

from comarketing.calls.models import CallNumber, NumberKind  # noqa: E402
from comarketing.campaigns.services import PartnerShare, create_campaign  # noqa: E402
from comarketing.core.auth import Role  # noqa: E402
from comarketing.extensions import db  # noqa: E402
from comarketing.links.clickid import click_id_key, encode_click_id  # noqa: E402
from comarketing.links.models import Click  # noqa: E402
from comarketing.links.services import issue_link  # noqa: E402
from comarketing.partners.models import Partner  # noqa: E402
from comarketing.users.services import create_api_token, create_user  # noqa: E402

SECRET = "bench-secret-" + "x" * 32  # the gunicorn app's SECRET_KEY (bench/leads.py)
POOL = 50
CLIENTS = 8


def timed(
    origin: str, token: str | None, requests_: list[Callable[[Any], Any]]
) -> tuple[float, list[int]]:
    """Run the calls on 8 threads, each with its own session; seconds and statuses."""
    local = threading.local()

    def run(call: Callable[[Any], Any]) -> int:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            if token:
                local.session.headers["Authorization"] = f"Bearer {token}"
        response = call(local.session)
        if response.status_code >= 400:
            print(f"{response.status_code} {response.text[:200]}", file=sys.stderr)
        return int(response.status_code)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(run, requests_))
    return time.perf_counter() - started, statuses


def prepare(url: str, workdir: Path, count: int) -> dict[str, Any]:
    app = fresh_app(url, workdir)
    with app.app_context():
        partner = db.session.query(Partner).first()
        assert partner is not None
        campaign = create_campaign(
            name="Bench", channel="yandex_direct", starts_on=datetime.now(UTC).date(),
            ends_on=datetime.now(UTC).date() + timedelta(days=30), budget=1000,
            partners=[PartnerShare(partner.id)], landing_url="https://lp.bench.example/",
        )  # fmt: skip
        link = issue_link(
            partner=partner, campaign=campaign, destination_url="https://lp.bench.example/"
        )
        static = CallNumber(number="+74950000000", kind=NumberKind.STATIC, partner_id=partner.id,
                            campaign_id=campaign.id)  # fmt: skip
        db.session.add(static)
        db.session.add_all(
            CallNumber(number=f"+7495100{n:04d}", kind=NumberKind.POOL) for n in range(POOL)
        )
        db.session.flush()
        now = datetime.now(UTC)
        clicks = [
            Click(link_id=link.id, clicked_at=now, visitor_id=f"v{n:030d}") for n in range(count)
        ]
        db.session.add_all(clicks)
        db.session.flush()
        key = click_id_key(SECRET)
        cmclids = [encode_click_id(click.id, key) for click in clicks]
        landing, _ = create_user("landing@bench.example", Role.MARKETER)
        _, intake = create_api_token(landing, scope="intake")
        phone, _ = create_user("telephony@bench.example", Role.MARKETER)
        _, calls = create_api_token(phone, scope="calls")
        db.session.commit()
        db.engine.dispose()
    return {"app": app, "cmclids": cmclids, "intake": intake, "calls": calls}


def bench(base: str | None, workdir: Path, count: int) -> dict[str, float]:
    # One machine plays every visitor: lift the per-address limit of /dni/number.
    os.environ["COMARKETING_DNI_RATE_LIMIT"] = "1000000/minute"
    url = database_url(base, workdir, "calls")
    ready = prepare(url, workdir, count)
    rng = random.Random(5)
    people = [rng.randrange(i) if i and rng.random() < 0.2 else i for i in range(count)]
    call_ids = [rng.randrange(i) if i and rng.random() < 0.2 else i for i in range(count)]
    started_at = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()
    with gunicorn(url, workdir) as origin:
        lead_seconds, lead_statuses = timed(origin, ready["intake"], [
            (lambda s, p=p: s.post(f"{origin}/api/v1/leads",
                                   json={"email": f"lead{p}@bench.example"}, timeout=60))
            for p in people
        ])  # fmt: skip
        call_seconds, call_statuses = timed(origin, ready["calls"], [
            (lambda s, c=c: s.post(f"{origin}/api/v1/calls", json={
                "call_id": f"call-{c}", "tracking_number": "+74950000000",
                "caller": f"+7916{c:07d}", "started_at": started_at, "duration_s": 45,
                "answered": True}, timeout=60))
            for c in call_ids
        ])  # fmt: skip
        dni_seconds, dni_statuses = timed(origin, None, [
            (lambda s, m=m: s.get(f"{origin}/dni/number", params={"cmclid": m}, timeout=60))
            for m in ready["cmclids"]
        ])  # fmt: skip
    with ready["app"].app_context():
        calls = db.session.execute(text("SELECT count(*) FROM calls")).scalar()
        distinct_calls = db.session.execute(
            text("SELECT count(DISTINCT call_id) FROM calls")
        ).scalar()
        reused = db.session.execute(text("SELECT sum(reused_count) FROM call_numbers")).scalar()
        db.engine.dispose()
    expected = len(set(call_ids))
    assert set(lead_statuses) <= {200, 201, 202}, set(lead_statuses)  # 202: an intake token
    assert set(call_statuses) <= {200, 201}, set(call_statuses)
    assert set(dni_statuses) == {200}, set(dni_statuses)
    assert calls == distinct_calls == expected, (calls, distinct_calls, expected)
    leads_rps = count / lead_seconds
    return {
        "leads_rps": leads_rps,
        "calls_rps": count / call_seconds,
        "dni_rps": count / dni_seconds,
        "calls_ratio": (count / call_seconds) / leads_rps,
        "dni_ratio": (count / dni_seconds) / leads_rps,
        "calls": float(calls),
        "expected_calls": float(expected),
        "created": float(call_statuses.count(201)),
        "repeats": float(call_statuses.count(200)),
        "pool_reuses": float(reused or 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL base URL")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        figures = bench(args.database_url, Path(folder), args.requests)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    n = args.requests
    print(f"\nCalls beside lead intake on {engine} (gunicorn ×2, {CLIENTS} clients, {n:,} each)")
    print("| measurement | requests/s | ratio to POST /leads |")
    print("| --- | --- | --- |")
    print(f"| `POST /api/v1/leads` | {figures['leads_rps']:.0f} | 1.00 |")
    print(f"| `POST /api/v1/calls` | {figures['calls_rps']:.0f} | {figures['calls_ratio']:.2f} |")
    dni = f"{figures['dni_rps']:.0f} | {figures['dni_ratio']:.2f}"
    print(f"| `GET /dni/number` (pool of {POOL}) | {dni} |")
    print(
        f"\nCalls stored: {figures['calls']:.0f} of {figures['expected_calls']:.0f} distinct "
        "call_ids "
        f"({figures['created']:.0f} answered 201, {figures['repeats']:.0f} repeats answered 200): "
        "none lost, none doubled."
    )
    if args.json:
        args.json.write_text(
            json.dumps({"engine": engine, "requests": n, **figures}, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()

"""Two app instances and two workers on one PostgreSQL and one Redis, as in production (README
"Production"): real processes on real sockets. Clicks spread over both instances are all
recorded; every outbox message reaches the receiver once; each scheduled job runs once per
slot, never in both workers; rate limits and lock-outs count across the instances.

Runs when ``TEST_DATABASE_URL`` is PostgreSQL and Redis answers on 127.0.0.1:6379; the
processes use a sibling database ``<name>_workers``, built by the migrations and filled here.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from sqlalchemy import create_engine, text

from comarketing import create_app
from comarketing.core.auth import Role
from comarketing.extensions import db
from comarketing.integrations.services import add_destination
from tests.clock import python_command
from tests.factories import PASSWORD, Factory
from tests.live import free_port, sibling_database_url

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/15"
JOBS = (
    "crm sync",
    "tiers evaluate",
    "webinars sync",
    "clicks roll up",
    "commissions approve",
    "idempotency purge",
    "reports roll up",
)
INTERVAL_KEYS = (
    "CRM_SYNC_INTERVAL",
    "TIER_EVALUATE_INTERVAL",
    "WEBINAR_SYNC_INTERVAL",
    "CLICK_ROLLUP_INTERVAL",
    "COMMISSION_APPROVE_INTERVAL",
    "IDEMPOTENCY_PURGE_INTERVAL",
    "REPORT_ROLLUP_INTERVAL",
)
SLOT_SECONDS = 2  # every job's interval here
SLOTS_WANTED = 3  # slots each job must have run before the workers stop
CLICKS_PER_INSTANCE = 15
LEADS_PER_INSTANCE = 10
LOGINS_PER_MINUTE = 8
RAN = re.compile(r"^(?P<job>[a-z ]+) \[(?P<slot>[0-9T:-]+Z)\](?: failed)?: ", re.MULTILINE)


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _skip_reason() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return "needs TEST_DATABASE_URL on PostgreSQL (SQLite has one writer: one worker)"
    if not _redis_answers():
        return "needs Redis on 127.0.0.1:6379 (shared rate limits)"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


class Receiver(ThreadingHTTPServer):
    """A CRM webhook on a local socket that counts what it is sent."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)
        self.deliveries: list[tuple[str, int]] = []  # (delivery id, lead id)
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.deliveries.append((body["delivery_id"], body["lead"]["id"]))
        answer = json.dumps({"id": f"crm-{body['lead']['id']}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


def prepare(url: str, instance: Path, hook_url: str) -> dict[str, Any]:
    """Schema by the migrations; a partner's tracked link, a user to log in, an API token and
    the webhook destination, committed."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={})
    app.instance_path = str(instance)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade()
        make = Factory()
        partner = make.partner("Альфа")
        make.campaign([partner], landing_url="https://vendor.example/alfa")
        code = db.session.scalar(text("SELECT code FROM links LIMIT 1"))
        user = make.user(Role.MARKETER)
        token = make.token(make.user(Role.ADMIN))
        add_destination("webhook", hook_url, secret="hook-secret", name="counting hook")
        db.session.commit()
        data = {"code": code, "email": user.email, "token": token}
        db.session.remove()
        db.engine.dispose()
    return data


def environment(url: str, instance: Path, prefix: str) -> dict[str, str]:
    env = {
        **os.environ,
        "COMARKETING_ENV": "testing",
        "DATABASE_URL": url,
        "COMARKETING_INSTANCE_PATH": str(instance),
        "COMARKETING_RATELIMIT_ENABLED": "true",
        "COMARKETING_RATELIMIT_STORAGE_URI": REDIS_URL,
        "COMARKETING_RATELIMIT_KEY_PREFIX": prefix,
        "COMARKETING_LOGIN_RATE_LIMIT": json.dumps(f"{LOGINS_PER_MINUTE} per minute"),
        "COMARKETING_LOGIN_LOCKOUT": json.dumps("3 per 15 minutes"),
        "COMARKETING_OUTBOUND_ALLOW_PRIVATE": "true",
        "COMARKETING_OUTBOX_RETRY_DELAYS": "[1, 1, 1, 1, 1]",
    }
    env.update({f"COMARKETING_{key}": str(SLOT_SECONDS) for key in INTERVAL_KEYS})
    env.pop("TEST_DATABASE_URL", None)
    return env


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def answers(base: str) -> bool:
    try:
        urllib.request.urlopen(f"{base}/healthz", timeout=2).close()  # noqa: S310 - local
        return True
    except OSError:
        return False


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def request(base: str, path: str, data: dict[str, str] | None = None, **headers: str) -> int:
    """The status of one request (a redirect is not followed)."""
    body = None
    if data is not None:
        body = json.dumps(data).encode() if "Content-Type" in headers else _form(data)
    try:
        with OPENER.open(urllib.request.Request(base + path, body, headers), timeout=10) as answer:  # noqa: S310 - local
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _form(data: dict[str, str]) -> bytes:
    from urllib.parse import urlencode

    return urlencode(data).encode()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    import redis

    prefix = f"two-instances-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
    for process in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_two_instances_and_two_workers_share_one_database_and_one_redis(
    tmp_path, receiver, redis_prefix, processes
):
    url = sibling_database_url("workers")
    instance = tmp_path / "instance"
    data = prepare(url, instance, receiver.url)
    env = environment(url, instance, redis_prefix)

    def start(command: list[str], name: str) -> Path:
        output = tmp_path / f"{name}.out"
        with output.open("wb") as sink:
            processes.append(
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
            )
        return output

    bases = []
    for name in ("web-a", "web-b"):
        port = free_port()
        start(python_command("gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                             "wsgi:app"), name)  # fmt: skip
        bases.append(f"http://127.0.0.1:{port}")
    started = time.monotonic()  # the workers claim slots as soon as they are up
    worker_outputs = [
        start(python_command("flask", "--app", "wsgi", "worker", "--interval", "0.2"), name)
        for name in ("worker-1", "worker-2")
    ]
    for base in bases:
        wait_for(lambda base=base: answers(base), 40, f"{base} to answer")

    # Clicks on one link, spread over both instances: every one is recorded.
    for n in range(CLICKS_PER_INSTANCE * 2):
        assert request(bases[n % 2], f"/r/{data['code']}") == 302

    # Leads through both instances' API: each one's CRM push goes out once, from either worker.
    api = {"Authorization": f"Bearer {data['token']}", "Content-Type": "application/json"}
    for n in range(LEADS_PER_INSTANCE * 2):
        lead = {"email": f"lead{n}@client.example", "name": f"Lead {n}"}
        assert request(bases[n % 2], "/api/v1/leads", lead, **api) == 201

    # Lock-out: two wrong passwords on A and one on B lock the account on both.
    email = data["email"]
    wrong = {"email": email, "password": "wrong-password"}
    assert [request(bases[i], "/login", wrong) for i in (0, 0, 1)] == [200, 200, 200]
    assert request(bases[0], "/login", {"email": email, "password": PASSWORD}) == 429
    assert request(bases[1], "/login", {"email": email, "password": PASSWORD}) == 429
    # Rate limit: LOGINS_PER_MINUTE login posts from this address across both, then 429.
    posted = 5
    statuses = [request(bases[n % 2], "/login", {"email": "x@example.com"}) for n in range(5)]
    assert statuses == [200] * (LOGINS_PER_MINUTE - posted) + [429] * (
        5 - LOGINS_PER_MINUTE + posted
    )

    engine = create_engine(url)

    def scalar(query: str) -> Any:
        with engine.connect() as connection:
            return connection.execute(text(query)).scalar()

    wait_for(
        lambda: (
            len(receiver.deliveries) >= LEADS_PER_INSTANCE * 2
            and scalar("SELECT count(*) FROM outbox_messages WHERE status <> 'delivered'") == 0
        ),
        30,
        "the CRM pushes",
    )
    wait_for(
        lambda: scalar("SELECT min(runs) FROM scheduled_jobs") >= SLOTS_WANTED,
        SLOT_SECONDS * (SLOTS_WANTED + 4),
        "the scheduled jobs",
    )
    for process in processes[2:]:
        process.send_signal(signal.SIGTERM)
    for process in processes[2:]:
        assert process.wait(timeout=30) == 0
    elapsed = time.monotonic() - started

    assert scalar("SELECT count(*) FROM clicks") == CLICKS_PER_INSTANCE * 2

    time.sleep(0.5)  # a late repeat would arrive now
    deliveries = Counter(receiver.deliveries)
    assert len(deliveries) == LEADS_PER_INSTANCE * 2
    assert set(deliveries.values()) == {1}  # never twice
    assert scalar("SELECT count(*) FROM leads") == LEADS_PER_INSTANCE * 2

    outputs = [path.read_text(encoding="utf-8") for path in worker_outputs]
    runs: dict[str, list[str]] = {job: [] for job in JOBS}
    for output in outputs:
        for match in RAN.finditer(output):
            runs[match["job"]].append(match["slot"])
    with engine.connect() as connection:
        recorded = dict(connection.execute(text("SELECT name, runs FROM scheduled_jobs")).all())
        failed = connection.execute(
            text("SELECT name, message FROM scheduled_jobs WHERE outcome = 'failed'")
        ).all()
    engine.dispose()
    assert failed == []
    for job in JOBS:
        slots = runs[job]
        assert len(slots) == len(set(slots)), f"{job} ran twice in one slot: {sorted(slots)}"
        assert len(slots) >= SLOTS_WANTED, (job, slots)
        assert recorded[job] == len(slots)
        # Once per slot, not more often: no more runs than slots that began meanwhile.
        assert len(slots) <= elapsed / SLOT_SECONDS + 2
    assert all("Worker stopped." in output for output in outputs)

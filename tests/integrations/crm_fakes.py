"""Real HTTP servers on 127.0.0.1 that answer like Bitrix24, amoCRM and a webhook receiver.

Each runs ``http.server.ThreadingHTTPServer`` in a thread and records every request it gets
(with ``time.monotonic()`` at receipt), so tests count and time what actually crossed a socket.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, dict[str, str], Any]  # status, headers, JSON body


@dataclass
class Received:
    at: float  # time.monotonic() when the request was read
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0  # what the server answered

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeServer:
    """Subclasses implement ``answer(request) -> (status, headers, json body)``."""

    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0  # seconds to wait before answering (timeouts)

    def start(self) -> FakeServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
                self.handle_request("POST")

            def do_GET(self) -> None:  # noqa: N802 - http.server's hook name
                self.handle_request("GET")

            def handle_request(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Received(
                    time.monotonic(), method, self.path, dict(self.headers), self.rfile.read(length)
                )
                with server.lock:
                    status, headers, body = server.answer(request)
                    request.status = status
                    server.received.append(request)
                if server.delay:
                    time.sleep(server.delay)
                payload = b"" if body is None or status == 204 else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    for name, value in {"Content-Type": "application/json", **headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, request: Received) -> Answer:  # pragma: no cover - overridden
        raise NotImplementedError


@dataclass
class Bitrix24Portal(FakeServer):
    """``/rest/1/<secret>/crm.lead.add.json``. While ``down``, for the first ``fail_first``
    calls, or once ``create_at_most`` leads exist, it answers 503 QUERY_LIMIT_EXCEEDED like an
    overflowing portal."""

    secret: str = "k3y9secret"
    down: bool = False
    fail_first: int = 0
    create_at_most: int | None = None  # then 503 until set back to None
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(501))
    created: list[dict[str, Any]] = field(default_factory=list)  # fields of created leads

    @property
    def webhook_url(self) -> str:
        return f"{self.base_url}/rest/1/{self.secret}/"

    def answer(self, request: Received) -> Answer:
        if request.path != f"/rest/1/{self.secret}/crm.lead.add.json":
            return 401, {}, {"error": "NO_AUTH_FOUND", "error_description": "Wrong webhook"}
        full = self.create_at_most is not None and len(self.created) >= self.create_at_most
        if self.down or full or len(self.received) < self.fail_first:
            return (
                503,
                {},
                {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"},
            )
        fields = request.json()["fields"]
        self.created.append(fields)
        return 200, {}, {"result": next(self.ids), "time": {"start": time.time()}}

    def created_per_lead(self) -> Counter[str]:
        return Counter(fields["ORIGIN_ID"] for fields in self.created)

    def requests_per_lead(self) -> Counter[str]:
        return Counter(r.json()["fields"]["ORIGIN_ID"] for r in self.received)


@dataclass
class AmoCrmAccount(FakeServer):
    """``POST /api/v4/leads/complex`` with a Bearer token; ``script`` forces the next answers
    (e.g. ``[(429, {"Retry-After": "120"})]``), then it creates the leads."""

    token: str = "amo-long-lived-token"
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(9774766))

    def answer(self, request: Received) -> Answer:
        if request.path != "/api/v4/leads/complex":
            return 404, {}, {"title": "Not Found", "status": 404}
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            problem = {"title": "Unauthorized", "status": 401, "detail": "Token is invalid"}
            return 401, {"Content-Type": "application/problem+json"}, problem
        if self.script:
            status, headers = self.script.pop(0)
            return status, headers, {"title": "Forced", "status": status, "detail": "scripted"}
        leads = request.json()
        if not isinstance(leads, list) or not leads[0].get("_embedded", {}).get("contacts"):
            problem = {
                "title": "Bad Request",
                "status": 400,
                "detail": "Request validation failed",
                "validation-errors": [
                    {"request_id": "0", "errors": [{"path": "_embedded", "detail": "required"}]}
                ],
            }
            return 400, {"Content-Type": "application/problem+json"}, problem
        return (
            200,
            {"Content-Type": "application/hal+json"},
            [
                {
                    "id": next(self.ids),
                    "contact_id": 12117258,
                    "company_id": None,
                    "request_id": [lead.get("request_id", "0")],
                    "merged": False,
                }
                for lead in leads
            ],
        )


@dataclass
class WebhookReceiver(FakeServer):
    """Checks ``X-Comarketing-Signature`` with its own HMAC code (not ours) and a 5-minute
    tolerance; answers 401 to a bad signature. ``fail_first`` answers 500 first."""

    secret: str = "whsec-test"
    fail_first: int = 0
    verified: list[bool] = field(default_factory=list)

    def answer(self, request: Received) -> Answer:
        ok = self.signature_ok(request)
        self.verified.append(ok)
        if not ok:
            return 401, {}, {"error": "bad signature"}
        if len(self.received) < self.fail_first:
            return 500, {}, {"error": "temporarily broken"}
        return 200, {}, {"id": f"wh-{request.json()['lead']['id']}"}

    def signature_ok(self, request: Received) -> bool:
        header = request.headers.get("X-Comarketing-Signature", "")
        parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        if not parts.get("t", "").isdigit() or abs(time.time() - int(parts["t"])) > 300:
            return False
        signed = parts["t"].encode() + b"." + request.body
        expected = hmac.new(self.secret.encode(), signed, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts.get("v1", ""))

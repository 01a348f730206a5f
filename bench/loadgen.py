"""Load generators of ``bench/redirect.py``: wrk (with Lua scripts) and a Python fallback.

Both send ``GET /r/<code>`` over the given codes with a desktop Chrome user agent at 32
connections and count the 302s they receive; the lossless variants also keep the ``cmclid``
of every 302 and make sure every ``/r/`` request sent is answered (or fails) before they stop.
"""

from __future__ import annotations

import os
import random
import re
import selectors
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from comarketing.links.clickid import decode_click_id

CONNECTIONS = 32
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
LOSSLESS_SCRIPT = """
local codes = {%(codes)s}
local n = #codes
local i = 0
wrk.headers["User-Agent"] = "%(agent)s"
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  found = 0; other = 0
  stop_at = os.time() + tonumber(args[1])
  out = io.open(args[2] .. "." .. id, "w")
  out:setvbuf("line")
end
function request()
  if os.time() >= stop_at then return wrk.format("GET", "/healthz") end
  i = i + 1
  return wrk.format("GET", "/r/" .. codes[(i %% n) + 1])
end
function response(status, headers, body)
  if status == 302 then
    found = found + 1
    out:write(headers["Location"] or "", "\\n")
  elseif status ~= 200 then
    other = other + 1
  end
end
function done(summary, latency, requests)
  local f, o = 0, 0
  for _, t in ipairs(threads) do f = f + t:get("found"); o = o + t:get("other") end
  local e = summary.errors
  io.write(string.format("BENCH %%d %%d %%d\\n", f, o, e.connect + e.read + e.write + e.timeout))
end
"""
WRK_SCRIPT = """
local codes = {%(codes)s}
local n = #codes
local i = 0
wrk.headers["User-Agent"] = "%(agent)s"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) found = 0; other = 0 end
function request()
  i = i + 1
  return wrk.format("GET", "/r/" .. codes[(i %% n) + 1])
end
function response(status, headers, body)
  if status == 302 then found = found + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local f, o = 0, 0
  for _, t in ipairs(threads) do f = f + t:get("found"); o = o + t:get("other") end
  local e = summary.errors
  io.write(string.format("BENCH %%d %%d %%d\\n", f, o, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Load:
    """What a load run saw from the client side."""

    seconds: float = 0.0
    found: int = 0  # 302 answers received
    other: int = 0  # any other status
    errors: int = 0  # connections reset or closed without an answer, timeouts
    click_ids: list[int] = field(default_factory=list)
    reported_rate: float | None = None  # wrk's own requests/s

    @property
    def rate(self) -> float:
        if self.reported_rate is not None:
            return self.reported_rate
        return (self.found + self.other) / self.seconds if self.seconds else 0.0


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the master's children, read from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return pids


def run_wrk(port: int, codes: list[str], seconds: float, workdir: Path) -> Load:
    script = workdir / "redirect.lua"
    quoted = ", ".join(f'"{code}"' for code in codes)
    script.write_text(WRK_SCRIPT % {"codes": quoted, "agent": CHROME})
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "-s", str(script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    found, other, errors = map(int, re.search(r"BENCH (\d+) (\d+) (\d+)", output).groups())  # type: ignore[union-attr]
    return Load(seconds, found, other, errors, reported_rate=rate)


def run_wrk_lossless(
    port: int, codes: list[str], seconds: float, workdir: Path, key: bytes, master: int | None
) -> Load:
    """wrk sends /r/ requests for ``seconds``, then only ``/healthz`` for 2 s so that every
    /r/ request is answered before it stops; the Location of every 302 goes to a file."""
    script = workdir / "lossless.lua"
    quoted = ", ".join(f'"{code}"' for code in codes)
    script.write_text(LOSSLESS_SCRIPT % {"codes": quoted, "agent": CHROME})
    prefix = workdir / "locations"
    for old in workdir.glob("locations.*"):
        old.unlink()
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds + 2:g}s", "-s", str(script)]
    process = subprocess.Popen(
        [*command, f"http://127.0.0.1:{port}", "--", f"{seconds:g}", str(prefix)],
        stdout=subprocess.PIPE,
        text=True,
    )
    if master is not None:
        for _ in range(2):
            time.sleep(seconds / 3)
            os.kill(random.choice(worker_pids(master)), signal.SIGKILL)
    output = process.communicate()[0]
    found, other, errors = map(int, re.search(r"BENCH (\d+) (\d+) (\d+)", output).groups())  # type: ignore[union-attr]
    load = Load(seconds, found, other, errors)
    for path in workdir.glob("locations.*"):
        for location in path.read_text().split():
            cmclid = parse_qs(urlsplit(location).query).get("cmclid", [""])[0]
            click_id = decode_click_id(cmclid, key)
            load.click_ids.append(click_id if click_id is not None else -1)
    return load


class _Exchange:
    """One request on its own connection (gunicorn's sync workers close after each answer)."""

    __slots__ = ("sock", "request", "chunks", "started")

    def __init__(self, port: int, request: bytes) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.sock.connect_ex(("127.0.0.1", port))
        self.request = request
        self.chunks: list[bytes] = []
        self.started = time.monotonic()

    def answer(self) -> tuple[int, str | None]:
        head = b"".join(self.chunks).split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        if not head[0].startswith("HTTP/1."):
            raise ConnectionError("closed without an answer")
        location = None
        for line in head[1:]:
            if line[:9].lower() == "location:":
                location = line[9:].strip()
        return int(head[0].split()[1]), location


def python_load(
    port: int, codes: list[str], seconds: float, key: bytes, kill_master: int | None = None
) -> Load:
    """32 connections, each sending its next request as soon as the last one is answered, until
    the deadline; every request sent is then waited for (a selectors loop: cheap enough per
    request to keep gunicorn's workers busy). With ``kill_master``, one of its workers is
    killed with SIGKILL at a third and at two thirds of the run."""
    requests = [
        f"GET /r/{code} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {CHROME}\r\n"
        "Connection: close\r\n\r\n".encode()
        for code in codes
    ]
    load = Load()
    selector = selectors.DefaultSelector()
    started = time.monotonic()
    deadline = started + seconds
    kills = [started + seconds / 3, started + seconds * 2 / 3] if kill_master else []
    sent = 0

    def begin() -> None:
        nonlocal sent
        exchange = _Exchange(port, requests[sent % len(requests)])
        sent += 1
        selector.register(exchange.sock, selectors.EVENT_WRITE, exchange)

    def finish(exchange: _Exchange, failed: bool) -> None:
        selector.unregister(exchange.sock)
        exchange.sock.close()
        if failed:
            load.errors += 1
        else:
            try:
                status, location = exchange.answer()
            except (ConnectionError, ValueError, IndexError):
                load.errors += 1
            else:
                if status == 302 and location:
                    load.found += 1
                    cmclid = parse_qs(urlsplit(location).query).get("cmclid", [""])[0]
                    click_id = decode_click_id(cmclid, key)
                    load.click_ids.append(click_id if click_id is not None else -1)
                else:
                    load.other += 1
        if time.monotonic() < deadline:
            begin()

    for _ in range(CONNECTIONS):
        begin()
    while selector.get_map():
        now = time.monotonic()
        if kills and now >= kills[0]:
            kills.pop(0)
            pids = worker_pids(kill_master or 0)
            if pids:
                os.kill(random.choice(pids), signal.SIGKILL)
        for item, events in selector.select(timeout=0.2):
            exchange: _Exchange = item.data
            try:
                if events & selectors.EVENT_WRITE:
                    if exchange.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                        raise ConnectionRefusedError
                    exchange.sock.sendall(exchange.request)
                    selector.modify(exchange.sock, selectors.EVENT_READ, exchange)
                    continue
                chunk = exchange.sock.recv(65536)
            except OSError:
                finish(exchange, failed=True)
                continue
            if chunk:
                exchange.chunks.append(chunk)
            else:
                finish(exchange, failed=False)
        for key_ in list(selector.get_map().values()):
            if now - key_.data.started > 60:
                finish(key_.data, failed=True)
    load.seconds = time.monotonic() - started
    return load

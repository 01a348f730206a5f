"""Throughput and losslessness of ``GET /r/<code>``, the one public hot path.

    .venv/bin/python bench/redirect.py [--seconds 5] [--rounds 12] [--mode all|throughput|lossless]

1. A fresh SQLite database in a temporary folder: ``flask db upgrade`` and ``flask demo``.
2. Throughput: the app (``wsgi:app``, production config), a bare Flask app that answers the
   same 302 with no work (``bench/bare_app.py``) and, for context, the hand-written floor
   (``bench/floor_app.py``: a bare Flask app with one sqlite3 insert per click), each under
   gunicorn with 2 sync workers, loaded in turn at 32 connections by ``wrk`` (a Python load
   generator when wrk is not installed) over the demo's link codes with a desktop Chrome user
   agent. The order rotates every round; ratios are taken round by round, medians reported.
3. Losslessness: every /r/ request sent is answered before the load stops, the ``cmclid`` of
   every 302 received is read back, and the database must hold exactly one click per 302
   received. Once as is, once while a worker is killed with SIGKILL twice during the load.

Prints requests/s of each, their ratios, and clicks recorded vs 302s received; ``--json PATH``
also writes those figures to a file (``bench/run_all.py`` reads it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loadgen import CONNECTIONS, Load, python_load, run_wrk, run_wrk_lossless  # noqa: E402

from comarketing.links.clickid import click_id_key  # noqa: E402

BIN = Path(sys.executable).parent
WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(workdir: Path, secret: str) -> tuple[dict[str, str], Path]:
    """A fresh database with the demo data set; returns the app's environment and the file."""
    database = workdir / "bench.sqlite3"
    env = os.environ | {
        "COMARKETING_ENV": "production",
        "COMARKETING_EMAIL_DISABLED": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": secret,
        "COMARKETING_INSTANCE_PATH": str(workdir),
        "COMARKETING_BASE_URL": "http://127.0.0.1",
    }
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [BIN / "flask", "--app", "wsgi", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return env, database


@contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path, *extra: str) -> Iterator[tuple[int, int]]:
    """Serve ``app`` with 2 sync workers; yields (port, master pid)."""
    port = free_port()
    command = [
        BIN / "gunicorn",
        "--workers", str(WORKERS), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--error-logfile", str(log), "--log-level", "warning",
        *extra, app,
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_ready(port)
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wait_ready(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                if sock.recv(12).startswith(b"HTTP/1."):
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn on port {port} did not answer")


def last_click_id(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT coalesce(max(id), 0) FROM clicks").fetchone()[0])


def clicks_after(database: Path, after_id: int) -> set[int]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT id FROM clicks WHERE id > ?", (after_id,))
        return {int(row[0]) for row in rows}


SERVERS = {  # name: (gunicorn app, label)
    "bare": ("bare_app:app", "bare Flask 302"),
    "floor": ("floor_app:app", "floor: Flask + 1 insert"),
    "app": ("wsgi:app", "GET /r/<code> (the app)"),
}


def throughput(
    args: argparse.Namespace, env: dict[str, str], database: Path, workdir: Path
) -> dict[str, object]:
    """All servers up at once; every round loads each in turn (the order rotates, so a drift
    of the machine's speed hits all alike) and ratios are taken round by round."""
    codes = link_codes(database)
    use_wrk = shutil.which("wrk") is not None and not args.python_load
    key = click_id_key(env["SECRET_KEY"])

    def measure(port: int, seconds: float) -> Load:
        if use_wrk:
            return run_wrk(port, codes, seconds, workdir)
        return python_load(port, codes, seconds, key)

    names = [name for name in SERVERS if args.floor or name != "floor"]
    rates: dict[str, list[float]] = {name: [] for name in names}
    found = recorded = errors = 0
    bench_env = env | {
        "BENCH_TARGET": first_tagged_url(database) + "&cmclid=2n9c.x3ZqAbCdEfGh",
        "BENCH_DATABASE": str(database),
        "BENCH_LINK_ID": "1",
    }
    with ExitStack() as stack:
        ports = {
            name: stack.enter_context(
                gunicorn(
                    SERVERS[name][0], bench_env, workdir / f"{name}.log", "--pythonpath", "bench"
                )
            )[0]
            for name in names
        }
        for port in ports.values():
            measure(port, 2)  # warm-up: imports, the code and user-agent caches, connections
        for number in range(args.rounds):
            for name in names[number % len(names) :] + names[: number % len(names)]:
                before = last_click_id(database)
                load = measure(ports[name], args.seconds)
                # What the load generator left in flight is still answered (and the floor's
                # clicks land) before the next run starts counting.
                time.sleep(0.5)
                rates[name].append(load.rate)
                if name == "app":
                    found += load.found
                    errors += load.errors
                    recorded += len(clicks_after(database, before))
    tool = "wrk -t2" if use_wrk else "the Python load generator"
    print(
        f"\nThroughput: gunicorn, {WORKERS} sync workers each, {CONNECTIONS} connections, "
        f"{tool}, {args.rounds} rounds of {args.seconds:g} s, {os.cpu_count()} CPUs"
    )
    print(f"  {'':<30}{'median':>9}   every round")
    for name in names:
        rounds = " ".join(f"{rate:,.0f}" for rate in rates[name])
        label = f"{SERVERS[name][1]}, req/s"
        print(f"  {label:<30}{statistics.median(rates[name]):>9,.0f}   {rounds}")
    for name in names[1:]:
        ratios = [rate / bare for rate, bare in zip(rates[name], rates["bare"], strict=True)]
        rounds = " ".join(f"{ratio:.2f}" for ratio in ratios)
        print(f"  {'ratio ' + name + ' / bare':<30}{statistics.median(ratios):>9.2f}   {rounds}")
    note = "wrk drops what is in flight when it stops" if use_wrk else "every request drained"
    print(
        f"  app: 302s counted by {tool}: {found:,}, socket errors: {errors:,}; "
        f"clicks recorded: {recorded:,} ({note})"
    )
    return {
        "tool": tool,
        "connections": CONNECTIONS,
        "workers": WORKERS,
        "rounds": args.rounds,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "rates": rates,
        "medians": {name: statistics.median(rates[name]) for name in names},
        "ratios": {
            name: statistics.median(
                rate / bare for rate, bare in zip(rates[name], rates["bare"], strict=True)
            )
            for name in names[1:]
        },
        "found": found,
        "errors": errors,
        "recorded": recorded,
    }


def lossless(
    args: argparse.Namespace, env: dict[str, str], database: Path, workdir: Path
) -> list[dict[str, object]]:
    codes = link_codes(database)
    key = click_id_key(env["SECRET_KEY"])
    use_wrk = shutil.which("wrk") is not None and not args.python_load
    tool = (
        "wrk (every /r/ request answered before it stops)"
        if use_wrk
        else ("the Python load generator (every request sent is answered or fails)")
    )
    print(f"\nLosslessness: {CONNECTIONS} connections, {args.seconds:g} s, {tool}")
    header = ("run", "302s received", "clicks recorded", "failed requests",
              "302s without a click", "clicks without a 302")  # fmt: skip
    print("  " + " | ".join(header))
    runs: list[dict[str, object]] = []
    for kill in (False, True):
        with gunicorn("wsgi:app", env, workdir / "app.log") as (port, master):
            python_load(port, codes, 1, key)  # warm-up
            before = last_click_id(database)
            if use_wrk:
                load = run_wrk_lossless(
                    port, codes, args.seconds, workdir, key, master if kill else None
                )
            else:
                load = python_load(port, codes, args.seconds, key, master if kill else None)
            time.sleep(1)
        recorded = clicks_after(database, before)
        received = set(load.click_ids)
        name = "2 × SIGKILL of a worker" if kill else "no failure"
        row = (name, f"{load.found:,}", f"{len(recorded):,}", f"{load.errors + load.other:,}",
               f"{len(received - recorded):,}", f"{len(recorded - received):,}")  # fmt: skip
        print("  " + " | ".join(row))
        runs.append({
            "run": name, "kill": kill, "received": load.found, "recorded": len(recorded),
            "failed": load.errors + load.other, "without_click": len(received - recorded),
            "without_302": len(recorded - received),
        })  # fmt: skip
    return runs


def link_codes(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [row[0] for row in connection.execute("SELECT code FROM links ORDER BY id")]


def first_tagged_url(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        return str(connection.execute("SELECT tagged_url FROM links ORDER BY id").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="length of a measured run")
    parser.add_argument("--rounds", type=int, default=12, help="throughput rounds per server")
    parser.add_argument("--mode", choices=("all", "throughput", "lossless"), default="all")
    parser.add_argument("--python-load", action="store_true", help="do not use wrk")
    parser.add_argument(
        "--no-floor", dest="floor", action="store_false", help="skip the floor app (context)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    figures: dict[str, object] = {"engine": "SQLite"}
    workdir = Path(tempfile.mkdtemp(prefix="comarketing-bench-"))
    try:
        print(f"Preparing a fresh SQLite database with the demo data in {workdir} …")
        env, database = prepare(workdir, secret=os.urandom(24).hex())
        if args.mode in ("all", "throughput"):
            figures["throughput"] = throughput(args, env, database, workdir)
        if args.mode in ("all", "lossless"):
            figures["lossless"] = lossless(args, env, database, workdir)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

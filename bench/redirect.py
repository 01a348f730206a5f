"""Throughput and losslessness of ``GET /r/<code>``, the one public hot path.

    .venv/bin/python bench/redirect.py [--seconds 3] [--rounds 12] [--mode all|throughput|lossless]
                                       [--postgres [URL]] [--click-commit off|on] [--no-durable]

1. A fresh SQLite database in a temporary folder and, with ``--postgres``, a fresh PostgreSQL
   database (default ``comarketing_bench_redirect``, created again and dropped at the end unless
   ``--keep``): ``flask db upgrade`` and ``flask demo``.
2. Throughput: a bare Flask app that answers the same 302 with no work (``bench/bare_app.py``),
   the app (``wsgi:app``, production config) on SQLite and on PostgreSQL (clicks committed
   with ``CLICK_SYNCHRONOUS_COMMIT`` = ``--click-commit``, default off; unless
   ``--no-durable``, the app once more with the default "on" alongside) and, for context, the
   hand-written floor on each database (``bench/floor_app.py``: Flask and one insert per
   click), each under gunicorn with 2 sync workers, all up at once. Every round loads each of
   them, in a rotating order, at 32 connections with ``wrk`` (a Python load generator when
   wrk is not installed) over the demo's link codes with a desktop Chrome user agent, each
   right next to a run of the bare app; its ratio is taken to that run, medians reported.
3. Losslessness, on each database, with the Python load generator (it waits for the answer or
   the failure of every request it sent): the ``cmclid`` of every 302 received is read back,
   and the database must hold exactly one click per 302 received, and no more clicks than
   that plus the failed requests. Once as is, once while a worker is killed with SIGKILL twice.

``--variant NAME[@sqlite]:KEY=VALUE,...`` adds the app on PostgreSQL (or SQLite) once more with
those environment variables, measured in the same rounds (a setting tried side by side).
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
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loadgen import CONNECTIONS, Load, python_load, run_wrk  # noqa: E402

from comarketing.links.clickid import click_id_key  # noqa: E402

BIN = Path(sys.executable).parent
WORKERS = 2
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/comarketing_bench_redirect"
COMMIT_MODE = "COMARKETING_CLICK_SYNCHRONOUS_COMMIT"


@dataclass
class Database:
    """One benchmark database: its label, SQLAlchemy URL and the app's environment on it."""

    label: str  # "SQLite" or "PostgreSQL"
    url: str
    env: dict[str, str]

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        engine = create_engine(self.url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(sql), params)]
        finally:
            engine.dispose()

    def last_click_id(self) -> int:
        return int(self.rows("SELECT coalesce(max(id), 0) FROM clicks")[0][0])

    def clicks_after(self, after_id: int) -> set[int]:
        return {
            int(row[0]) for row in self.rows("SELECT id FROM clicks WHERE id > :id", id=after_id)
        }

    def link_codes(self) -> list[str]:
        return [str(row[0]) for row in self.rows("SELECT code FROM links ORDER BY id")]

    def first_link(self) -> tuple[int, str]:
        link_id, tagged_url = self.rows("SELECT id, tagged_url FROM links ORDER BY id LIMIT 1")[0]
        return int(link_id), str(tagged_url)


@dataclass
class Server:
    """One gunicorn app of the throughput rounds."""

    app: str
    label: str
    database: Database | None = None  # None: the bare app, which has none
    extra_env: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(workdir: Path, secret: str, postgres: str | None, commit: str = "on") -> Database:
    """A fresh database with the demo data set: SQLite in ``workdir``, or ``postgres`` (whose
    clicks are then committed with ``CLICK_SYNCHRONOUS_COMMIT`` = ``commit``)."""
    if postgres is None:
        label, url = "SQLite", f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        label, target = "PostgreSQL", make_url(postgres)
        admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
        admin.dispose()
        url = target.render_as_string(hide_password=False)
    env = os.environ | {
        "COMARKETING_ENV": "production",
        "COMARKETING_EMAIL_DISABLED": "true",
        "DATABASE_URL": url,
        "SECRET_KEY": secret,
        "COMARKETING_INSTANCE_PATH": str(workdir),
        "COMARKETING_BASE_URL": "http://127.0.0.1",
    }
    if postgres is not None:
        env[COMMIT_MODE] = commit
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [BIN / "flask", "--app", "wsgi", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return Database(label, url, env)


def drop_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


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


def servers(args: argparse.Namespace, databases: list[Database]) -> dict[str, Server]:
    """bare, then per database the floor (``--no-floor``: none) and the app, then variants."""
    found: dict[str, Server] = {"bare": Server("bare_app:app", "bare Flask 302")}
    for database in databases:
        suffix = "" if database.label == "SQLite" else "_pg"
        if args.floor:
            found[f"floor{suffix}"] = Server(
                "floor_app:app", f"floor on {database.label}", database
            )
        found[f"app{suffix}"] = Server("wsgi:app", f"the app on {database.label}", database)
    if len(databases) > 1 and args.durable and args.click_commit != "on":
        found["app_pg_on"] = Server(
            "wsgi:app", "the app on PostgreSQL, commit on", databases[-1], {COMMIT_MODE: "on"}
        )
    for variant in args.variant:
        name, _, assignments = variant.partition(":")
        name, _, engine = name.partition("@")
        database = databases[0] if engine == "sqlite" else databases[-1]
        extra = dict(item.split("=", 1) for item in assignments.split(",") if item)
        found[name] = Server("wsgi:app", f"the app on {database.label}, {name}", database, extra)
    return found


def throughput(
    args: argparse.Namespace, databases: list[Database], workdir: Path
) -> dict[str, object]:
    """All servers up at once; every round loads each in turn (the order rotates, so a drift
    of the machine's speed hits all alike) and ratios are taken round by round."""
    first = databases[0]
    codes = {database.label: database.link_codes() for database in databases}
    use_wrk = shutil.which("wrk") is not None and not args.python_load
    key = click_id_key(first.env["SECRET_KEY"])

    def measure(port: int, server: Server, seconds: float) -> Load:
        link_codes = codes[(server.database or first).label]
        if use_wrk:
            return run_wrk(port, link_codes, seconds, workdir)
        return python_load(port, link_codes, seconds, key)

    table = servers(args, databases)
    names = list(table)
    rates: dict[str, list[float]] = {name: [] for name in names}
    ratios: dict[str, list[float]] = {name: [] for name in names[1:]}
    clicks = {name: {"found": 0, "errors": 0, "recorded": 0} for name in names if "app" in name}
    with ExitStack() as stack:
        ports: dict[str, int] = {}
        for name, server in table.items():
            database = server.database or first
            link_id, tagged_url = database.first_link()
            env = database.env | server.extra_env | {
                "BENCH_TARGET": tagged_url + "&cmclid=2n9c.x3ZqAbCdEfGh",
                "BENCH_DATABASE": database.url,
                "BENCH_LINK_ID": str(link_id),
            }  # fmt: skip
            log = workdir / f"{name}.log"
            ports[name] = stack.enter_context(
                gunicorn(server.app, env, log, "--pythonpath", "bench")
            )[0]
        for name, port in ports.items():
            measure(port, table[name], 2)  # warm-up: imports, caches, connections
        others = names[1:]
        for number in range(args.rounds):
            # Each server is loaded right next to a run of the bare app (before it in even
            # rounds, after it in odd ones) and its ratio is taken to that run: on a shared
            # machine the speed drifts within seconds, less within one pair.
            for name in others[number % len(others) :] + others[: number % len(others)]:
                pair = ("bare", name) if number % 2 == 0 else (name, "bare")
                for each in pair:
                    database = table[each].database
                    before = database.last_click_id() if each in clicks and database else 0
                    load = measure(ports[each], table[each], args.seconds)
                    # What the load generator left in flight is still answered (and the
                    # floor's clicks land) before the next run starts counting.
                    time.sleep(0.5)
                    rates[each].append(load.rate)
                    if each in clicks and database:
                        clicks[each]["found"] += load.found
                        clicks[each]["errors"] += load.errors
                        clicks[each]["recorded"] += len(database.clicks_after(before))
                ratios[name].append(rates[name][-1] / rates["bare"][-1])
    tool = "wrk -t2" if use_wrk else "the Python load generator"
    print(
        f"\nThroughput: gunicorn, {WORKERS} sync workers each, {CONNECTIONS} connections, "
        f"{tool}, {args.rounds} rounds of {args.seconds:g} s, {os.cpu_count()} CPUs"
    )
    print(f"  {'':<40}{'median':>9}   every round")
    for name in names:
        rounds = " ".join(f"{rate:,.0f}" for rate in rates[name])
        label = f"{table[name].label}, req/s"
        print(f"  {label:<40}{statistics.median(rates[name]):>9,.0f}   {rounds}")
    for name in names[1:]:
        rounds = " ".join(f"{ratio:.2f}" for ratio in ratios[name])
        print(
            f"  {'ratio ' + name + ' / bare':<40}{statistics.median(ratios[name]):>9.2f}   {rounds}"
        )
    note = "wrk drops what is in flight when it stops" if use_wrk else "every request drained"
    for name, seen in clicks.items():
        print(
            f"  {name}: 302s counted by {tool}: {seen['found']:,}, socket errors: "
            f"{seen['errors']:,}; clicks recorded: {seen['recorded']:,} ({note})"
        )
    return {
        "tool": tool,
        "connections": CONNECTIONS,
        "workers": WORKERS,
        "rounds": args.rounds,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "labels": {name: server.label for name, server in table.items()},
        "rates": rates,
        "medians": {name: statistics.median(rates[name]) for name in names},
        "ratios": {name: statistics.median(ratios[name]) for name in names[1:]},
        "ratio_spread": {name: [min(ratios[name]), max(ratios[name])] for name in names[1:]},
        "clicks": clicks,
    }


def lossless(
    args: argparse.Namespace, database: Database, workdir: Path
) -> list[dict[str, object]]:
    codes = database.link_codes()
    key = click_id_key(database.env["SECRET_KEY"])
    # Always the Python load generator: it waits for every request it sent to be answered or
    # to fail. wrk stops after a fixed tail, and a request still waiting then for a worker
    # being rebooted after a SIGKILL is recorded by the server but counted nowhere.
    tool = "the Python load generator (every request sent is answered or fails)"
    print(
        f"\nLosslessness on {database.label}: {CONNECTIONS} connections, "
        f"{args.lossless_seconds:g} s, {tool}"
    )
    header = ("run", "302s received", "clicks recorded", "failed requests",
              "302s without a click", "clicks without a 302")  # fmt: skip
    print("  " + " | ".join(header))
    runs: list[dict[str, object]] = []
    for kill in (False, True):
        with gunicorn("wsgi:app", database.env, workdir / "app.log") as (port, master):
            python_load(port, codes, 1, key)  # warm-up
            before = database.last_click_id()
            load = python_load(port, codes, args.lossless_seconds, key, master if kill else None)
            time.sleep(1)
        recorded = database.clicks_after(before)
        received = set(load.click_ids)
        name = "2 × SIGKILL of a worker" if kill else "no failure"
        row = (name, f"{load.found:,}", f"{len(recorded):,}", f"{load.errors + load.other:,}",
               f"{len(received - recorded):,}", f"{len(recorded - received):,}")  # fmt: skip
        print("  " + " | ".join(row))
        runs.append({
            "engine": database.label, "run": name, "kill": kill, "received": load.found,
            "recorded": len(recorded), "failed": load.errors + load.other,
            "without_click": len(received - recorded), "without_302": len(recorded - received),
        })  # fmt: skip
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3, help="length of a measured run")
    parser.add_argument("--lossless-seconds", type=float, default=5, help="of a lossless run")
    parser.add_argument("--rounds", type=int, default=12, help="throughput rounds per server")
    parser.add_argument("--mode", choices=("all", "throughput", "lossless"), default="all")
    parser.add_argument("--python-load", action="store_true", help="do not use wrk")
    parser.add_argument(
        "--postgres", nargs="?", const=POSTGRES_URL, metavar="URL",
        help=f"also on PostgreSQL (a fresh database; default {POSTGRES_URL})",
    )  # fmt: skip
    parser.add_argument(
        "--click-commit", choices=("on", "off"), default="off",
        help="CLICK_SYNCHRONOUS_COMMIT of the app and floor on PostgreSQL (default off)",
    )  # fmt: skip
    parser.add_argument(
        "--no-durable", dest="durable", action="store_false",
        help="without the app on PostgreSQL with CLICK_SYNCHRONOUS_COMMIT=on alongside",
    )  # fmt: skip
    parser.add_argument(
        "--variant", action="append", default=[], metavar="NAME[@sqlite]:KEY=VALUE,...",
        help="the app on PostgreSQL (or SQLite) once more with these environment variables",
    )  # fmt: skip
    parser.add_argument(
        "--no-floor", dest="floor", action="store_false", help="skip the floor apps (context)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and PostgreSQL database"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.postgres and "comarketing_test" in args.postgres:
        parser.error("the test databases (comarketing_test*) are not for benchmarks")
    if any("@sqlite" not in variant for variant in args.variant) and not args.postgres:
        parser.error("--variant NAME:… needs --postgres (NAME@sqlite:… does not)")
    workdir = Path(tempfile.mkdtemp(prefix="comarketing-bench-"))
    secret = os.urandom(24).hex()
    try:
        print(f"Preparing fresh databases with the demo data ({workdir}) …", flush=True)
        databases = [prepare(workdir, secret, None)]
        if args.postgres:
            databases.append(prepare(workdir, secret, args.postgres, args.click_commit))
        figures: dict[str, object] = {
            "engines": [database.label for database in databases],
            "click_commit": args.click_commit if args.postgres else None,
        }
        if args.mode in ("all", "throughput"):
            figures["throughput"] = throughput(args, databases, workdir)
        if args.mode in ("all", "lossless"):
            figures["lossless"] = [
                run for database in databases for run in lossless(args, database, workdir)
            ]
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
            if args.postgres:
                drop_database(args.postgres)


if __name__ == "__main__":
    main()

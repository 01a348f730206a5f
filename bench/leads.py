"""Lead intake at volume: the CSV import against row-by-row ORM inserts, and the API.

    .venv/bin/python bench/leads.py [--rows 100000] [--requests 2000] [--database-url URL]

1. CSV import: a file of ``--rows`` leads (a tenth are repeats of a person already in the
   file, half carry a partner's ``utm_source``) goes through ``import_leads`` — the same code
   as ``flask leads import`` — on a fresh database. The resident memory is sampled after every
   chunk of rows, to show it stays flat.
2. The baseline on another fresh database: the same rows inserted the naive way, one ORM
   ``Lead`` and its ``Conversion`` per row, each committed (no dedupe, no attribution).
3. API intake: the app under gunicorn (2 sync workers) takes ``--requests`` ``POST
   /api/v1/leads`` from 8 concurrent clients (a fifth are repeats of a person, half carry a
   partner's ``utm_source``): dedupe, touchpoints and ownership included.

SQLite in a temporary folder by default; ``--database-url postgresql+psycopg://…`` runs the
three on PostgreSQL databases ``<name>_import``, ``<name>_naive`` and ``<name>_api`` (dropped and
created by the benchmark). Prints one table; ``--json PATH`` also writes its figures to a file
(``bench/run_all.py`` reads it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from comarketing import create_app  # noqa: E402
from comarketing.core.auth import Role  # noqa: E402
from comarketing.core.time import utcnow  # noqa: E402
from comarketing.extensions import db  # noqa: E402
from comarketing.leads.models import Conversion, ConversionKind, Lead  # noqa: E402
from comarketing.leads.services.imports import import_leads  # noqa: E402
from comarketing.partners.services import create_partner  # noqa: E402
from comarketing.users.services import create_api_token, create_user  # noqa: E402

HEADER = (
    "email,phone,name,company,utm_source,utm_medium,utm_campaign,utm_content,utm_term,occurred_at"
)
PARTNERS = ("Интегратор Плюс", "Битрикс Профи", "СРМ Эксперт", "Цифровой офис")


def rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux /proc)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def database_url(base: str | None, workdir: Path, name: str) -> str:
    """A fresh database for one measurement."""
    if base is None:
        return f"sqlite:///{workdir / f'{name}.sqlite3'}"
    url = make_url(base)
    target = url.set(database=f"{url.database}_{name}")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return target.render_as_string(hide_password=False)


def fresh_app(url: str, workdir: Path):  # noqa: ANN201 - a Flask app
    import flask_migrate

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={})
    app.instance_path = str(workdir)
    with app.app_context():
        flask_migrate.upgrade()
        for name in PARTNERS:
            create_partner(name=name, segment="amocrm")
        db.session.commit()
    return app


def csv_rows(count: int, slugs: list[str], rng: random.Random) -> list[str]:
    rows = [HEADER]
    for index in range(count):
        person = rng.randrange(index) if index and rng.random() < 0.1 else index
        source = rng.choice(slugs) if rng.random() < 0.5 else ""
        day = 1 + person % 28
        rows.append(
            f"person{person}@example.com,,Имя {person},ООО «Компания {person % 500}»,"
            f"{source},cpc,,,,2026-10-{day:02d}T10:00:00+03:00"
        )
    return rows


def bench_import(base: str | None, workdir: Path, rows: int) -> dict[str, float]:
    app = fresh_app(database_url(base, workdir, "import"), workdir)
    with app.app_context():
        slugs = [slug for (slug,) in db.session.execute(text("SELECT slug FROM partners"))]
        data = "\n".join(csv_rows(rows, slugs, random.Random(7))).encode()
        samples: list[float] = []
        started = time.perf_counter()
        report = import_leads(data, progress=lambda _: samples.append(rss_mb()))
        db.session.commit()
        seconds = time.perf_counter() - started
        leads = db.session.execute(text("SELECT count(*) FROM leads")).scalar()
        db.engine.dispose()
    assert report.rows == rows
    assert leads == report.created
    return {
        "seconds": seconds,
        "per_row_ms": seconds / rows * 1000,
        "leads": float(report.created),
        "rss_first": samples[0],
        "rss_last": samples[-1],
        "rss_max": max(samples),
    }


def bench_naive(base: str | None, workdir: Path, rows: int) -> dict[str, float]:
    app = fresh_app(database_url(base, workdir, "naive"), workdir)
    lines = csv_rows(rows, ["none"], random.Random(7))[1:]
    with app.app_context():
        started = time.perf_counter()
        for index, line in enumerate(lines):
            _, _, name, company = line.split(",")[:4]
            lead = Lead(email=f"naive{index}@example.com", name=name, company=company)
            db.session.add(lead)
            db.session.flush()
            db.session.add(
                Conversion(lead_id=lead.id, kind=ConversionKind.IMPORT, occurred_at=utcnow())
            )
            db.session.commit()
        seconds = time.perf_counter() - started
        db.engine.dispose()
    return {"seconds": seconds, "per_row_ms": seconds / rows * 1000}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(url: str, workdir: Path) -> Iterator[str]:
    port = free_port()
    env = os.environ | {
        "COMARKETING_ENV": "production",
        "COMARKETING_EMAIL_DISABLED": "true",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-secret-" + "x" * 32,
        "COMARKETING_INSTANCE_PATH": str(workdir),
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(200):
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def bench_api(base: str | None, workdir: Path, count: int) -> dict[str, float]:
    url = database_url(base, workdir, "api")
    app = fresh_app(url, workdir)
    with app.app_context():
        user, _ = create_user("landing@example.com", Role.MARKETER)
        _, token = create_api_token(user, scope="intake")
        slugs = [slug for (slug,) in db.session.execute(text("SELECT slug FROM partners"))]
        db.session.commit()
        db.engine.dispose()
    rng = random.Random(11)
    bodies = []
    for index in range(count):
        person = rng.randrange(index) if index and rng.random() < 0.2 else index
        body = {"email": f"api{person}@example.com", "name": f"Имя {person}"}
        if rng.random() < 0.5:
            body["utm_source"] = rng.choice(slugs)
        bodies.append(body)
    local = threading.local()
    statuses: list[int] = []
    with gunicorn(url, workdir) as origin:

        def post(body: dict[str, str]) -> int:
            if not hasattr(local, "session"):
                local.session = requests.Session()
                local.session.headers["Authorization"] = f"Bearer {token}"
            return int(
                local.session.post(f"{origin}/api/v1/leads", json=body, timeout=60).status_code
            )

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(post, bodies))
        seconds = time.perf_counter() - started
    with app.app_context():
        leads = db.session.execute(text("SELECT count(*) FROM leads")).scalar()
        conversions = db.session.execute(text("SELECT count(*) FROM conversions")).scalar()
        db.engine.dispose()
    distinct = len({body["email"] for body in bodies})
    assert set(statuses) <= {200, 201, 202}, set(statuses)  # 202: an intake token (§7)
    assert leads == distinct, (leads, distinct)
    assert conversions == count, (conversions, count)
    return {"rps": count / seconds, "leads": float(leads), "conversions": float(conversions)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL base URL")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        imported = bench_import(args.database_url, workdir, args.rows)
        naive = bench_naive(args.database_url, workdir, args.rows)
        api = bench_api(args.database_url, workdir, args.requests)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\nLead intake on {engine}")
    print("| measurement | result |")
    print("| --- | --- |")
    print(
        f"| CSV import, {args.rows:,} rows | {imported['seconds']:.1f} s "
        f"({imported['per_row_ms']:.3f} ms/row), {imported['leads']:,.0f} leads |"
    )
    print(
        f"| row-by-row ORM inserts, same rows | {naive['seconds']:.1f} s "
        f"({naive['per_row_ms']:.3f} ms/row) |"
    )
    print(f"| import speed-up | {naive['seconds'] / imported['seconds']:.1f}× |")
    print(
        f"| memory during the import (RSS) | {imported['rss_first']:.0f} MB after the first "
        f"chunk, {imported['rss_last']:.0f} MB after the last, "
        f"{imported['rss_max']:.0f} MB at most |"
    )
    print(
        f"| API `POST /leads`, {args.requests:,} requests, 8 clients, gunicorn ×2 | "
        f"{api['rps']:.0f} requests/s ({api['leads']:,.0f} persons, "
        f"{api['conversions']:,.0f} conversions) |"
    )
    if args.json:
        figures = {
            "engine": engine,
            "rows": args.rows,
            "requests": args.requests,
            "import": imported,
            "naive": naive,
            "api": api,
            "speedup": naive["seconds"] / imported["seconds"],
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()

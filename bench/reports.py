"""The ROI report at volume: every group-by × model, at demo scale 10 and 100.

    .venv/bin/python bench/reports.py [--scales 10 100 1000] [--database-url URL] [--repeat 3]
                                      [--reuse --workdir DIR] [--verify]

For each scale a fresh database gets ``flask demo --scale N`` (scale 100 ≈ 1,000,000 clicks),
then ``GET /api/v1/reports/roi`` is asked for every group-by and model over the demo's whole
half year (the biggest report there is), through the app's test client (the full request:
auth, validation, SQL, serialisation). Each is timed ``--repeat`` times (the best counts) and
its SQL statements are counted. Prints the slowest report per scale, the statements per
report, and the growth of each report from one scale to the next and from the smallest to the
largest; ``--json PATH`` also writes those figures to a file (``bench/run_all.py`` reads it).

SQLite in a temporary folder by default (``--workdir DIR`` keeps the files);
``--database-url postgresql+psycopg://…`` uses databases ``<name>_s<scale>`` on that server
(dropped and created). Loading scale 1000 (10 million clicks) takes an hour or more, so
``--reuse`` keeps a database that already holds the demo: it is brought to the newest
migration (``flask db upgrade``) and its first report — which rebuilds whatever rollup days the
migrations marked — is timed apart, before the measured ones. ``--verify`` also builds every
report from the rows themselves (``roi_report(..., from_rows=True)``: leads, funnel,
customers, money, registrations, the median; clicks, calls and spend read the same way in
both) and counts the figures that differ.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from comarketing import create_app  # noqa: E402
from comarketing.attribution.rules import MODELS  # noqa: E402
from comarketing.core.auth import Role  # noqa: E402
from comarketing.core.time import utcnow  # noqa: E402
from comarketing.extensions import db  # noqa: E402
from comarketing.reports.dimensions import GROUPS  # noqa: E402
from comarketing.reports.metrics import Scope  # noqa: E402
from comarketing.reports.periods import Period  # noqa: E402
from comarketing.reports.roi import SUMMED, roi_report  # noqa: E402
from comarketing.users.models import User  # noqa: E402
from comarketing.users.services import create_api_token, create_user  # noqa: E402

BENCH_USER = "bench@example.com"


def database_url(base: str | None, workdir: Path, scale: int, *, reuse: bool = False) -> str:
    """The scale's database: a SQLite file in ``workdir``, or ``<name>_s<scale>`` on the
    server of ``base``, dropped and created again unless ``reuse`` finds the demo in it."""
    if base is None:
        path = workdir / f"scale{scale}.sqlite3"
        if not reuse:
            path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = make_url(base)
    target = url.set(database=f"{url.database}_s{scale}")
    found = target.render_as_string(hide_password=False)
    if reuse and loaded(found):
        return found
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return found


def loaded(url: str) -> bool:
    """Whether the database exists and holds the demo (its partners)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return bool(connection.execute(text("SELECT count(*) FROM partners")).scalar())
    except Exception:  # noqa: BLE001 - a missing database or table: not loaded
        return False
    finally:
        engine.dispose()


def flask_env(url: str, workdir: Path) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": url,
        "COMARKETING_INSTANCE_PATH": str(workdir),
        "COMARKETING_ENV": "development",
    }


FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def upgrade(url: str, workdir: Path) -> None:
    subprocess.run([*FLASK, "db", "upgrade"], cwd=ROOT, env=flask_env(url, workdir), check=True,
                   capture_output=True)  # fmt: skip


def load(url: str, workdir: Path, scale: int) -> float:
    env = flask_env(url, workdir)
    flask = FLASK
    upgrade(url, workdir)
    started = time.perf_counter()
    subprocess.run([*flask, "demo", "--scale", str(scale)], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def differences(scope: Scope) -> int:
    """How many figures of the report differ from the same report built from the rows."""
    rolled, rows = roi_report(scope), roi_report(scope, from_rows=True)
    if [row.key for row in rolled.rows] != [row.key for row in rows.rows]:
        return len(rolled.rows) + len(rows.rows)
    return sum(
        getattr(a, name) != getattr(b, name)
        for a, b in zip([*rolled.rows, rolled.totals], [*rows.rows, rows.totals], strict=True)
        for name in (*SUMMED, "median_days_to_customer")
    )


def measure(
    url: str,
    workdir: Path,
    repeat: int,
    info: dict[str, float] | None = None,
    *,
    verify: bool = False,
) -> dict[tuple[str, str], tuple[float, int]]:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={})
    app.instance_path = str(workdir)
    results: dict[tuple[str, str], tuple[float, int]] = {}
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == BENCH_USER))
        if user is None:  # a reused database has it from an earlier run
            user, _ = create_user(BENCH_USER, Role.MANAGER)
        _, token = create_api_token(user)
        db.session.commit()
        clicks = db.session.execute(text("SELECT count(*) FROM clicks")).scalar()
        statements = 0

        def count(*_: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(db.engine, "before_cursor_execute", count)
        today = utcnow().date()
        start = today - timedelta(days=200)
        period = f"from={start}&to={today}"
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        started = time.perf_counter()
        first = client.get(f"/api/v1/reports/roi?{period}", headers=headers)
        assert first.status_code == 200, first.json
        first_seconds = time.perf_counter() - started  # with the rollup days left to rebuild
        for group_by in GROUPS:
            for model in MODELS:
                timings, counts = [], []
                for _ in range(repeat):
                    statements = 0
                    started = time.perf_counter()
                    response = client.get(
                        f"/api/v1/reports/roi?group_by={group_by}&model={model}&{period}",
                        headers=headers,
                    )
                    timings.append(time.perf_counter() - started)
                    counts.append(statements)
                    assert response.status_code == 200, response.json
                results[(group_by, model)] = (min(timings), max(counts))
        event.remove(db.engine, "before_cursor_execute", count)
        differing = None
        if verify:
            differing = sum(
                differences(Scope(group_by, model, Period(start, today)))
                for group_by in GROUPS
                for model in MODELS
            )
            db.session.rollback()
        db.engine.dispose()
    print(f"  {clicks:,} clicks; first report {first_seconds:.2f} s", flush=True)
    if differing is not None:
        print(f"  figures differing from the rows' in the {len(results)} reports: {differing}")
    if info is not None:
        info["clicks"] = float(clicks or 0)
        info["first_report"] = first_seconds
        if differing is not None:
            info["differing_figures"] = float(differing)
    return results


def growth_steps(by_scale: dict[int, dict[tuple[str, str], tuple[float, int]]]) -> dict:
    """The largest growth of one report from each scale to the next (``"10→100"``: ×)."""
    scales = sorted(by_scale)
    return {
        f"{a}→{b}": max(by_scale[b][key][0] / by_scale[a][key][0] for key in by_scale[a])
        for a, b in zip(scales, scales[1:], strict=False)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--reuse", action="store_true", help="keep a database holding the demo")
    parser.add_argument("--workdir", type=Path, help="keep the SQLite files in this folder")
    parser.add_argument("--verify", action="store_true", help="compare with the rows' figures")
    args = parser.parse_args()
    by_scale: dict[int, dict[tuple[str, str], tuple[float, int]]] = {}
    info: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        workdir = args.workdir or Path(folder)
        workdir.mkdir(parents=True, exist_ok=True)
        for scale in args.scales:
            url = database_url(args.database_url, workdir, scale, reuse=args.reuse)
            if args.reuse and loaded(url):
                print(f"scale {scale}: the demo is loaded; upgrading …", flush=True)
                upgrade(url, workdir)
                info[scale] = {}
            else:
                print(f"scale {scale}: loading the demo …", flush=True)
                seconds = load(url, workdir, scale)
                info[scale] = {"load_seconds": seconds}
                print(f"  loaded in {seconds:.0f} s", flush=True)
            print(f"  {len(GROUPS) * len(MODELS)} reports …", flush=True)
            by_scale[scale] = measure(url, workdir, args.repeat, info[scale], verify=args.verify)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    small, large = min(by_scale), max(by_scale)
    print(f"\n/reports/roi on {engine}: seconds per report (best of {args.repeat})")
    print("| group_by | model | " + " | ".join(f"scale {s}" for s in by_scale)
          + f" | ×{large}/{small} | SQL statements |")  # fmt: skip
    print("| --- | --- | " + " | ".join("---:" for _ in by_scale) + " | ---: | ---: |")
    for key in by_scale[small]:
        times = [by_scale[s][key][0] for s in by_scale]
        statements = sorted({by_scale[s][key][1] for s in by_scale})
        growth = by_scale[large][key][0] / by_scale[small][key][0]
        print(f"| {key[0]} | {key[1]} | " + " | ".join(f"{t:.3f}" for t in times)
              + f" | {growth:.1f}× | {', '.join(map(str, statements))} |")  # fmt: skip
    for scale, results in by_scale.items():
        times = [t for t, _ in results.values()]
        print(f"scale {scale}: slowest {max(times):.3f} s, median {statistics.median(times):.3f} s")
    steps = growth_steps(by_scale)
    for step, growth in steps.items():
        print(f"largest growth of one report, scale {step}: {growth:.1f}×")
    if args.json:
        figures = {
            "engine": engine,
            "repeat": args.repeat,
            "reports": len(by_scale[small]),
            "scales": {
                str(scale): info[scale]
                | {
                    "slowest": max(t for t, _ in results.values()),
                    "slowest_report": "×".join(max(results, key=lambda k: results[k][0])),
                    "median": statistics.median(t for t, _ in results.values()),
                    "statements_min": min(n for _, n in results.values()),
                    "statements_max": max(n for _, n in results.values()),
                }
                for scale, results in by_scale.items()
            },
            "growth_max": max(
                by_scale[large][k][0] / by_scale[small][k][0] for k in by_scale[small]
            ),
            "growth_steps": steps,
            "statements_constant": all(
                len({by_scale[s][k][1] for s in by_scale}) == 1 for k in by_scale[small]
            ),
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""The ROI report at volume: every group-by × model, at demo scale 10 and 100.

    .venv/bin/python bench/reports.py [--scales 10 100] [--database-url URL] [--repeat 3]

For each scale a fresh database gets ``flask demo --scale N`` (scale 100 ≈ 1,000,000 clicks),
then ``GET /api/v1/reports/roi`` is asked for every group-by and model over the demo's whole
half year (the biggest report there is), through the app's test client (the full request:
auth, validation, SQL, serialisation). Each is timed ``--repeat`` times (the best counts) and
its SQL statements are counted. Prints the slowest report per scale, the statements per
report, and the growth from the smallest to the largest scale; ``--json PATH`` also writes
those figures to a file (``bench/run_all.py`` reads it).

SQLite in a temporary folder by default; ``--database-url postgresql+psycopg://…`` uses
databases ``<name>_s<scale>`` on that server (dropped and created).
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

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from comarketing import create_app  # noqa: E402
from comarketing.attribution.rules import MODELS  # noqa: E402
from comarketing.core.auth import Role  # noqa: E402
from comarketing.core.time import utcnow  # noqa: E402
from comarketing.extensions import db  # noqa: E402
from comarketing.reports.dimensions import GROUPS  # noqa: E402
from comarketing.users.services import create_api_token, create_user  # noqa: E402


def database_url(base: str | None, workdir: Path, scale: int) -> str:
    if base is None:
        return f"sqlite:///{workdir / f'scale{scale}.sqlite3'}"
    url = make_url(base)
    target = url.set(database=f"{url.database}_s{scale}")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return target.render_as_string(hide_password=False)


def load(url: str, workdir: Path, scale: int) -> float:
    env = os.environ | {
        "DATABASE_URL": url,
        "COMARKETING_INSTANCE_PATH": str(workdir),
        "COMARKETING_ENV": "development",
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run([*flask, "demo", "--scale", str(scale)], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def measure(
    url: str, workdir: Path, repeat: int, info: dict[str, float] | None = None
) -> dict[tuple[str, str], tuple[float, int]]:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={})
    app.instance_path = str(workdir)
    results: dict[tuple[str, str], tuple[float, int]] = {}
    with app.app_context():
        user, _ = create_user("bench@example.com", Role.MANAGER)
        _, token = create_api_token(user)
        db.session.commit()
        clicks = db.session.execute(text("SELECT count(*) FROM clicks")).scalar()
        statements = 0

        def count(*_: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(db.engine, "before_cursor_execute", count)
        today = utcnow().date()
        period = f"from={today - timedelta(days=200)}&to={today}"
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
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
        db.engine.dispose()
    print(f"  {clicks:,} clicks", flush=True)
    if info is not None:
        info["clicks"] = float(clicks or 0)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    by_scale: dict[int, dict[tuple[str, str], tuple[float, int]]] = {}
    info: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        for scale in args.scales:
            url = database_url(args.database_url, workdir, scale)
            print(f"scale {scale}: loading the demo …", flush=True)
            seconds = load(url, workdir, scale)
            print(f"  loaded in {seconds:.0f} s; {len(GROUPS) * len(MODELS)} reports …", flush=True)
            info[scale] = {"load_seconds": seconds}
            by_scale[scale] = measure(url, workdir, args.repeat, info[scale])
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
            "statements_constant": all(
                len({by_scale[s][k][1] for s in by_scale}) == 1 for k in by_scale[small]
            ),
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()

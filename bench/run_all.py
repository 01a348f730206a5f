"""All the benchmarks in one command, one table: redirect, lead intake, CSV import, reports,
calls.

    .venv/bin/python bench/run_all.py [--quick] [--only redirect,leads,reports,calls]
                                      [--skip-postgres] [--report-data DIR]

Runs ``bench/redirect.py``, ``bench/leads.py``, ``bench/reports.py`` and ``bench/calls.py`` one
after the other as
subprocesses of this same Python (each with ``--json``), the last three on SQLite and on
PostgreSQL (``--postgres-url``, databases ``comarketing_bench_*``, dropped afterwards), and
prints one markdown table: every figure with its goal and whether it is met. The redirect
runs once, on SQLite and PostgreSQL side by side in the same rounds (``--postgres``, database
``<name>_redirect``; SQLite only when PostgreSQL is skipped or unreachable).

The reports run at demo scales 10, 100 and 1000 (10 million clicks: loading it takes an hour
or more per database on 2 vCPUs); ``--report-data DIR`` keeps their
databases (SQLite files in DIR, PostgreSQL's ``<name>_s<scale>``) and reuses them on the next
run, upgraded to the newest migration.

``--quick`` runs smaller sizes to try the machinery (reports at scales 1 and 10, 10,000 CSV
rows, 500 API requests, 4 redirect rounds of 2 s); its table says so in its header. Each
script's own output goes to a log file (``--out DIR`` keeps the logs and the JSON figures);
``--verbose`` also echoes it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PARTS = ("redirect", "leads", "reports", "calls")
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/comarketing_bench"

FULL = {
    "redirect": ["--seconds", "3", "--rounds", "12"],
    "leads": ["--rows", "100000", "--requests", "2000"],
    "reports": ["--scales", "10", "100", "1000", "--repeat", "3", "--verify"],
    "calls": ["--requests", "2000"],
}
QUICK = {
    "redirect": ["--seconds", "2", "--rounds", "4"],
    "leads": ["--rows", "10000", "--requests", "500"],
    "reports": ["--scales", "1", "10", "--repeat", "3", "--verify"],
    "calls": ["--requests", "500"],
}
REDIRECT_RATIO = 0.7  # the app at least 0.7 of the bare Flask redirect (design: the hot path)
IMPORT_SPEEDUP = 5.0  # the CSV import at least 5× row-by-row ORM inserts
MEMORY_GROWTH = 1.10  # "flat": the import's RSS never more than 10 % above the first chunk's
REPORT_SECONDS = 1.0  # every report under 1 s
# Issue 23 (reports read rollups): at most 2× the time from scale 10 to 100, 3× from 100 to
# 1000 (any other step: 3×), and under 0.5 s at scale 1000 on PostgreSQL.
REPORT_GROWTH = {"10→100": 2.0, "100→1000": 3.0}
REPORT_GROWTH_OTHER = 3.0
REPORT_SECONDS_AT = {"1000": 0.5}
CALLS_RATIO = 0.5  # a call (a lead, its touch, its credit) at least half the lead intake's pace
DNI_RATIO = 1.0  # handing out a held number at least as fast as taking in a lead


@dataclass
class Row:
    benchmark: str
    measure: str
    goal: str = ""
    figures: dict[str, str] = field(default_factory=dict)


def mark(ok: bool) -> str:
    return "✓" if ok else "✗ **missed**"


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run_part(
    part: str, engine: str, args: argparse.Namespace, out: Path
) -> tuple[dict | None, float]:
    """Run one script; returns its JSON figures (None when it failed) and its wall time."""
    stem = f"{part}-{engine.lower()}"
    figures_path, log_path = out / f"{stem}.json", out / f"{stem}.log"
    figures_path.unlink(missing_ok=True)
    sizes = (QUICK if args.quick else FULL)[part]
    command = [sys.executable, str(HERE / f"{part}.py"), *sizes, "--json", str(figures_path)]
    if part == "reports" and args.report_data is not None:
        command += ["--reuse", "--workdir", str(args.report_data)]
    if engine == "PostgreSQL" and part == "redirect":
        command += ["--postgres", database_name(args.postgres_url, "redirect")]
    elif engine == "PostgreSQL":
        command += ["--database-url", args.postgres_url]
    progress(f"{part} on {engine}: {' '.join(sizes)} (log: {log_path})")
    started = time.perf_counter()
    with log_path.open("w") as log:
        log.write("$ " + " ".join(command) + "\n")
        log.flush()
        child = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert child.stdout is not None
        for line in child.stdout:
            log.write(line)
            log.flush()
            if args.verbose:
                print(f"    {line}", end="", flush=True)
        code = child.wait()
    seconds = time.perf_counter() - started
    if code != 0 or not figures_path.exists():
        progress(f"{part} on {engine}: FAILED (exit {code}) after {seconds:.0f} s; see {log_path}")
        return None, seconds
    progress(f"{part} on {engine}: done in {seconds:.0f} s")
    return json.loads(figures_path.read_text()), seconds


def database_name(url: str, suffix: str) -> str:
    """``url`` with ``_<suffix>`` added to its database name."""
    from sqlalchemy.engine import make_url

    base = make_url(url)
    return base.set(database=f"{base.database}_{suffix}").render_as_string(hide_password=False)


def postgres_unreachable(url: str) -> str | None:
    """None when the server answers, else why not."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    try:
        engine = create_engine(make_url(url).set(database="postgres"))
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        return str(error).splitlines()[0]
    return None


def drop_databases(url: str, part: str, args: argparse.Namespace) -> None:
    """The databases the scripts created under the base name (they leave them behind)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    if part == "leads":
        names = [f"{base.database}_{suffix}" for suffix in ("import", "naive", "api")]
    elif part == "redirect":
        names = [f"{base.database}_redirect"]
    elif part == "calls":
        names = [f"{base.database}_calls"]
    else:
        names = [f"{base.database}_s{scale}" for scale in report_scales(args)]
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def redirect_rows(figures: dict | None, sizes: list[str]) -> list[Row]:
    """SQLite's figures and, when it ran alongside, PostgreSQL's (same rounds, same bare app)."""
    rounds = f"{sizes[3]} rounds of {sizes[1]} s"
    commit = (figures or {}).get("click_commit") or "off"
    rows = [
        Row("redirect", f"`GET /r/<code>` / bare Flask 302, req/s (median of {rounds}, "
            "side by side)"),
        Row("redirect", "**ratio app / bare** (median of the rounds' ratios; PostgreSQL: "
            f"`CLICK_SYNCHRONOUS_COMMIT={commit}`)", f"≥ {REDIRECT_RATIO}"),
        Row("redirect", "ratio app / bare, `CLICK_SYNCHRONOUS_COMMIT=on` (the default: "
            "every click on disk before its 302)"),
        Row("redirect", "ratio floor (Flask + 1 insert, no lookup) / bare, for context"),
        Row("redirect", "lossless, no failure: 302s without a click", "0"),
        Row("redirect", "lossless, 2 × SIGKILL of a worker: 302s without a click",
            "0; extra clicks ≤ failed requests"),
    ]  # fmt: skip
    if figures is None:
        for row in rows:
            row.figures["SQLite"] = row.figures["PostgreSQL"] = "failed"
        return rows
    engines = {"SQLite": "", "PostgreSQL": "_pg"}
    load = figures.get("throughput")
    if load:
        medians, ratios, spread = load["medians"], load["ratios"], load["ratio_spread"]
        for engine, suffix in engines.items():
            if f"app{suffix}" not in ratios:
                continue
            rows[0].figures[engine] = f"{medians['app' + suffix]:,.0f} / {medians['bare']:,.0f}"
            ratio, (low, high) = ratios["app" + suffix], spread["app" + suffix]
            rows[1].figures[engine] = (
                f"{ratio:.2f} {mark(ratio >= REDIRECT_RATIO)} ({low:.2f}–{high:.2f})"
            )
            if f"floor{suffix}" in ratios:
                rows[3].figures[engine] = f"{ratios['floor' + suffix]:.2f}"
        if "app_pg_on" in ratios:
            low, high = spread["app_pg_on"]
            rows[2].figures["PostgreSQL"] = f"{ratios['app_pg_on']:.2f} ({low:.2f}–{high:.2f})"
        elif commit == "on" and "app_pg" in ratios:
            rows[2].figures["PostgreSQL"] = rows[1].figures["PostgreSQL"]
        rows[2].figures["SQLite"] = "— (PostgreSQL only)"
    for run in figures.get("lossless", []):
        row = rows[5] if run["kill"] else rows[4]
        text = f"{run['without_click']:,} of {run['received']:,}"
        if run["kill"]:
            text += f" (extra clicks {run['without_302']}, failed requests {run['failed']})"
        ok = run["without_click"] == 0 and run["without_302"] <= run["failed"]
        row.figures[run.get("engine", "SQLite")] = f"{text} {mark(ok)}"
    return rows


def leads_rows(by_engine: dict[str, dict | None], sizes: list[str]) -> list[Row]:
    rows_count, requests_count = int(sizes[1]), int(sizes[3])
    rows = [
        Row("CSV import", f"`import_leads`, {rows_count:,} rows"),
        Row("CSV import", "row-by-row ORM inserts, same rows"),
        Row("CSV import", "**import speed-up**", f"≥ {IMPORT_SPEEDUP:g}×"),
        Row("CSV import", "resident memory, first → last chunk (max)",
            "flat (max ≤ first + 10 %)"),
        Row("lead intake", f"API `POST /leads`, {requests_count:,} requests, 8 clients"),
    ]  # fmt: skip
    for engine, figures in by_engine.items():
        if figures is None:
            for row in rows:
                row.figures[engine] = "failed"
            continue
        imported, naive, api = figures["import"], figures["naive"], figures["api"]
        rows[0].figures[engine] = (
            f"{imported['seconds']:.1f} s ({imported['per_row_ms']:.3f} ms/row)"
        )
        rows[1].figures[engine] = f"{naive['seconds']:.1f} s ({naive['per_row_ms']:.3f} ms/row)"
        speedup = figures["speedup"]
        rows[2].figures[engine] = f"{speedup:.1f}× {mark(speedup >= IMPORT_SPEEDUP)}"
        first, last, most = imported["rss_first"], imported["rss_last"], imported["rss_max"]
        flat = most <= first * MEMORY_GROWTH
        rows[3].figures[engine] = f"{first:.0f} → {last:.0f} MB ({most:.0f}) {mark(flat)}"
        rows[4].figures[engine] = f"{api['rps']:.0f} requests/s"
    return rows


def report_scales(args: argparse.Namespace) -> list[str]:
    sizes = (QUICK if args.quick else FULL)["reports"]
    return sizes[sizes.index("--scales") + 1 : sizes.index("--repeat")]


def report_goal(scale: str, engine: str) -> float:
    """The most seconds a report may take at ``scale`` on ``engine``."""
    if engine == "PostgreSQL" and scale in REPORT_SECONDS_AT:
        return REPORT_SECONDS_AT[scale]
    return REPORT_SECONDS


def reports_rows(by_engine: dict[str, dict | None], sizes: list[str]) -> list[Row]:
    scales = sizes[sizes.index("--scales") + 1 : sizes.index("--repeat")]
    repeat, largest = sizes[sizes.index("--repeat") + 1], scales[-1]
    steps = [f"{a}→{b}" for a, b in zip(scales, scales[1:], strict=False)]
    clicks = Row("reports", "demo data: clicks at scale " + " / ".join(scales))
    slowest = {
        scale: Row("reports", f"**slowest `/reports/roi` (best of {repeat}), scale {scale}**",
                   f"< {REPORT_SECONDS:g} s" + (f" (PostgreSQL < {REPORT_SECONDS_AT[scale]:g} s)"
                                                 if scale in REPORT_SECONDS_AT else ""))
        for scale in scales
    }  # fmt: skip
    median = Row("reports", f"median report, scale {largest}")
    growth = {
        step: Row("reports", f"**largest growth of one report, scale {step}**",
                  f"≤ {REPORT_GROWTH.get(step, REPORT_GROWTH_OTHER):g}×")
        for step in steps
    }  # fmt: skip
    first = Row("reports", f"first report after loading or upgrading, scale {largest}")
    exact = Row("reports", "figures differing from the rows' report (`--verify`), all scales", "0")
    statements = Row("reports", "SQL statements per report", "the same at every scale")
    rows = [clicks, *slowest.values(), median, *growth.values(), first, exact, statements]
    for engine, figures in by_engine.items():
        if figures is None:
            for row in rows:
                row.figures[engine] = "failed"
            continue
        at = figures["scales"]
        clicks.measure = (
            "demo data: clicks at scale " + " / ".join(scales)
            + f" (all {figures['reports']} group-by × model reports)"
        )  # fmt: skip
        clicks.figures[engine] = " / ".join(f"{at[scale]['clicks']:,.0f}" for scale in scales)
        for scale, row in slowest.items():
            seconds, goal = at[scale]["slowest"], report_goal(scale, engine)
            row.figures[engine] = (
                f"{seconds:.3f} s ({at[scale]['slowest_report']}) {mark(seconds < goal)}"
            )
        median.figures[engine] = f"{at[largest]['median']:.3f} s"
        for step, row in growth.items():
            ratio = figures.get("growth_steps", {}).get(step)
            if ratio is not None:
                limit = REPORT_GROWTH.get(step, REPORT_GROWTH_OTHER)
                row.figures[engine] = f"{ratio:.1f}× {mark(ratio <= limit)}"
        if "first_report" in at[largest]:
            first.figures[engine] = f"{at[largest]['first_report']:.2f} s"
        differing = [at[scale].get("differing_figures") for scale in scales]
        if all(d is not None for d in differing):
            total = sum(d for d in differing if d is not None)
            exact.figures[engine] = f"{total:.0f} {mark(total == 0)}"
        low = min(at[scale]["statements_min"] for scale in scales)
        high = max(at[scale]["statements_max"] for scale in scales)
        span = f"{low}" if low == high else f"{low}–{high}"
        statements.figures[engine] = f"{span} {mark(figures['statements_constant'])}"
    return rows


def calls_rows(by_engine: dict[str, dict | None], sizes: list[str]) -> list[Row]:
    count = int(sizes[1])
    rows = [
        Row("calls", f"`POST /leads` / `POST /calls` / `GET /dni/number`, {count:,} each, "
            "8 clients, req/s"),
        Row("calls", "**`POST /calls` / `POST /leads`**", f"≥ {CALLS_RATIO}"),
        Row("calls", "**`GET /dni/number` / `POST /leads`**", f"≥ {DNI_RATIO}"),
        Row("calls", "calls stored / distinct `call_id`s (a fifth sent twice)", "equal"),
    ]  # fmt: skip
    for engine, figures in by_engine.items():
        if figures is None:
            for row in rows:
                row.figures[engine] = "failed"
            continue
        rows[0].figures[engine] = (
            f"{figures['leads_rps']:.0f} / {figures['calls_rps']:.0f} / {figures['dni_rps']:.0f}"
        )
        calls, dni = figures["calls_ratio"], figures["dni_ratio"]
        rows[1].figures[engine] = f"{calls:.2f} {mark(calls >= CALLS_RATIO)}"
        rows[2].figures[engine] = f"{dni:.2f} {mark(dni >= DNI_RATIO)}"
        stored, expected = figures["calls"], figures["expected_calls"]
        rows[3].figures[engine] = f"{stored:,.0f} / {expected:,.0f} {mark(stored == expected)}"
    return rows


def table(rows: list[Row], note: dict[str, str]) -> str:
    engines = ("SQLite", "PostgreSQL")
    lines = [
        "| benchmark | measure | goal | " + " | ".join(engines) + " |",
        "| --- | --- | --- | " + " | ".join("---:" for _ in engines) + " |",
    ]
    for row in rows:
        cells = [row.figures.get(engine, note.get(engine, "—")) for engine in engines]
        lines.append(
            f"| {row.benchmark} | {row.measure} | {row.goal or '—'} | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, to try it out")
    parser.add_argument(
        "--only", default=",".join(PARTS), help="comma-separated subset of: " + ",".join(PARTS)
    )
    parser.add_argument("--skip-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--postgres-url", default=POSTGRES_URL, help="base URL; its database name is a prefix"
    )
    parser.add_argument(
        "--keep-databases", action="store_true", help="leave the PostgreSQL databases"
    )
    parser.add_argument("--out", type=Path, help="keep the logs and JSON figures in this folder")
    parser.add_argument(
        "--report-data",
        type=Path,
        help="keep the reports' demo databases here (SQLite) and on the server (PostgreSQL, "
        "implies --keep-databases for them), and reuse them on the next run",
    )
    parser.add_argument("--verbose", action="store_true", help="echo every script's output")
    args = parser.parse_args()  # fmt: skip
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown or not parts:
        parser.error(f"--only takes some of {', '.join(PARTS)}")
    if "comarketing_test" in args.postgres_url:
        parser.error("the test databases (comarketing_test*) are not for benchmarks")

    out = args.out or Path(tempfile.mkdtemp(prefix="comarketing-bench-all-"))
    out.mkdir(parents=True, exist_ok=True)
    engines = ["SQLite"]
    note = {"PostgreSQL": "— (SQLite only)"}
    if args.skip_postgres:
        note["PostgreSQL"] = "skipped"
    else:
        why = postgres_unreachable(args.postgres_url)
        if why:
            progress(f"PostgreSQL not reachable ({why}): SQLite only")
            note["PostgreSQL"] = "unreachable"
        else:
            engines.append("PostgreSQL")
    sizes = QUICK if args.quick else FULL
    stamp = datetime.now(UTC)
    started = time.perf_counter()
    progress(f"running {', '.join(parts)} on {' and '.join(engines)}; logs in {out}")

    rows: list[Row] = []
    timings: list[str] = []
    failed = False
    for part in PARTS:
        if part not in parts:
            continue
        # The redirect runs once: on SQLite, or on both side by side ("PostgreSQL").
        targets = engines[-1:] if part == "redirect" else engines
        results: dict[str, dict | None] = {}
        for engine in targets:
            results[engine], seconds = run_part(part, engine, args, out)
            failed = failed or results[engine] is None
            timings.append(f"{part} {engine} {seconds / 60:.1f} min")
            kept = args.keep_databases or (part == "reports" and args.report_data is not None)
            if engine == "PostgreSQL" and not kept:
                drop_databases(args.postgres_url, part, args)
        if part == "redirect":
            rows += redirect_rows(results[targets[0]], sizes["redirect"])
        elif part == "leads":
            rows += leads_rows(results, sizes["leads"])
        elif part == "calls":
            rows += calls_rows(results, sizes["calls"])
        else:
            rows += reports_rows(results, sizes["reports"])

    total = time.perf_counter() - started
    kind = (
        "QUICK run (`--quick`: smaller sizes than the goals are set for)"
        if args.quick
        else "full run"
    )
    print(
        f"\nBenchmarks, {kind}, {stamp:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"{total / 60:.0f} min in all ({'; '.join(timings)})\n"
    )
    print(table(rows, note))
    if failed:
        print(f"\nSome benchmarks failed; their logs are in {out}")
    elif args.out is None:
        shutil.rmtree(out, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

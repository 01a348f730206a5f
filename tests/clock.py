"""``--clock``: run the whole suite as if the wall clock read another instant.

Date bugs hide at month ends, on 29 February and on New Year's Eve in Moscow (21:00–24:00 UTC
is already the next day there). ``pytest --clock=2027-12-31T22:30:00Z`` moves every clock the
app reads (``datetime.now``, ``date.today``, ``time.time``) to that instant for the session, and
lets it tick on from there; CI runs the suite under several such instants. ``TEST_CLOCK`` in the
environment does the same. Monotonic clocks (timeouts) are left alone.

A test that starts another Python process builds its command with ``python_command`` so the
child reads the same clock (``python -m tests.clock ISO MODULE ARGS…`` when one is set).
"""

from __future__ import annotations

import os
import runpy
import sys
from datetime import UTC, datetime

import pytest
import time_machine


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        metavar="ISO",
        default=os.environ.get("TEST_CLOCK") or None,
        help="run the session as if it started at this ISO 8601 instant (UTC if no offset)",
    )


def session_clock(config: pytest.Config) -> datetime | None:
    value = config.getoption("--clock")
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def pytest_configure(config: pytest.Config) -> None:
    moment = session_clock(config)
    if moment is None:
        return
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)
    config.stash[TRAVELLING] = True


TRAVELLING = pytest.StashKey[bool]()
_session: list[pytest.Config] = []


def pytest_sessionstart(session: pytest.Session) -> None:
    _session.append(session.config)


def python_command(module: str, *args: str) -> list[str]:
    """``python -m module args…``, on the session's clock when one is set."""
    if _session and _session[-1].stash.get(TRAVELLING, False):
        now = datetime.now(UTC).isoformat()
        return [sys.executable, "-m", "tests.clock", now, module, *args]
    return [sys.executable, "-m", module, *args]


def pytest_report_header(config: pytest.Config) -> str | None:
    moment = session_clock(config)
    return f"clock: the session starts at {moment.isoformat()}" if moment else None


if __name__ == "__main__":
    # python -m tests.clock ISO MODULE ARGS…: run MODULE as __main__ from that instant on.
    instant, module, *rest = sys.argv[1:]
    time_machine.travel(datetime.fromisoformat(instant), tick=True).start()
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)

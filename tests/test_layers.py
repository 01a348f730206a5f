"""The layers of the code hold (``.importlinter``, README "Architecture"), and the check that
keeps them would catch a new upward import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(source_root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the ``comarketing`` package found under ``source_root``."""
    env = {**os.environ, "PYTHONPATH": str(source_root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=source_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_package_imports_only_packages_below_it():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path):
    shutil.copytree(ROOT / "comarketing", tmp_path / "comarketing")
    intake = tmp_path / "comarketing" / "leads" / "services" / "intake.py"
    intake.write_text(
        intake.read_text() + "\nfrom comarketing.attribution.credits import refresh_credits\n"
    )
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "comarketing.leads is not allowed to import comarketing.attribution" in result.stdout
    assert "comarketing.leads.services.intake -> comarketing.attribution.credits" in result.stdout

"""Helpers for CLI commands: one transaction, and domain errors as clean exits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from comarketing.core.csv_import import CsvImportError
from comarketing.core.errors import DomainError
from comarketing.extensions import db

R = TypeVar("R")


@contextmanager
def cli_transaction() -> Iterator[None]:
    """Commit what the block did, or roll it back and exit non-zero with the reason."""
    try:
        yield
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        # click prints "Error: <message>" to stderr and exits with status 1.
        raise click.ClickException(error.message) from None


def report_csv_errors(error: CsvImportError) -> NoReturn:
    """Print every bad line of a refused file, then exit non-zero."""
    for line, problems in sorted(error.errors.by_line.items()):
        for problem in problems:
            click.echo(f"line {line}: {problem}", err=True)
    raise click.ClickException(error.message)


def import_csv_file(file: Path, label: str, importer: Callable[..., R]) -> R:
    """Run ``importer(data, progress=…)`` on a CSV file under a progress bar, in one
    transaction: committed when the whole file is good, else every bad line is printed and
    the command exits non-zero with nothing written."""
    data = file.read_bytes()
    with click.progressbar(length=max(1, data.count(b"\n")), label=label) as bar:
        try:
            report = importer(data, progress=bar.update)
        except CsvImportError as error:
            db.session.rollback()
            report_csv_errors(error)
        db.session.commit()
    return report

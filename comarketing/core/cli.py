"""Helpers for CLI commands: one transaction, and domain errors as clean exits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click

from comarketing.core.csv_import import CsvImportError
from comarketing.core.errors import DomainError
from comarketing.extensions import db


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

"""Helpers for CLI commands: one transaction, and domain errors as clean exits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

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

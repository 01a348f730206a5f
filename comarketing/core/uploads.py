"""The one way pages take a CSV file: all rows or none, every bad line shown back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect, render_template
from werkzeug.wrappers import Response

from comarketing.core.csv_import import CsvImportError
from comarketing.extensions import db

R = TypeVar("R")


def csv_upload(
    form: Any,
    importer: Callable[[bytes], R],
    *,
    template: str,
    done: Callable[[R], str],
    next_url: str,
) -> str | Response:
    """Handle an upload form with a ``file`` field: import and commit, flash ``done(report)``
    and go to ``next_url``; or show the page again with the bad lines and nothing written."""
    errors = None
    if form.validate_on_submit():
        try:
            report = importer(form.file.data.read())
        except CsvImportError as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            flash(done(report), "success")
            return redirect(next_url)
    return render_template(template, form=form, errors=errors)

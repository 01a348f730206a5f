"""Forms and services: run the service, commit once, or put its refusal back on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileRequired
from wtforms import DecimalField, Field
from wtforms.validators import ValidationError

from comarketing.core.errors import DomainError
from comarketing.core.money import MoneyProblem, money_problem
from comarketing.extensions import db

T = TypeVar("T")


def show_domain_errors(form: FlaskForm, error: DomainError) -> None:
    """Each field problem under its field (``partners.0.cost_share`` under ``partners``);
    problems of fields the form lacks, or a refusal without fields, above the form."""
    for field, problems in (error.fields or {}).items():
        target = getattr(form, field.split(".")[0], None)
        errors = getattr(target, "errors", None)
        (errors if isinstance(errors, list) else form.form_errors).extend(problems)
    if not error.fields:
        form.form_errors.append(error.message)


def commit_or_show(form: FlaskForm, action: Callable[[], T], success: str) -> T | None:
    """Run a service for a submitted form: commit and flash ``success``, or roll back and put
    the refusal on the form. Returns the service's result, or None when it was refused."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        show_domain_errors(form, error)
        return None
    db.session.commit()
    flash(success, "success")
    return result


def csv_file() -> list[Any]:
    """Validators of an uploaded CSV file: present, and named ``.csv`` or ``.txt`` (the
    content is checked again when read: UTF-8, a header, every row)."""
    return [FileRequired(), FileAllowed(["csv", "txt"], _l("Upload a .csv file."))]


def money_amount(form: FlaskForm, field: Field) -> None:
    """Validator of a ``DecimalField`` in roubles: finite, at most two decimal places, within
    what the money columns hold (``core.money``). Whether it must be positive is the service's
    rule, said with the field's own words."""
    problem = None if field.data is None else money_problem(field.data)
    if problem is MoneyProblem.TOO_LARGE:
        raise ValidationError(_("The amount is too large."))
    if problem is not None:
        raise ValidationError(_("Give an amount in roubles with at most two decimal places."))


def money_field(label: Any, *validators: Any, **kwargs: Any) -> DecimalField:
    """A form field of roubles: shown with two places, checked by ``money_amount`` after
    ``validators`` (``InputRequired()`` or ``Optional()`` first)."""
    return DecimalField(label, places=2, validators=[*validators, money_amount], **kwargs)

"""Forms and services: run the service, commit once, or put its refusal back on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileRequired
from wtforms import DecimalField, Field
from wtforms.validators import ValidationError

from comarketing.core.errors import DomainError
from comarketing.core.money import MoneyProblem, money_problem
from comarketing.core.writes import committed

T = TypeVar("T")

# What a form page shows after the work is committed: a text, or one made from the result
# (None: the page says it itself).
Success = str | Callable[[T], str | None]


def show_domain_errors(form: FlaskForm, error: DomainError) -> None:
    """Each field problem under its field (``partners.0.cost_share`` under ``partners``);
    problems of fields the form lacks, or a refusal without fields, above the form."""
    for field, problems in (error.fields or {}).items():
        target = getattr(form, field.split(".")[0], None)
        errors = getattr(target, "errors", None)
        (errors if isinstance(errors, list) else form.form_errors).extend(problems)
    if not error.fields:
        form.form_errors.append(error.message)


class Outcome(Generic[T]):
    """What became of a submitted form.

    ``done``: the service ran and its work is committed; ``result`` is what it returned.
    Otherwise nothing was written and the page is shown again with ``status``: the service's
    ``refusal`` (already shown on the form) gives its own status (409 for a conflict …); a
    form that did not validate (no refusal) is a 422.
    """

    __slots__ = ("_result", "done", "refusal")

    def __init__(
        self, *, done: bool, result: T | None = None, refusal: DomainError | None = None
    ) -> None:
        self.done = done
        self._result = result
        self.refusal = refusal

    @property
    def result(self) -> T:
        if not self.done:
            raise RuntimeError("A form that was not committed has no result.")
        return self._result  # type: ignore[return-value]

    @property
    def status(self) -> int:
        return self.refusal.status if self.refusal is not None else 422


def commit_or_show(
    form: FlaskForm,
    action: Callable[[], T],
    success: Success[T],
    *,
    valid: bool | None = None,
) -> Outcome[T]:
    """Run a service for a submitted form: commit and flash ``success``, or roll back and put
    the refusal on the form.

    The form is checked first (``validate_on_submit``; a page that checked it itself passes
    ``valid``); a form that is not submitted or not valid runs nothing.
    """
    if not (form.validate_on_submit() if valid is None else valid):
        return Outcome(done=False)
    try:
        result = committed(action)
    except DomainError as error:
        show_domain_errors(form, error)
        return Outcome(done=False, refusal=error)
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    return Outcome(done=True, result=result)


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

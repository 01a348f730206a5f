"""Putting a service's refusal back on the form the user filled in."""

from __future__ import annotations

from flask_wtf import FlaskForm

from comarketing.core.errors import DomainError


def show_domain_errors(form: FlaskForm, error: DomainError) -> None:
    """Each field problem under its field (``partners.0.cost_share`` under ``partners``);
    problems of fields the form lacks, or a refusal without fields, above the form."""
    for field, problems in (error.fields or {}).items():
        target = getattr(form, field.split(".")[0], None)
        errors = getattr(target, "errors", None)
        (errors if isinstance(errors, list) else form.form_errors).extend(problems)
    if not error.fields:
        form.form_errors.append(error.message)

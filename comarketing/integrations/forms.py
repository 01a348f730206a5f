"""The integrations page only posts buttons: one form that carries the CSRF token."""

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A button that changes state (retry, switch on/off); CSRF-protected, no fields."""

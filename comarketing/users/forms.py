"""Login and language forms: shape only, the rules live in the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from comarketing.core.auth import Role


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Log out"))


class LanguageForm(FlaskForm):
    locale = SelectField(
        choices=[
            SelectChoice("ru", "Русский", render_kw={"lang": "ru"}),
            SelectChoice("en", "English"),
        ]
    )
    next = HiddenField()


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=200)]
    )
    confirm = PasswordField(
        _l("The same again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Set the password"))


class ForgotPasswordForm(FlaskForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class InviteForm(FlaskForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    locale = SelectField(
        _l("Language of the letter"),
        choices=[
            SelectChoice("ru", "Русский", render_kw={"lang": "ru"}),
            SelectChoice("en", "English"),
        ],
        default="ru",
    )
    submit = SubmitField(_l("Invite"))


class AccountActionForm(FlaskForm):
    """A button on the settings page (deactivate, activate, send a reset link, revoke):
    CSRF-protected, no fields of its own."""


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(Role.ADMIN.value, _l("admin")),
            SelectChoice(Role.MARKETER.value, _l("marketer")),
            SelectChoice(Role.MANAGER.value, _l("manager")),
        ],
    )

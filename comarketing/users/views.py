"""Log in, log out, choose a language."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from comarketing.core.forms import commit_or_show
from comarketing.core.urls import is_local_path
from comarketing.extensions import db, limiter
from comarketing.users import lockout, services
from comarketing.users.accounts import end_sessions
from comarketing.users.forms import (
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    LogoutForm,
    SetPasswordForm,
)
from comarketing.users.invitations import start_password_reset, use_token, valid_token
from comarketing.users.models import UserTokenPurpose

bp = Blueprint("users", __name__)


def home_url() -> str:
    """Where a logged-in user lands: partners in their portal, staff on the dashboard."""
    if current_user.is_authenticated and current_user.is_partner:
        return url_for("portal.home")
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    """Log in. Per IP: the view's rate limit; per account: the lock-out (``users.lockout``),
    which refuses even the right password while it lasts."""
    if current_user.is_authenticated:
        return redirect(home_url())
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        email = form.email.data
        if lockout.is_locked(email):
            form.password.errors.append(
                _(
                    "Too many failed attempts: this account is locked for a while. "
                    "Try again later or reset the password."
                )
            )
            return render_template("users/login.html", form=form), 429
        user = services.authenticate(email, form.password.data)
        if user is None:
            lockout.record_failure(email)
            form.password.errors.append(_("Wrong e-mail or password."))
        else:
            lockout.clear(email)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            target = form.next.data
            return redirect(target if is_local_path(target) else home_url())
    return render_template("users/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> str | Response:
    form = LogoutForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            end_sessions(current_user)  # a copied session cookie is worthless from now on
            db.session.commit()
        logout_user()
        flash(_("You have logged out."), "info")
        return redirect(url_for("users.login"))
    if not current_user.is_authenticated:
        return redirect(url_for("users.login"))
    return render_template("users/logout.html", form=form)


@bp.post("/language")
def language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    target = form.next.data
    return redirect(target if is_local_path(target) else url_for("users.login"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    """A partner user sets a password through the invitation link, and is logged in."""
    return _set_password(token, UserTokenPurpose.INVITE, _("Welcome! Your password is set."))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    return _set_password(token, UserTokenPurpose.RESET, _("Your new password is set."))


def _set_password(
    plain: str, purpose: UserTokenPurpose, done: str
) -> str | Response | tuple[str, int]:
    token = valid_token(plain, purpose)
    if token is None:
        message = _("This link has expired or has already been used. Ask for a new one.")
        return render_template("users/link_expired.html", message=message), 404
    form = SetPasswordForm()
    outcome = commit_or_show(form, lambda: use_token(token, form.password.data), done)
    if outcome.done:
        lockout.clear(outcome.result.email)
        logout_user()
        login_user(outcome.result)
        return redirect(home_url())
    return render_template(
        "users/set_password.html", form=form, invite=purpose is UserTokenPurpose.INVITE
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        start_password_reset(form.email.data, locale=str(get_locale()))
        db.session.commit()
        flash(
            _("If this address has an account, a link to set a new password is on its way."), "info"
        )
        return redirect(url_for(".login"))
    return render_template("users/forgot_password.html", form=form)

"""Log in, log out, choose a language."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from comarketing.core.urls import is_local_path
from comarketing.extensions import db
from comarketing.users import services
from comarketing.users.forms import LanguageForm, LoginForm, LogoutForm

bp = Blueprint("users", __name__)


def home_url() -> str:
    """Where a logged-in user lands: partners in their portal, staff on the dashboard."""
    if current_user.is_authenticated and current_user.is_partner:
        return url_for("portal.home")
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(home_url())
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong e-mail or password."))
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            target = form.next.data
            return redirect(target if is_local_path(target) else home_url())
    return render_template("users/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> str | Response:
    form = LogoutForm()
    if form.validate_on_submit():
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

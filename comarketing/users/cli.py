"""``flask users create|activate|deactivate`` and ``flask tokens create|list|revoke``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from comarketing.core.auth import Role
from comarketing.core.cli import cli_transaction
from comarketing.core.errors import NotFound
from comarketing.extensions import db
from comarketing.users import accounts, queries, services
from comarketing.users.models import ApiToken, TokenScope, User

users_cli = AppGroup("users", help="Manage logins.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role",
    required=True,
    type=click.Choice([role.value for role in Role]),
    help="What the user may do.",
)
@click.option("--partner", "partner_slug", help="Partner slug (required for partner users).")
@click.option("--password", help="Password; generated and printed when omitted.")
@click.option("--name", default="", help="Display name.")
def create_user_command(
    email: str, role: str, partner_slug: str | None, password: str | None, name: str
) -> None:
    """Create a user with a role (admin, marketer, manager, partner)."""
    with cli_transaction():
        user, generated = services.create_user(
            email, role, partner_slug=partner_slug, password=password, name=name
        )
    suffix = f" with password {generated}" if generated else ""
    click.echo(f"Created {user.role} user {user.email}{suffix}")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="What the token is for.")
@click.option(
    "--scope",
    type=click.Choice([scope.value for scope in TokenScope]),
    default=TokenScope.FULL.value,
    show_default=True,
    help="intake: only create leads and webinar registrations (landing pages); "
    "calls: only post calls (a telephony platform).",
)
@click.option("--signed", is_flag=True, help="Require request bodies signed with a printed secret.")
def create_token_command(email: str, name: str, scope: str, signed: bool) -> None:
    """Create an API token acting as EMAIL; the token is printed alone on the last line."""
    with cli_transaction():
        user = services.user_by_email(email)
        if user is None:
            raise NotFound(f"No user with e-mail {email.strip().lower()}.")
        token, plain = services.create_api_token(user, name=name, scope=scope, signed=signed)
    click.echo(f"Created {token.scope} token {token.prefix}… for {user.email}")
    if token.signing_secret:
        click.echo(f"Signing secret (X-Comarketing-Signature): {token.signing_secret}")
    click.echo(plain)


def _user(email: str) -> User:
    user = services.user_by_email(email)
    if user is None:
        raise NotFound(f"No user with e-mail {email.strip().lower()}.")
    return user


def _switch(email: str, active: bool) -> User:
    with cli_transaction():
        return accounts.set_active(_user(email), active)


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Take a user's access away: no login, open sessions end, its API tokens answer 401."""
    user = _switch(email, False)
    click.echo(f"Deactivated {user.email}: its sessions and tokens no longer work.")


@users_cli.command("activate")
@click.argument("email")
def activate_command(email: str) -> None:
    """Give a deactivated user its access back (it logs in again; its tokens work again)."""
    click.echo(f"Activated {_switch(email, True).email}.")


@tokens_cli.command("list")
@click.argument("email", required=False)
def list_tokens_command(email: str | None) -> None:
    """List API tokens (of one user with EMAIL): id, prefix, scope, user, last use, revoked."""
    with cli_transaction():
        user = _user(email) if email else None
        tokens = queries.tokens(user_id=user.id if user else None)
        for token in tokens:
            used = token.last_used_at.isoformat() if token.last_used_at else "never used"
            revoked = f"revoked {token.revoked_at.isoformat()}" if token.revoked_at else "live"
            click.echo(
                f"{token.id}\t{token.prefix}…\t{token.scope}\t{token.user.email}\t"
                f"{token.name or '-'}\t{used}\t{revoked}"
            )
    click.echo(f"{len(tokens)} token(s).")


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_token_command(token_id: int) -> None:
    """Revoke a token: it answers 401 from now on."""
    with cli_transaction():
        token = db.session.get(ApiToken, token_id)
        if token is None:
            raise NotFound(f"No token with id {token_id}.")
        accounts.revoke_token(token)
    click.echo(f"Revoked token {token.id} ({token.prefix}…) of {token.user.email}.")

"""``flask users create`` and ``flask tokens create``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from comarketing.core.auth import Role
from comarketing.core.cli import cli_transaction
from comarketing.core.errors import NotFound
from comarketing.users import services
from comarketing.users.models import TokenScope

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
    help="intake: only create leads and webinar registrations (landing pages).",
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

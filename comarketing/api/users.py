"""``/api/v1/users`` and ``/api/v1/tokens`` (contract §7): admins list logins and take access
away or give it back; everyone lists and revokes their own API tokens (admins: all)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response
from flask.views import MethodView
from flask_babel import gettext as _

from comarketing.api.auth import actor, api_blueprint, require
from comarketing.api.collections import collection
from comarketing.api.ownership import visible
from comarketing.core.api import ErrorSchema
from comarketing.core.auth import Permission, Role
from comarketing.core.paging import ListArgsSchema, list_page
from comarketing.core.schemas import IdField, InputSchema, UTCDateTimeField
from comarketing.core.writes import answer
from comarketing.users import accounts
from comarketing.users.models import ApiToken, User
from comarketing.users.queries import tokens_query, users_query

blp = api_blueprint("api_users", __name__, "Logins and API tokens: who may act, and until when.")

ROLE = ma.validate.OneOf([role.value for role in Role])


class UserSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()
    role = ma.fields.String()
    partner_id = ma.fields.Integer(allow_none=True)
    active = ma.fields.Boolean()
    created_at = UTCDateTimeField()
    last_login_at = UTCDateTimeField(allow_none=True)


class UserListArgsSchema(InputSchema, ListArgsSchema):
    role = ma.fields.String(validate=ROLE)
    partner_id = IdField(strict=False)
    active = ma.fields.Boolean()


class UserUpdateSchema(InputSchema):
    active = ma.fields.Boolean()
    role = ma.fields.String(validate=ROLE)


class TokenSchema(ma.Schema):
    """A token as it may be shown: never its secret (only its first characters)."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    prefix = ma.fields.String()
    scope = ma.fields.String()
    user_id = ma.fields.Integer()
    created_at = UTCDateTimeField()
    last_used_at = UTCDateTimeField(allow_none=True)
    revoked_at = UTCDateTimeField(allow_none=True)


class TokenListArgsSchema(InputSchema, ListArgsSchema):
    user_id = IdField(strict=False)


@blp.route("/users")
class Users(MethodView):
    @collection(blp, UserListArgsSchema, UserSchema, "UserList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List logins (admins)."""
        return list_page(users_query, require(Permission.MANAGE_USERS), User.id, args)


@blp.route("/users/<int:user_id>")
class UserById(MethodView):
    @blp.response(200, UserSchema)
    def get(self, user_id: int) -> User:
        """One login (admins)."""
        require(Permission.MANAGE_USERS)
        return _user(user_id)

    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="An admin's own access")
    def patch(self, data: dict[str, Any], user_id: int) -> User:
        """Deactivate (no login, sessions end at their next request, tokens answer 401) or
        reactivate a login, or move it between staff roles (admins; never their own)."""
        admin = require(Permission.MANAGE_USERS)
        user = _user(user_id)
        return answer(lambda: accounts.update_account(user, data, by=admin))


@blp.route("/tokens")
class Tokens(MethodView):
    @collection(blp, TokenListArgsSchema, TokenSchema, "TokenList")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List API tokens: an admin's all, anyone else's own."""
        return list_page(tokens_query, actor(), ApiToken.id, args)


@blp.route("/tokens/<int:token_id>")
class TokenById(MethodView):
    @blp.response(204)
    def delete(self, token_id: int) -> Response:
        """Revoke a token: it answers 401 from now on (another user's token: 404)."""
        token = visible(ApiToken, token_id, _("Token not found."))
        answer(lambda: accounts.revoke_token(token))
        return Response(status=204)


def _user(user_id: int) -> User:
    return visible(User, user_id, _("User not found."))

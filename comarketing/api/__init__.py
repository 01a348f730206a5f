"""The JSON API (``/api/v1``): bearer-token auth, resources built on the domains' services.

It owns no models; every resource parses with a schema, calls a service, commits once.
"""

from __future__ import annotations

from flask import Flask

from comarketing.extensions import api, csrf


def register_api(app: Flask) -> None:
    from comarketing.api.partners import blp as partners_blp

    for blueprint, prefix in ((partners_blp, "/partners"),):
        csrf.exempt(blueprint)  # authenticated by bearer token, never by a cookie
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{prefix}")

    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "flask tokens create"}
    )
    api.spec.options["security"] = [{"bearer": []}]

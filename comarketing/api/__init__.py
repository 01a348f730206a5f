"""The JSON API (``/api/v1``): bearer-token auth, resources built on the domains' services.

It owns no models; every resource parses with a schema, calls a service, commits once.
"""

from __future__ import annotations

import importlib

from flask import Flask

from comarketing.extensions import api, csrf

# (module with a ``blp`` resource blueprint, URL prefix under /api/v1)
RESOURCE_MODULES = (
    ("comarketing.api.partners", "/partners"),
    ("comarketing.api.plans", "/partners"),  # /partners/{id}/plans
    ("comarketing.api.campaigns", "/campaigns"),
    ("comarketing.api.spend", "/spend"),
    ("comarketing.api.webinars", "/webinars"),
    ("comarketing.api.calendar", "/calendar"),
    ("comarketing.api.leads", "/leads"),
    ("comarketing.api.touchpoints", "/touchpoints"),
    ("comarketing.api.payments", "/payments"),
    ("comarketing.api.commissions", "/commissions"),
    ("comarketing.api.commission_plans", "/commission-plans"),
    ("comarketing.api.reports", "/reports"),
    ("comarketing.api.links", "/links"),
    ("comarketing.api.mdf", "/mdf"),
    ("comarketing.api.users", ""),  # /users and /tokens
    ("comarketing.api.tiers", ""),  # /tiers and /partners/{id}/tier-history
    ("comarketing.api.deals", "/deal-registrations"),
    ("comarketing.api.kpi", "/kpi"),
    ("comarketing.api.postbacks", "/postbacks"),
    ("comarketing.api.calls", ""),  # /call-numbers and /calls
)


def register_api(app: Flask) -> None:
    for module_name, prefix in RESOURCE_MODULES:
        blueprint = importlib.import_module(module_name).blp
        csrf.exempt(blueprint)  # authenticated by bearer token, never by a cookie
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{prefix}")

    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "flask tokens create"}
    )
    api.spec.options["security"] = [{"bearer": []}]

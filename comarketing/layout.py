"""What every page's layout gets: the navigation for the user's role, the language and logout
forms, and the filters that show stored codes by name. A front end: it may read any domain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from comarketing.campaigns.channels import channel_label
from comarketing.commissions.labels import LABELS as COMMISSION_LABELS
from comarketing.core.auth import Permission, can
from comarketing.core.labels import label, register_labels
from comarketing.core.outbox.labels import LABELS as DELIVERY_LABELS
from comarketing.core.templating import local_time
from comarketing.integrations.labels import LABELS as INTEGRATION_LABELS
from comarketing.leads.labels import LABELS as LEAD_LABELS
from comarketing.partners.segments import segment_label
from comarketing.users.forms import LanguageForm, LogoutForm
from comarketing.users.labels import LABELS as ROLE_LABELS


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy string, translated when rendered
    permission: Permission | None = None


STAFF_NAV = (
    NavItem("dashboard.index", _l("Dashboard")),
    NavItem("partners.index", _l("Partners")),
    NavItem("campaigns.index", _l("Campaigns")),
    NavItem("webinars.index", _l("Webinars")),
    NavItem("webinars.calendar", _l("Calendar")),
    NavItem("links.index", _l("Links")),
    NavItem("leads.index", _l("Leads")),
    NavItem("calls.index", _l("Calls")),
    NavItem("commissions.index", _l("Commissions")),
    NavItem("reports.index", _l("Reports")),
    NavItem("goals.index", _l("Goals")),
    NavItem("mdf.index", _l("MDF")),
    NavItem("integrations.index", _l("Integrations"), Permission.DECIDE),
    NavItem("settings.index", _l("Settings")),
)

PARTNER_NAV = (
    NavItem("portal.home", _l("Overview")),
    NavItem("portal.links", _l("Links")),
    NavItem("portal.webinars", _l("Webinars")),
    NavItem("portal.leads", _l("Leads")),
    NavItem("portal.calls", _l("Calls")),
    NavItem("portal.commissions", _l("Commissions")),
    NavItem("portal.reports", _l("Reports")),
    NavItem("portal.mdf", _l("MDF")),
    NavItem("portal.plans", _l("Plans")),
)


def nav_items() -> list[NavItem]:
    """The menu of the current user: only pages that exist and that the role may open."""
    if not current_user.is_authenticated:
        return []
    items = PARTNER_NAV if current_user.is_partner else STAFF_NAV
    return [
        item
        for item in items
        if item.endpoint in current_app.view_functions
        and (item.permission is None or can(current_user, item.permission))
    ]


def register_layout(app: Flask) -> None:
    """Filters that name stored codes, the labels of every domain, and the context of the
    base layout (navigation, language and logout forms)."""
    for labels in (
        LEAD_LABELS,
        COMMISSION_LABELS,
        DELIVERY_LABELS,
        ROLE_LABELS,
        INTEGRATION_LABELS,
    ):
        register_labels(app, labels)
    app.add_template_filter(segment_label)
    app.add_template_filter(channel_label)
    app.add_template_filter(label)
    app.add_template_global(local_time)

    @app.context_processor
    def inject_layout() -> dict[str, Any]:
        if not has_request_context():  # e-mails are rendered by the outbox worker
            return {}
        language_form = LanguageForm(formdata=None, locale=str(get_locale()))
        language_form.next.data = request.full_path.rstrip("?")
        signed_in = current_user.is_authenticated
        return {
            "can_plan": signed_in and can(current_user, Permission.PLAN),
            "can_decide": signed_in and can(current_user, Permission.DECIDE),
            "nav_items": nav_items(),
            "language_form": language_form,
            "logout_form": LogoutForm(formdata=None),
            "current_locale": str(get_locale()),
        }

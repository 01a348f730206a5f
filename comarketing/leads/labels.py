"""Shown names of the codes leads store: statuses, conversion and touch kinds, ownership."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    # lead statuses
    "new": _l("new"),
    "working": _l("working"),
    "customer": _l("customer"),
    "lost": _l("lost"),
    # conversions and touches
    "form": _l("form"),
    "api": _l("API"),
    "import": _l("import"),
    "registration": _l("webinar registration"),
    "deal_registration": _l("deal registration"),
    "click": _l("click"),
    "attendance": _l("webinar attendance"),
    "offline": _l("offline touch"),
    "utm": _l("UTM tags"),
    # ownership reasons (looked up as "ownership:<code>") and conflicts
    "ownership:registration": _l("first touch when the lead came"),
    "ownership:deal_registration": _l("registered by the partner"),
    "rebind": _l("re-bound after protection"),
    "reassigned": _l("reassigned by a manager"),
    "open": _l("open"),
    "kept": _l("owner kept"),
}

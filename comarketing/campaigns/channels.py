"""Marketing channels: codes are stored (and used in reports), names are shown."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

CHANNEL_PATTERN = re.compile(r"^[a-z0-9_]{2,40}$")

CHANNELS = {
    "yandex_direct": _l("Yandex Direct"),
    "vk_ads": _l("VK Ads"),
    "telegram_ads": _l("Telegram Ads"),
    "google_ads": _l("Google Ads"),
    "email": _l("E-mail campaign"),
    "event": _l("Event"),
    "content": _l("Content and SEO"),
    "other": _l("Other"),
}
WEBINAR_CHANNEL = "webinar"  # the channel of touches that come through a webinar
CALL_CHANNEL = "call"  # the channel of touches that are phone calls to tracking numbers
# Channels of touches, not of campaigns: shown by name, never chosen for a campaign.
TOUCH_CHANNELS = {WEBINAR_CHANNEL: _l("Webinar"), CALL_CHANNEL: _l("Phone calls")}


def channel_label(code: str | None) -> str:
    """The shown name of a channel code; unknown codes as they are."""
    if code in TOUCH_CHANNELS:
        return str(TOUCH_CHANNELS[code])
    return str(CHANNELS.get(code or "", code or "—"))


def channel_choices() -> list[SelectChoice]:
    return [SelectChoice(code, str(label)) for code, label in CHANNELS.items()]

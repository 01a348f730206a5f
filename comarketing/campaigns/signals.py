"""What happens to campaigns, for the packages above to act on (they subscribe in
``create_app``)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# send(campaign, partners=[Partner, …], created_by_id=…) after a new campaign is flushed:
# with a landing page, each partner gets its tracked link to it.
campaign_created = _signals.signal("campaign-created")

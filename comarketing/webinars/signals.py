"""What happens to webinars, for the packages above to act on (they subscribe in
``create_app``)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# send(webinar, partners=[Partner, …], created_by_id=…) after new co-hosts are flushed (a new
# webinar's or added later): each gets its tracked link to the registration page.
hosts_added = _signals.signal("webinar-hosts-added")

"""What happens to commissions, for the packages above to act on (integrations tells the
partner through its postbacks; it subscribes in ``create_app``)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# send(commission_id=…) after a new commission line (a reversal too) is flushed, in its
# transaction.
commission_created = _signals.signal("commission-created")

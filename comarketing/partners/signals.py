"""What happens to partners, for the packages above to act on (they subscribe in
``create_app``)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# send(partner, new_slug=…) before a partner's slug changes; a receiver that knows the slug is
# out in the world (on tracked links, as ``utm_source``) raises ``Conflict`` to refuse.
slug_changing = _signals.signal("partner-slug-changing")
# send(partner) after a partner's segment changed and was flushed (credits carry the segment).
segment_changed = _signals.signal("partner-segment-changed")

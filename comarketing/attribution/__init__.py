"""Attribution: who gets credit for a lead. The pure models of contract §6 (``rules``), and the
credits stored per lead and touch (``credits``, ``models``), kept current by subscribing to the
lead events of the domains below (``subscribe``)."""

"""Partner postbacks (contract §8): a partner's own endpoints, told of its own leads' events —
a new lead, a new status, a new commission — signed like our webhooks and carried by the
outbox's CRM channel (topics ``postback.<event>``)."""

"""Call tracking (contract §10): tracking numbers per partner and activity, a dynamic pool for
landing pages, and calls that become leads, conversions and touches like any submission."""

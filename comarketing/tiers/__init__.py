"""Tiers partners earn (contract §11): criteria over the last 12 months, benefits (commission
rate, MDF share), evaluated by rule — promoted at once, demoted after a grace period."""

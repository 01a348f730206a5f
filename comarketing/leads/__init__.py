"""Leads (persons), their conversions and touchpoints, and who owns them."""

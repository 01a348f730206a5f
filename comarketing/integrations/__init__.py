"""Outbound delivery: CRM destinations and the transactional outbox."""

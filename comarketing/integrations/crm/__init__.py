"""Delivering leads to the vendor's CRM (Bitrix24, amoCRM) and to signed webhooks."""

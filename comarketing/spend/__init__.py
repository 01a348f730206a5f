"""Spend: money (RUB) spent on a campaign or a webinar, by the vendor or by a partner — one
row by form or API, or a whole CSV file; reports split a campaign's spend by cost shares."""

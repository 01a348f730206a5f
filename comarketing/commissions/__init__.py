"""Payments of clients and the partners' commissions on them."""

"""Shared building blocks: database base, money, time, auth, errors, outbound HTTP."""

"""Tracked links, the /r/<code> redirect and the clicks it records."""

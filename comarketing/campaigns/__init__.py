"""Co-funded campaigns, their partners' cost shares, and marketing spend."""

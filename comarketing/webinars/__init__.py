"""Joint webinars: co-hosts, registrations, attendance, calendar."""

"""Planning webinars, their e-mails and reading attendance files. Services flush; callers
commit. Registrations and attendance are lead intake: ``leads.services.registrations``."""

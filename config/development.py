"""Local development: SQLite in ``instance/``, a secret generated once, e-mail to the log."""

from config.base import BaseConfig


class DevelopmentConfig(BaseConfig):
    ENV = "development"

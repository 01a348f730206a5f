"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from comarketing.extensions import db


def test_migrations_match_models(app):
    context = MigrationContext.configure(
        db.session.connection(), opts={"compare_type": True, "compare_server_default": True}
    )
    assert compare_metadata(context, db.metadata) == []


def test_every_model_table_exists(app):
    tables = set(inspect(db.session.connection()).get_table_names())
    assert set(db.metadata.tables) <= tables


def test_constraints_follow_the_naming_convention(app):
    inspector = inspect(db.session.connection())
    for table in db.metadata.sorted_tables:
        for foreign_key in inspector.get_foreign_keys(table.name):
            assert foreign_key["name"].startswith(f"fk_{table.name}_"), foreign_key
        for unique in inspector.get_unique_constraints(table.name):
            assert unique["name"].startswith(f"uq_{table.name}_"), unique
        for index in inspector.get_indexes(table.name):
            if index.get("duplicates_constraint"):  # PostgreSQL's index behind a UNIQUE
                continue
            assert index["name"].startswith(f"ix_{table.name}_"), index

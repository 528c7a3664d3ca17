"""Alembic's environment: run with the connection the backend hands over (see bot/db/migrate.py).

``render_as_batch`` on SQLite: an ``op.alter_column`` / ``op.drop_constraint`` there becomes SQLite's
copy-and-rename table rebuild, keeping every row.
"""

from alembic import context

from bot.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `python -m bot db upgrade` (it opens the database for Alembic)")
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()

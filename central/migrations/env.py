"""Alembic environment of the server database.

Migrations run only through :class:`central.store.CentralStore`, which hands in its connection
(already inside a transaction that holds the migration lock) as
``config.attributes["connection"]``; the whole upgrade commits or rolls back as one transaction
(both SQLite and PostgreSQL have transactional DDL).
"""

from alembic import context
from sqlalchemy.engine import Connection

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("central migrations run through central.store.CentralStore")
context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()

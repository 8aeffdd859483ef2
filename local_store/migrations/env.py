"""Alembic environment of the record database.

Migrations run only through :class:`local_store.EventStore`, which hands in its connection
(already inside a ``BEGIN IMMEDIATE`` transaction) as ``config.attributes["connection"]``; the
whole upgrade then commits or rolls back as one transaction.
"""

from alembic import context
from sqlalchemy.engine import Connection

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError(
        "local_store migrations run through local_store.EventStore, which passes its connection"
    )
context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()

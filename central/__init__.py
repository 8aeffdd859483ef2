"""The central server: receives the stations' event logs, serves master data, serves QA.

A FastAPI service over one database (SQLite by default, PostgreSQL in production; see
``docs/server.md``). Stations push their hash-chained events (``/api/v1/events``); the server
re-checks each station's chain and stores events idempotently by (station, seq). Stations pull
master data (recipes, users, equipment, material lots) by version. QA reads batches, their review
by exception and the batch record. Nothing in the server keeps state outside the database, so
several server processes can run in front of one PostgreSQL.

This package may import ``local_store`` and the Qt-free parts of ``kiosk``; never Qt.
"""

__version__ = "0.1.0"

"""Persistence of the station: the append-only, hash-chained event log and its projections.

The system of record is an append-only event log in the station's SQLite database (see
``docs/architecture.md``, "The record"). This package imports nothing from ``kiosk`` or
``central`` and nothing from Qt.
"""

from local_store.errors import StoreError
from local_store.events import Event, canonical_json, event_hash
from local_store.projections import BatchSummary
from local_store.store import EventStore, StoreConflict, Unique
from local_store.verify import VerifyResult, verify_events

__all__ = [
    "BatchSummary",
    "Event",
    "EventStore",
    "StoreConflict",
    "StoreError",
    "Unique",
    "VerifyResult",
    "canonical_json",
    "event_hash",
    "verify_events",
]

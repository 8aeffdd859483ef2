"""``central dashboards refresh``: compute every batch's dashboard figures now (after an upgrade
or a bulk import), instead of 50 batches at each page view."""

import argparse
import time
from typing import Any, TextIO

from central import dashboards, qa
from central.store import CentralStore

EXIT_OK = 0


def cmd_dashboards(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    with store.read() as conn:
        _todo, before = dashboards.stale(conn, 0)
    started = time.perf_counter()
    left = dashboards.refresh(store, qa.RecipeCache(store), limit=None)
    took = time.perf_counter() - started
    print(
        f"dashboard figures of {before - left} batches computed in {took:.1f} s; "
        f"{left} still to compute",
        file=out,
    )
    return EXIT_OK


def register(sub: Any, db: argparse.ArgumentParser) -> None:
    """Add ``dashboards refresh`` to the ``central`` command."""
    dash = sub.add_parser("dashboards", help="the QA dashboards' figures")
    dash_sub = dash.add_subparsers(dest="dashboards_cmd", required=True)
    dash_sub.add_parser("refresh", parents=[db], help="compute every changed batch's figures now")
    dash.set_defaults(func=cmd_dashboards)

"""How long the server takes to accept one order as the order book grows, and to hand a page of
orders to a station (``central.orders`` on SQLite).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_orders.py [--orders N] [--dir DIR]

Every order is checked against every open order (order ID, DINs, CoI), read from the server's
chain: the figure to watch is the time of one ``orders.add`` after N orders.
"""

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from central import orders
from central.order_model import OrderIn
from central.store import CentralStore
from kiosk.identity import din_check_character
from tests.integration.conftest import publish_recipe

ROOT = Path(__file__).resolve().parents[1]


def order(i: int) -> OrderIn:
    din = f"A9999{26:02d}{i:06d}"
    return OrderIn.model_validate(
        {
            "order_id": f"ORD-{i:06d}",
            "patient_id": f"PSN-{i:06d}",
            "coi": f"CH{din}{din_check_character(din)}",
            "dins": [din + din_check_character(din)],
            "weight_kg": 70.0,
            "weight_entered_by": "nurse",
            "weight_witnessed_by": "doctor",
            "collection_time": "2026-11-26T10:00:00+01:00",
            "shipment": "frozen",
            "recipe": "car-t-autologous",
            "due": date(2026, 12, 20).isoformat(),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        store = CentralStore(str(Path(tmp) / "central.sqlite"))
        publish_recipe(store, ROOT / "recipes" / "car-t-autologous.yaml")
        start = time.perf_counter()
        orders.add_many(store, [order(i) for i in range(args.orders)], "bench")
        bulk = time.perf_counter() - start
        singles = []
        for i in range(args.orders, args.orders + 20):
            t = time.perf_counter()
            orders.add(store, order(i), "bench")
            singles.append(time.perf_counter() - t)
        t = time.perf_counter()
        items, _ = orders.page(store, 0, 1000)
        pull = time.perf_counter() - t
        store.close()
    print(f"orders in the book: {args.orders}")
    per = bulk / args.orders * 1e3
    print(f"bulk add (one file, one transaction): {bulk:.2f} s, {per:.2f} ms/order")
    print(f"one more order (median of 20): {statistics.median(singles) * 1e3:.1f} ms")
    print(f"pull page of {len(items)} order events: {pull * 1e3:.1f} ms")


if __name__ == "__main__":
    main()

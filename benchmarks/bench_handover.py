"""Hand-over benchmark: a batch of about 1,000 events moves from one station to the next.

The batch is real: the reference CAR-T recipe run through the engine up to QA release, its
history padded with corrections of a typed QC value until it holds ``--events`` events. It
is written by station A as a station connected to a server writes (no user or master-data
events), pushed to a real ``python -m central serve`` process on loopback (SQLite, FULL), and
then, timed:

1. release: A writes ``batch.handover`` and pushes it (the server records the release);
2. claim: station B signs "received", the server gives it the batch and sends its events, B
   checks and keeps them (``EventStore.import_foreign``) and writes ``batch.claimed``;
3. first action: B's engine rebuilds the batch from its history and records one action (a hold
   with a reason), fsynced.

Target: release to first action ≤ 2 s. Best and median of ``--repeats`` batches.

Usage: PYTHONPATH=. python benchmarks/bench_handover.py [--events N] [--repeats N]

Prints its figures and the machine; it asserts nothing about time.
"""

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_sync import machine, server
from central.stations import add_station
from central.store import CentralStore
from kiosk import handover
from kiosk.auth import Auth
from kiosk.clock import system_clock
from kiosk.engine import Engine
from kiosk.oq import run_script
from kiosk.recipe import load_recipe
from kiosk.sync import ServerUsers, SyncClient, SyncState, pull_master, push_pending
from local_store import EventStore
from tests.integration.conftest import server_managed_copy, server_user
from tests.unit.test_review import car_t_steps, write_script

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 2.0
STATION = "TEST-CART-1"
SIGNATURE = {
    "user": "rita",
    "name": "Rita Receiver",
    "ts": "2026-12-04T10:00:00.000Z",
    "meaning": "received",
    "signed": "a" * 64,
    "roles": ["operator"],
}


def build_batch(folder: Path, batch: str, n: int, events: int) -> Path:
    """A standalone station file holding ``batch`` (reference recipe, padded to ``events``)."""
    standalone = folder / f"standalone-{n}.sqlite"
    base = car_t_steps(batch, release=False, collection=f"65{n:04d}", order=f"ORD-BENCH-{n}")
    script = write_script(folder / f"{batch}.yaml", base)
    run_script(script, standalone, io.StringIO(), fast_hash=True)
    with EventStore(standalone, STATION) as store:
        have = sum(1 for _ in store.events(batch=batch))
    padding: list[dict[str, Any]] = [
        {
            "do": "correct",
            "step": "receipt.shipper_temp_frozen",
            "value": f"-16{i % 2}",
            "reason": "Logger re-read (benchmark padding)",
            "batch": batch,
        }
        for i in range(max(0, events - have - 1))
    ]
    if padding:
        more = write_script(
            folder / f"{batch}-more.yaml", [*base[:2], *padding], start="2026-12-04T12:00:00Z"
        )
        run_script(more, standalone, io.StringIO(), fast_hash=True)
    return standalone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in machine(None).items()))
    recipe = load_recipe(ROOT / "recipes" / "car-t-autologous.yaml")
    totals: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "central.sqlite"
        store = CentralStore(str(db))
        token_b = add_station(store, "ROOM-B")
        server_user(store, "olivia", "Olivia Okafor", ["operator"], "op-olivia-2026")
        with server(str(db), folder / "server.log") as url:
            for n in range(args.repeats):
                batch = f"B-HANDOVER-{n}"
                standalone = build_batch(folder, batch, n, args.events)
                a_db = folder / f"a-{n}.sqlite"
                token_a = add_station(store, f"ROOM-A-{n}")
                a = server_managed_copy(standalone, a_db, STATION, f"ROOM-A-{n}")
                count = sum(1 for _ in a.events(batch=batch))
                with SyncClient(url, token_a) as client_a:
                    push_pending(a, client_a, SyncState(SyncState.path_for(a_db)))
                    b_db = folder / f"b-{n}.sqlite"
                    b = EventStore(b_db, "ROOM-B")
                    b_state = SyncState(SyncState.path_for(b_db))
                    with SyncClient(url, token_b) as client_b:
                        pull_master(client_b, b_state)
                        auth = Auth(
                            b, system_clock, authority=ServerUsers(b_state, lambda: client_b)
                        )
                        engine = Engine(
                            b, auth, {recipe.recipe.id: recipe}, system_clock,
                            owner_of=lambda x, b=b: handover.local_owner(b, x),
                        )  # fmt: skip
                        session = auth.login("olivia", "op-olivia-2026")
                        started = time.perf_counter()
                        handover.release(a, batch, "olivia", "Olivia Okafor", None)
                        push_pending(a, client_a, SyncState(SyncState.path_for(a_db)))
                        released = time.perf_counter()
                        handover.claim(b, client_b, batch, SIGNATURE)
                        claimed = time.perf_counter()
                        engine.hold(session, batch, "benchmark: first action after the claim")
                        done = time.perf_counter()
                    b.close()
                a.close()
                total = done - started
                totals.append(total)
                print(
                    f"batch of {count} events: release {1000 * (released - started):.0f} ms, "
                    f"claim {1000 * (claimed - released):.0f} ms, first action "
                    f"{1000 * (done - claimed):.0f} ms; release to first action {total:.2f} s"
                )
        store.close()
    verdict = "met" if statistics.median(totals) <= TARGET_S else "NOT met"
    print(
        f"hand-over, {args.repeats} runs: median {statistics.median(totals):.2f} s, best "
        f"{min(totals):.2f} s — target <= {TARGET_S:g} s: {verdict}"
    )


if __name__ == "__main__":
    main()

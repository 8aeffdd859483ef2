"""Recipe lifecycle benchmark: what the lifecycle adds to a station's recipe pull, and what one
version costs from upload to effective.

On a SQLite server database (FULL) holding ``--versions`` versions of the training recipe,
each taken through the lifecycle (upload, submitted, reviewed, approved: effective), timed:

1. one version's lifecycle: upload and the three signatures (four password checks, argon2 at
   its default cost, and five events in the server's chain), median over the versions;
2. ``publish_due`` with nothing due, which every ``GET /api/v1/master/recipes`` now runs before
   the page: p50 / p99 over ``--calls`` calls;
3. ``master.page("recipes")`` itself, for comparison (p50 / p99);
4. the version page's reads (``recipes.history`` of the last version, a scan of the server's
   ``recipe.*`` events): p50 / p99.

Usage: PYTHONPATH=. python benchmarks/bench_recipes.py [--versions N] [--calls N]

Prints its figures and the machine; it asserts nothing about time.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_sync import machine
from central import master, recipes
from central.store import CentralStore
from tests.integration.conftest import server_user

ROOT = Path(__file__).resolve().parents[1]
TRAINING = (ROOT / "recipes" / "training.yaml").read_text(encoding="utf-8")


def text_of(version: int) -> bytes:
    return TRAINING.replace("\nversion: 1\n", f"\nversion: {version}\n").encode()


def timed(call: Callable[[], object], n: int) -> tuple[float, float]:
    """p50 and p99 of ``n`` calls, in milliseconds."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=50)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, CentralStore(str(Path(tmp) / "c.sqlite")) as store:
        server_user(store, "sam", "Samira Haddad", ["supervisor"], "sup-samira-2026")
        server_user(store, "quinn", "Quinn Marlowe", ["qa"], "qa-quinn-2026")
        lifecycle = []
        for v in range(1, args.versions + 1):
            start = time.perf_counter()
            recipes.upload(store, text_of(v), f"v{v}", author="ada", password="admin-ada-2026")
            recipes.submit(store, "training", v, signer="ada", password="admin-ada-2026")
            recipes.review(store, "training", v, signer="sam", password="sup-samira-2026")
            recipes.approve(store, "training", v, signer="quinn", password="qa-quinn-2026")
            lifecycle.append(time.perf_counter() - start)
        due = timed(lambda: recipes.publish_due(store), args.calls)
        page = timed(lambda: master.page(store, "recipes", 0), args.calls)
        history = timed(lambda: recipes.history(store, "training", args.versions), args.calls)
    print(f"versions taken to effective: {args.versions} (each retires the one before)")
    print(f"lifecycle of one version (upload + 3 signatures), median: "
          f"{statistics.median(lifecycle) * 1000:.0f} ms")  # fmt: skip
    print(f"publish_due, nothing due, p50 / p99: {due[0]:.2f} / {due[1]:.2f} ms")
    print(f"master.page('recipes'), p50 / p99: {page[0]:.2f} / {page[1]:.2f} ms")
    print(f"recipes.history of one version, p50 / p99: {history[0]:.2f} / {history[1]:.2f} ms")
    for key, value in machine(None).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()

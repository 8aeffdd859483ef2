"""Child process of test_crash.py: appends events until it is killed.

Usage: python crash_child.py DB_PATH STATION

Prints ``ready`` once the store is open, then, after each append call has returned (so the
events are committed), one line per committed seq. Every fourth round appends a group of three
events with append_many, so the parent can check that a group is never half written.
"""

import sys

from local_store import EventStore

NOTE = "viable cell count entered at the bench; " * 4  # a realistic ~300-byte payload


def main() -> None:
    path, station = sys.argv[1], sys.argv[2]
    out = sys.stdout
    with EventStore(path, station) as store:
        out.write("ready\n")
        out.flush()
        group = store.count()
        while True:
            group += 1
            size = 3 if group % 4 == 0 else 1
            items = [
                (
                    "step.recorded",
                    {"group": group, "part": k, "of": size, "value": 91.4, "note": NOTE},
                    "u:crash",
                    "B-CRASH",
                    None,
                )
                for k in range(size)
            ]
            events = store.append_many(items)
            out.write("".join(f"{e.seq}\n" for e in events))
            out.flush()


if __name__ == "__main__":
    main()

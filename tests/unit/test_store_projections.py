"""The batch summary fold: the same rows whatever order the stations' commits interleaved in."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from local_store.projections import BatchRow

# (station, seq, batch, ts, type, payload)
EventTuple = tuple[str, int, str, str, str, Any]

payload_of = {
    "batch.started": st.fixed_dictionaries(
        {"recipe_id": st.sampled_from(["r1", "r2"]), "recipe_version": st.integers(1, 3)}
    ),
    "batch.state": st.fixed_dictionaries({"state": st.sampled_from(["on_hold", "complete"])}),
    "step.recorded": st.just({"value": 1}),
}

event_body = st.sampled_from(sorted(payload_of)).flatmap(
    lambda t: st.tuples(
        st.sampled_from(["X", "Y"]),
        st.integers(0, 59).map(lambda m: f"2026-11-27T09:{m:02d}:00.000Z"),
        st.just(t),
        payload_of[t],
    )
)


@st.composite
def interleaved_logs(draw: st.DrawFn) -> tuple[list[EventTuple], list[EventTuple]]:
    """Each station's events in seq order, and one interleaving of them (a commit order)."""
    logs: dict[str, list[EventTuple]] = {}
    for station in draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, unique=True)):
        bodies = draw(st.lists(event_body, min_size=1, max_size=8))
        logs[station] = [(station, i + 1, *body) for i, body in enumerate(bodies)]
    by_station_seq = [e for station in sorted(logs) for e in logs[station]]
    queues = {station: list(events) for station, events in logs.items()}
    commit_order: list[EventTuple] = []
    while queues:
        station = draw(st.sampled_from(sorted(queues)))
        commit_order.append(queues[station].pop(0))
        if not queues[station]:
            del queues[station]
    return by_station_seq, commit_order


def fold(events: list[EventTuple]) -> dict[str, BatchRow]:
    rows: dict[str, BatchRow] = {}
    for station, _seq, batch, ts, type_, payload in events:
        row = rows.setdefault(batch, BatchRow.empty(batch, ts))
        row.apply(station, ts, type_, payload)
    return rows


@given(interleaved_logs())
def test_commit_order_does_not_change_the_rows(
    logs: tuple[list[EventTuple], list[EventTuple]],
) -> None:
    by_station_seq, commit_order = logs
    assert fold(commit_order) == fold(by_station_seq)


def test_last_status_in_station_seq_order_wins() -> None:
    events: list[EventTuple] = [
        ("B", 1, "X", "2026-11-27T09:00:00.000Z", "batch.state", {"state": "complete"}),
        ("A", 1, "X", "2026-11-27T09:05:00.000Z", "batch.state", {"state": "on_hold"}),
    ]
    row = fold(events)["X"]
    assert (row.status, row.status_station) == ("complete", "B")
    assert (row.first_ts, row.last_ts, row.events) == (
        "2026-11-27T09:00:00.000Z",
        "2026-11-27T09:05:00.000Z",
        2,
    )


def test_row_round_trips_through_its_mapping() -> None:
    row = BatchRow.empty("X", "2026-11-27T09:00:00.000Z")
    row.apply(
        "A", "2026-11-27T09:01:00.000Z", "batch.started", {"recipe_id": "r", "recipe_version": 2}
    )
    assert BatchRow.from_mapping(row.as_dict()) == row
    assert row.summary().recipe_version == 2

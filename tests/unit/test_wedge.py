"""Keyboard-wedge detection with synthetic key timings (no Qt)."""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices.wedge import WedgeDetector, WedgeEvent

DIN = "=G12341765432170"


def type_keys(
    detector: WedgeDetector, text: str, start_ms: float, gap_ms: float
) -> tuple[list[WedgeEvent], float]:
    """Feed `text` one key every `gap_ms`; (events, time of the last key)."""
    events: list[WedgeEvent] = []
    now = start_ms
    for index, char in enumerate(text):
        now = start_ms + index * gap_ms
        events += detector.feed(char, now)
    return events, now


def run(detector: WedgeDetector, keys: Iterable[tuple[str, float]]) -> list[WedgeEvent]:
    events: list[WedgeEvent] = []
    last = 0.0
    for char, now in keys:
        events += detector.feed(char, now)
        last = now
    return events + detector.flush(last + 10_000)


def scanner(text: str, start: float, gap: float = 4) -> list[tuple[str, float]]:
    return [(c, start + i * gap) for i, c in enumerate(text)]


def person(text: str, start: float, gap: float = 180) -> list[tuple[str, float]]:
    return [(c, start + i * gap) for i, c in enumerate(text)]


# ---------------------------------------------------------------- timing mode


def test_a_fast_burst_is_a_scan_and_slow_keys_are_typing() -> None:
    events = run(WedgeDetector(), [*person("ab", 0), *scanner(DIN, 1000), *person("cd", 2000)])
    assert events == [
        WedgeEvent("typed", "a"),
        WedgeEvent("typed", "b"),
        WedgeEvent("scan", DIN),
        WedgeEvent("typed", "c"),
        WedgeEvent("typed", "d"),
    ]


def test_enter_at_the_end_of_a_burst_completes_the_scan_at_once() -> None:
    detector = WedgeDetector()
    events, _ = type_keys(detector, DIN + "\r", 0, 5)
    assert events == [WedgeEvent("scan", DIN)]
    assert not detector.pending


def test_a_short_fast_burst_is_typing() -> None:
    events = run(WedgeDetector(min_length=6), scanner("abc", 0))
    assert events == [WedgeEvent("typed", "abc")]


def test_keys_are_held_until_flush_says_the_burst_is_over() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    events, last = type_keys(detector, DIN, 0, 5)
    assert events == []
    assert detector.pending
    assert detector.flush(last + 10) == []  # the scanner may still be typing
    assert detector.flush(last + 31) == [WedgeEvent("scan", DIN)]
    assert not detector.pending
    assert detector.flush(last + 100) == []


def test_a_burst_slower_than_max_gap_is_typing() -> None:
    events = run(WedgeDetector(max_gap_ms=30), scanner(DIN, 0, gap=45))
    assert "".join(e.text for e in events) == DIN
    assert {e.kind for e in events} == {"typed"}


def test_a_timestamp_going_backwards_counts_as_a_pause() -> None:
    detector = WedgeDetector()
    events = detector.feed("a", 1000) + detector.feed("b", 10)
    assert events == [WedgeEvent("typed", "a")]
    assert detector.flush(5) == [WedgeEvent("typed", "b")]


def test_modifier_keys_without_text_and_multi_character_text() -> None:
    detector = WedgeDetector()
    assert detector.feed("", 0) == []
    assert detector.feed(DIN[:8], 0) + detector.feed(DIN[8:], 3) == []
    assert detector.flush(100) == [WedgeEvent("scan", DIN)]


# ---------------------------------------------------------------- suffix mode


def test_suffix_mode_needs_the_suffix_after_a_fast_burst() -> None:
    detector = WedgeDetector(suffix="\r")
    events = run(detector, [*scanner(DIN + "\r", 0), *scanner("HELLO-THERE", 1000)])
    assert events[0] == WedgeEvent("scan", DIN)
    assert [(e.kind, e.text) for e in events[1:]] == [("ignored", "HELLO-THERE")]
    assert "no Enter came within 30 ms" in events[1].reason


def test_suffix_mode_a_person_pressing_enter_is_typing() -> None:
    events = run(WedgeDetector(suffix="\r"), person("ok\r", 0))
    assert events == [WedgeEvent("typed", "o"), WedgeEvent("typed", "k"), WedgeEvent("typed", "\r")]


# ---------------------------------------------------------------- prefix mode


def test_prefix_and_suffix_frame_a_scan_and_are_removed() -> None:
    detector = WedgeDetector(prefix="\x02", suffix="\x03")
    events = run(detector, [*person("x", 0), *scanner("\x02" + DIN + "\x03", 1000)])
    assert events == [WedgeEvent("typed", "x"), WedgeEvent("scan", DIN)]


def test_a_multi_character_prefix_that_breaks_off_is_given_back_as_typing() -> None:
    detector = WedgeDetector(prefix="#S#", suffix="\r")
    events = run(detector, scanner("#Sx", 0))
    assert "".join(e.text for e in events) == "#Sx"
    assert {e.kind for e in events} == {"typed"}


def test_overlapping_prefix_start_is_found() -> None:
    detector = WedgeDetector(prefix="##S", suffix="\r")
    events = run(detector, scanner("###S" + DIN + "\r", 0))
    assert events == [WedgeEvent("typed", "#"), WedgeEvent("scan", DIN)]


def test_prefix_without_suffix_ends_when_the_keys_stop() -> None:
    detector = WedgeDetector(prefix="\x02")
    events, last = type_keys(detector, "\x02" + DIN, 0, 4)
    assert events == []
    assert detector.flush(last + 100) == [WedgeEvent("scan", DIN)]


def test_a_scan_whose_suffix_never_comes_is_broken() -> None:
    detector = WedgeDetector(prefix="\x02", suffix="\x03", stall_ms=500)
    events, last = type_keys(detector, "\x02" + DIN[:9], 0, 4)
    assert events == []
    assert detector.flush(last + 100) == []  # within stall_ms: keep waiting
    assert detector.flush(last + 600) == [WedgeEvent("broken", DIN[:9])]


def test_a_person_typing_the_prefix_character_gets_it_back() -> None:
    detector = WedgeDetector(prefix="#", suffix="\r")
    events = run(detector, person("#1", 0))
    assert "".join(e.text for e in events) == "#1"
    assert {e.kind for e in events} == {"typed"}
    detector = WedgeDetector(prefix="#", suffix="\r")
    assert detector.feed("#", 0) == []
    assert detector.flush(500) == [WedgeEvent("typed", "#")]


def test_a_new_scan_after_a_broken_one() -> None:
    detector = WedgeDetector(prefix="\x02", suffix="\x03", stall_ms=200)
    keys = [*scanner("\x02" + DIN[:5], 0), *scanner("\x02" + DIN + "\x03", 1000)]
    assert run(detector, keys) == [WedgeEvent("broken", DIN[:5]), WedgeEvent("scan", DIN)]


# ---------------------------------------------------------------- properties

keys = st.lists(
    st.tuples(
        st.sampled_from(["a", "Z", "0", "=", "#", "\x02", "\x03", "\r", "\n", "\t", "", "ab"]),
        st.floats(min_value=-100, max_value=400, allow_nan=False),
    ),
    max_size=60,
)


@given(
    keys=keys,
    prefix=st.sampled_from([None, "", "#", "\x02", "##S"]),
    suffix=st.sampled_from([None, "", "\r", "\x03", "\r\n"]),
    max_gap=st.floats(min_value=0, max_value=100, allow_nan=False),
    min_length=st.integers(min_value=-1, max_value=10),
)
def test_never_raises_and_every_event_has_text_or_is_broken(
    keys: list[tuple[str, float]],
    prefix: str | None,
    suffix: str | None,
    max_gap: float,
    min_length: int,
) -> None:
    detector = WedgeDetector(prefix, suffix, max_gap, min_length)
    now, events = 0.0, []
    for char, step in keys:
        now += step  # steps may be negative: clocks are not always kind
        events += detector.feed(char, now)
        events += detector.flush(now + step / 2)
    events += detector.flush(now + 100_000)
    assert not detector.pending
    for event in events:
        assert event.kind in ("scan", "typed", "broken", "ignored")
        assert event.text or event.kind in ("broken", "scan")
        assert bool(event.reason) == (event.kind == "ignored")


@given(
    text=st.text(alphabet="abcXYZ019=<&%", max_size=40),
    gaps=st.lists(st.floats(min_value=0, max_value=200, allow_nan=False), max_size=40),
)
def test_timing_mode_loses_and_invents_no_character(text: str, gaps: list[float]) -> None:
    detector = WedgeDetector(max_gap_ms=30, min_length=6)
    now, events = 0.0, []
    for index, char in enumerate(text):
        now += gaps[index] if index < len(gaps) else 5
        events += detector.feed(char, now)
    events += detector.flush(now + 1000)
    assert "".join(e.text for e in events) == text
    assert all(len(e.text) >= 6 for e in events if e.kind == "scan")


# ---------------------------------------------------------------- issue 15: real scanner speeds


def test_scanner_speeds_of_2_to_20_ms_are_scans_with_the_station_defaults() -> None:
    from kiosk.config import Wedge
    from kiosk.screens.wedge_filter import make_detector

    for gap in (2, 5, 10, 20):
        events = run(make_detector(Wedge()), scanner(DIN + "\r", 1000, gap))
        assert events == [WedgeEvent("scan", DIN)], gap


def test_the_inter_key_threshold_is_a_setting() -> None:
    slow_scanner = scanner(DIN + "\r", 1000, 35)
    assert run(WedgeDetector(suffix="\r", max_gap_ms=40), slow_scanner) == [WedgeEvent("scan", DIN)]
    events = run(WedgeDetector(suffix="\r", max_gap_ms=30), slow_scanner)
    assert {e.kind for e in events} == {"typed"}  # 35 ms apart: a person's, at a 30 ms limit


def test_a_burst_without_the_terminator_is_ignored_with_the_reason() -> None:
    (event,) = run(WedgeDetector(suffix="\r", max_gap_ms=40), scanner(DIN, 1000, 5))
    assert event.kind == "ignored"
    assert event.text == DIN
    assert event.reason.startswith("16 keys came fast but no Enter came within 40 ms")
    assert "wedge.terminator" in event.reason


def test_a_burst_without_the_prefix_is_ignored_with_the_reason() -> None:
    detector = WedgeDetector(prefix="#", suffix="\r")
    events = run(detector, [*scanner(DIN + "\r", 0, 5), *scanner("#" + DIN + "\r", 1000, 5)])
    ignored = [e for e in events if e.kind == "ignored"]
    assert [e.text for e in ignored] == [DIN + "\r"]
    assert "did not start with the prefix '#'" in ignored[0].reason
    assert events[-1] == WedgeEvent("scan", DIN)


def test_a_person_typing_a_scan_length_text_slowly_is_typing_not_an_ignored_burst() -> None:
    events = run(WedgeDetector(suffix="\r"), person(DIN + "\r", 0, 120))
    assert {e.kind for e in events} == {"typed"}

"""QA's portal decisions and the LIMS's QC results, taken in while the station runs.

After every pull of the sync worker (``Bridge.pulled``) the station asks the server for its own
events of each batch it holds after the last one held here, off the UI thread, and takes in on
the UI thread what is new: QC results through the engine (``kiosk.results``: checked against the
step's specification, never twice) and the server's own events (``kiosk.qa_pull``: dispositions,
releases, deviations, each hash and link checked). The operator sees a line for each; the batch
on the screen shows it at once. One fetch at a time; a server that does not answer is tried
again at the next pull."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.qa_pull import held_batches, take_qa
from kiosk.results import fetch_histories, server_seen, take_results
from kiosk.screens.i18n import tr
from kiosk.screens.station import Station
from kiosk.screens.tasks import run_task

log = logging.getLogger(__name__)


class ServerDecisions:
    """Fetch the held batches' histories after a pull; take in results and QA decisions."""

    def __init__(self, station: Station, on_taken: Callable[[list[str]], None]) -> None:
        self.station = station
        self.on_taken = on_taken  # the batches that changed
        self.busy = False

    def fetch(self) -> None:
        server = self.station.s.server
        if server is None or self.busy:
            return
        engine = self.station.s.engine
        batches = held_batches(engine)
        if not batches:
            return
        after = server_seen(engine.store, batches)
        self.busy = True

        def work() -> Any:
            with server() as client:
                return fetch_histories(client, batches, after)

        run_task(work, self._fetched, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        log.debug("QA decisions and QC results not fetched: %s", exc)

    def _fetched(self, found: Any) -> None:
        self.busy = False
        histories, unreachable = found
        for line in unreachable:
            log.debug("QA decisions and QC results not fetched for %s", line)
        engine = self.station.s.engine
        feedback = self.station.s.feedback
        if engine.store.closed:  # the kiosk closed while the answer was on its way
            return
        try:
            results = take_results(engine, histories)
            decisions = take_qa(engine, histories)
        except Exception as exc:  # the station goes on; the failure is said
            log.exception("server decisions not taken in")
            feedback.refuse(tr("QA decisions not taken in: {v0}").format(v0=exc))
            return
        changed = sorted({line.split(" ", 1)[0] for line in results.applied} | set(decisions.taken))
        for line in results.applied:
            batch, _, test = line.partition(" ")
            feedback.info(
                tr("QC result {test} taken in for batch {batch}").format(test=test, batch=batch)
            )
        for batch in decisions.taken:
            feedback.info(
                tr("QA decisions from the portal taken in for batch {batch}").format(batch=batch)
            )
        for line in results.refused + decisions.unreachable:
            log.warning("not taken in: %s", line)
        if changed:
            self.on_taken(changed)

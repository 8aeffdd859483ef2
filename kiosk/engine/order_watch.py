"""A change of an order at the server reaches the batches started from it (authority map:
the server is the source of truth for orders).

When the station has pulled a revision or a cancellation of an order that a batch here started
from, :meth:`OrderWatch.apply_order_changes` records a blocking ``order`` exception on that batch
(the batch is held until a supervisor acknowledges it), once per revision.
"""

from __future__ import annotations

from kiosk.batch import ABORTED, COMPLETED, ON_HOLD, RELEASED
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Item
from kiosk.entries import ActionRefused
from kiosk.text import Text


class OrderWatch(Flow):
    def apply_order_changes(self) -> list[str]:
        """Record an exception on every batch here whose order changed; returns what was done."""
        orders = self.order_source()
        done: list[str] = []
        for summary in self.store.batches():
            try:
                state = self.batch(summary.batch)
            except ActionRefused:
                continue  # its recipe is not loaded here: nothing to check against
            done_with = state.state in (ABORTED, RELEASED)
            if state.order is None or done_with or self.read_only(state.id):
                continue
            order = orders.get(str(state.order.get("order_id")))
            if order is None or order.revision <= int(state.order.get("revision", 1)):
                continue
            seen = {
                x.values.get("revision")
                for x in state.exceptions.values()
                if x.category == "order" and x.values.get("order_id") == order.order_id
            }
            if order.revision in seen:
                continue
            what = "cancelled" if order.status == "cancelled" else f"revised (r{order.revision})"
            message = Text(
                "order {order_id} was {what} at the server after this batch started: {reason}",
                order_id=order.order_id,
                what=what,
                reason=order.reason or "no reason given",
            )
            values = {
                "order_id": order.order_id,
                "revision": order.revision,
                "status": order.status,
                "reason": order.reason,
                "order": dict(order.data),
            }
            exc = self._exception("order", "critical", True, None, message, values)
            items: list[Item] = [("exception.raised", exc, "system", None)]
            if state.state not in (ON_HOLD, COMPLETED):
                items.append(("batch.state", {"state": ON_HOLD}, "system", None))
            self._commit(state, items)
            done.append(f"{state.id}: {message}")
        return done

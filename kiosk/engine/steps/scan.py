"""Scan steps: ISBT 128 DIN and CoI labels, GS1 material labels, plain codes.

A scan can bind the batch's identity (DIN, CoI) or must match it; a wrong bag
is refused and puts the batch on hold with an identity exception. A material
lot must be of the material the step names (its `material_code`), released, in
date, and have enough left for what the step consumes; its use is a
`material.used` event carrying the quantity taken. A kit ID scanned at a
material step stands for the kit's lot of the step's material.

A DIN, a CoI or a material label typed by hand (``keyed``, where the scan failed) is checked
as a read is (the check character of a DIN or CoI, the GTIN's check digit) and needs a
supervisor's signature with a reason: a ``manual_entry`` exception for review. A label check
(``match: label``) reads the printed product label: it must carry the batch's DIN and CoI, and
cannot be typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.auth import Session, Signature
from kiosk.batch import ON_HOLD, BatchState
from kiosk.engine.flow import Flow
from kiosk.engine.inputs import Credentials, Item
from kiosk.engine.registry import StepKind, register
from kiosk.entries import ActionRefused
from kiosk.identity import (
    CoiId,
    Din,
    LabelError,
    parse_coi_keyboard,
    parse_din_keyboard,
    parse_gs1,
    parse_gs1_keyboard,
    parse_label,
)
from kiosk.orders import mismatch
from kiosk.recipe import ScanStep
from kiosk.text import Text, message_of
from kiosk.units import Quantity

register(StepKind("scan", Text("a scan")))

# What may be typed by hand where a scan failed: (what is typed, what its value is), in words.
TYPED = {
    "isbt128.din": ("a DIN", "DIN"),
    "isbt128.coi": ("a CoI", "CoI"),
    "gs1.material": ("a material label", "lot"),
}


class ScanSteps(Flow):
    def scan(
        self,
        session: Session,
        batch_id: str,
        text: str,
        *,
        step: str | None = None,
        keyed: bool = False,
        override: Credentials | None = None,
        reason: str | None = None,
    ) -> None:
        """A barcode read, or (keyed=True) a DIN or CoI typed with its check character or a
        material label typed as the text under its barcode, with a supervisor's ``override``
        and a ``reason``."""
        state = self._guard(session, batch_id, step)
        current = self._current(state, ScanStep, Text("a scan"))
        key = state.step_key
        extra: list[Item] = []
        excs: list[dict[str, Any]] = []
        sigs: list[Signature] = []
        wrong_what = Text("wrong label") if current.match == "label" else Text("wrong bag")
        if keyed and current.match == "label":
            raise ActionRefused(
                Text(
                    "the label check reads the printed label: scan it (typing cannot check the"
                    " label's DIN and CoI)"
                )
            )
        try:
            if current.expect == "isbt128.din":
                label = None if keyed else parse_label(text)
                found = parse_din_keyboard(text) if label is None else label.find(Din)
                if found is None and current.match == "label":
                    raise self._label_unread(state, session, key, text, "DIN", state.din, {})
                if found is None:
                    raise LabelError(
                        Text("this label has no DIN — scan the DIN barcode on the bag")
                    )
                din = found
                value: Any = din.din
                payload: dict[str, Any] = {"value": din.din, "flags": din.flags, "keyed": keyed}
                identity = ("din", din.din)
                coi_on_label = label.find(CoiId) if label is not None else None
                if current.match == "label" and coi_on_label is None:
                    also = {"din": din.din}
                    raise self._label_unread(state, session, key, text, "CoI", state.coi, also)
                if coi_on_label is not None:
                    payload["coi"] = coi_on_label.coi
                    bound_coi = state.coi
                    if (
                        current.match in ("din", "label")
                        and bound_coi
                        and coi_on_label.coi != bound_coi
                    ):
                        msg = Text(
                            "{wrong_what}: scanned CoI {coi}, this batch is CoI {bound_coi}",
                            wrong_what=wrong_what,
                            coi=coi_on_label.coi,
                            bound_coi=bound_coi,
                        )
                        raise self._refuse_with_exception(
                            state,
                            session,
                            key,
                            "identity",
                            msg,
                            {"scanned": coi_on_label.coi, "expected": bound_coi},
                            blocking=True,
                        )
                    wrong = mismatch(state.order, "coi", coi_on_label.coi)
                    if current.binds == "din" and wrong:
                        raise self._refuse_with_exception(
                            state,
                            session,
                            key,
                            "identity",
                            wrong,
                            {"scanned": coi_on_label.coi, "order": state.order},
                            blocking=True,
                        )
                    if current.binds == "din" and not bound_coi:
                        extra.append(
                            (
                                "identity.bound",
                                {"coi": coi_on_label.coi, "step": key},
                                session.actor,
                                None,
                            )
                        )
            elif current.expect == "isbt128.coi":
                coi = parse_coi_keyboard(text) if keyed else parse_label(text).find(CoiId)
                if coi is None:
                    raise LabelError(
                        Text("this label has no chain-of-identity code — scan the CoI")
                    )
                value = coi.coi
                payload = {"value": coi.coi, "keyed": keyed}
                identity = ("coi", coi.coi)
            elif current.expect == "gs1.material":
                value, payload, used = self._material(state, session, key, current, text, keyed)
                identity = ("", "")
                extra.append(("material.used", used, session.actor, None))
            else:
                value = text.strip()
                if not value:
                    raise LabelError(Text("nothing was read — scan again"))
                payload = {"value": value}
                identity = ("", "")
        except LabelError as exc:
            raise ActionRefused(message_of(exc)) from exc
        if keyed and current.expect in TYPED:
            sig, exc_typed = self._typed(session, state, current, value, override, reason)
            sigs.append(sig)
            excs.append(exc_typed)
            payload["reason"] = reason
        kind, ident = identity
        matched = "din" if current.match == "label" else current.match
        if matched and kind == matched:
            bound = state.din if kind == "din" else state.coi
            if bound != ident:
                what = kind.upper()
                msg = Text(
                    "{wrong_what}: scanned {what} {ident}, this batch is {what} {bound}",
                    wrong_what=wrong_what,
                    what=what,
                    ident=ident,
                    bound=bound,
                )
                raise self._refuse_with_exception(
                    state,
                    session,
                    key,
                    "identity",
                    msg,
                    {"scanned": ident, "expected": bound},
                    blocking=True,
                )
        if current.binds and kind == current.binds:
            wrong = mismatch(state.order, kind, ident)
            if wrong:
                raise self._refuse_with_exception(
                    state,
                    session,
                    key,
                    "identity",
                    wrong,
                    {"scanned": ident, "order": state.order},
                    blocking=True,
                )
            other = self.bound_elsewhere(kind, ident) if kind == "din" else None
            if other is not None and other != state.id:
                msg = Text(
                    "this bag (DIN {ident}) belongs to batch {other} already: a second batch on"
                    " the same collection is refused",
                    ident=ident,
                    other=other,
                )
                raise self._refuse_with_exception(
                    state,
                    session,
                    key,
                    "identity",
                    msg,
                    {"scanned": ident, "other_batch": other},
                    blocking=True,
                )
            extra.append(("identity.bound", {kind: ident, "step": key}, session.actor, None))
        payload.update({"expect": current.expect})
        payload["value"] = value
        self._finish(state, session, payload, exceptions=excs, extra=extra, signatures=sigs)

    def _typed(
        self,
        session: Session,
        state: BatchState,
        current: ScanStep,
        value: str,
        override: Credentials | None,
        reason: str | None,
    ) -> tuple[Signature, dict[str, Any]]:
        """A code typed where the scan failed: the supervisor's signature and the exception."""
        what, noun = TYPED[current.expect]
        if override is None:
            raise ActionRefused(
                Text(
                    "{what} typed by hand needs a supervisor's signature with a reason (the scan"
                    " failed)",
                    what=what,
                )
            )
        sig = self._override(session, state, override, reason, {"typed": value})
        label = current.title or current.id
        exc = self._exception(
            "manual_entry",
            "major",
            False,
            state.step_key,
            Text(
                "{label}: {noun} {value} typed by hand, not scanned ({reason})",
                label=label,
                noun=noun,
                value=value,
                reason=reason,
            ),
            {"value": value, "override_by": sig.user, "reason": reason},
        )
        return sig, exc

    def _material(
        self,
        state: BatchState,
        session: Session,
        key: str | None,
        current: ScanStep,
        text: str,
        keyed: bool = False,
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        """A material label, or a kit ID standing for its lot of the step's material: checked
        (material, status, expiry, quantity left); (value, scan payload, material.used)."""
        needs = current.material_code or ""
        kit_id = text.strip()
        payload: dict[str, Any] = {}
        gtin: str | None
        serial: str | None
        if kit_id in self.masterdata.kits:
            found, problem = self.masterdata.kit_lot(kit_id, needs)
            if found is None:
                msg = Text("{problem} — do not use it", problem=problem)
                raise self._refuse_with_exception(
                    state, session, key, "resource", msg, {"kit": kit_id, "needs": needs}
                )
            gtin, lot, expiry, serial = found.gtin, found.lot, found.expiry, None
            payload["kit"] = kit_id
        else:
            gs1 = parse_gs1_keyboard(text) if keyed else parse_gs1(text)
            if not gs1.lot or not gs1.expiry:
                raise LabelError(Text("material label has no lot or no expiry — scan the GS1 code"))
            gtin, lot, expiry, serial = gs1.gtin, gs1.lot, gs1.expiry, gs1.serial
        payload.update(
            value=lot,
            gtin=gtin,
            lot=lot,
            expiry=expiry.isoformat(),
            serial=serial,
            material=current.material,
            keyed=keyed,
        )
        amount = (
            None
            if current.consume is None
            else Quantity.of(current.consume.amount, current.consume.unit)
        )
        problem, taken = self.masterdata.use_problem(gtin, lot, expiry, needs, amount)
        if problem:
            msg = Text("{problem} — do not use it", problem=problem)
            raise self._refuse_with_exception(
                state,
                session,
                key,
                "resource",
                msg,
                {"lot": lot, "expiry": expiry.isoformat(), "needs": needs},
            )
        record = self.masterdata.lots[(gtin or "", lot)]
        used: dict[str, Any] = {
            "step": key,
            "material": self.masterdata.material_name(record.material),
            "material_code": record.material,
            "role": current.material,
            "gtin": gtin,
            "lot": lot,
            "expiry": expiry.isoformat(),
        }
        if "kit" in payload:
            used["kit"] = payload["kit"]
        if taken is not None:
            used.update(quantity=taken, unit=record.unit)
        payload["material_code"] = record.material
        return lot, payload, used

    def _label_unread(
        self,
        state: BatchState,
        session: Session,
        key: str | None,
        text: str,
        what: str,
        expected: str | None,
        extra: dict[str, Any],
    ) -> ActionRefused:
        """The label check read no DIN or no CoI: refused as an identity exception, held."""
        msg = Text(
            "label refused: no {what} read, this batch is {what} {expected} — scan the label's"
            " Data Matrix (DIN and CoI), or reprint the label",
            what=what,
            expected=expected,
        )
        values = {"scanned": text.strip(), "expected": expected, **extra}
        return self._refuse_with_exception(
            state, session, key, "identity", msg, values, blocking=True
        )

    def _refuse_with_exception(
        self,
        state: BatchState,
        session: Session,
        step: str | None,
        category: str,
        message: Text | str,
        values: Mapping[str, Any],
        *,
        blocking: bool = False,
    ) -> ActionRefused:
        """Record a refused scan with its exception (and the hold it causes); the error to raise."""
        exc = self._exception(
            category, "critical" if blocking else "major", blocking, step, message, values
        )
        items: list[Item] = [
            (
                "action.refused",
                {"action": "scan", "step": step, "reason": str(message)},
                session.actor,
                None,
            ),
            ("exception.raised", exc, session.actor, None),
        ]
        if blocking:
            items.append(("batch.state", {"state": ON_HOLD}, "system", None))
        self._commit(state, items)
        return ActionRefused(message)

"""Dialogs behind a small service, so tests never block on a modal (Picard's pattern).

Screens ask `Prompts` for a signature, a witness, an acknowledgement, an
override, a correction, a comment or a yes/no. `PromptsBase` decides what each
dialog asks (its slots and what it shows: for a signature the printed name of
the signer once the ID is typed, the meaning, and what is signed — 21 CFR
11.50) and turns the answers into engine inputs. Where the answers come from
is the only difference between implementations: `DialogPrompts` shows a
full-window `FormDialog`; `ScriptedPrompts` takes them from a queue in tests.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtWidgets import QDialog, QWidget

from kiosk.engine import Credentials
from kiosk.screens.config import Metrics
from kiosk.screens.display import local_time
from kiosk.screens.form import Form, FormDialog, Slot
from kiosk.screens.i18n import tr

ACK_REASONS = (
    "Investigated: no impact",
    "Corrected on the spot",
    "Deviation opened",
)
DECISIONS = ("reviewed", "accepted", "deviation")


@dataclass(frozen=True)
class SignRequest:
    """What a signature dialog shows: the manifestation of 21 CFR 11.50 before signing."""

    meaning: str  # verified, witnessed, approved, acknowledged, reviewed, released
    what: str  # what is signed: the step title
    value: str = ""  # the value signed, as shown
    who: str = ""  # who may sign: "a supervisor", "a different person from Olivia Okafor"
    batch: str = ""
    identifiers: Mapping[str, str] = field(default_factory=dict)
    title: str = "Signature"
    not_by: str = ""  # the user ID that may not sign (who performed the step)


@dataclass(frozen=True)
class ValueSpec:
    """A value to type: its kind, unit and allowed range as shown to the operator."""

    label: str
    kind: str = "number"  # number | text
    unit: str | None = None
    hint: str = ""
    decimal: bool = True
    negative: bool = True


@dataclass(frozen=True)
class Override:
    credentials: Credentials
    reason: str
    value: str | None = None


@dataclass(frozen=True)
class Disposition:
    decision: str
    reason: str
    reference: str | None
    credentials: Credentials


class Prompts(Protocol):
    """What screens may ask a person; None (or False) means they cancelled."""

    def sign(self, request: SignRequest) -> Credentials | None: ...

    def witness(self, request: SignRequest) -> Credentials | None: ...

    def acknowledge(self, message: str, request: SignRequest) -> tuple[Credentials, str] | None: ...

    def override(self, request: SignRequest, value: ValueSpec | None) -> Override | None: ...

    def correction(self, what: str, old: str, value: ValueSpec) -> tuple[str, str] | None: ...

    def disposition(self, message: str, request: SignRequest) -> Disposition | None: ...

    def text(self, title: str, spec: ValueSpec, *, lines: Sequence[str] = ()) -> str | None: ...

    def confirm(self, title: str, text: str, *, ok: str = "Yes") -> bool: ...

    def form(
        self, kind: str, title: str, lines: Sequence[str], slots: Sequence[Slot]
    ) -> dict[str, str] | None: ...


class PromptsBase:
    """The dialogs' contents; subclasses say where the answers come from (`_ask`)."""

    def __init__(
        self,
        lookup: Callable[[str], str | None],
        clock: Callable[[], datetime],
    ) -> None:
        self.lookup = lookup  # user ID -> printed name (None: unknown)
        self.clock = clock

    # ------------------------------------------------------------ for subclasses

    def _ask(
        self,
        kind: str,
        title: str,
        lines: Sequence[str],
        slots: Sequence[Slot],
        *,
        ok: str = "OK",
        context: Sequence[str] = (),
    ) -> dict[str, str] | None:
        """`context`: what is signed, shown beside the keys while credentials are typed."""
        raise NotImplementedError

    # ------------------------------------------------------------ building blocks

    def _name(self, user_id: str) -> str:
        name = self.lookup(user_id.strip())
        return name if name else tr("unknown user ID")

    def _signer_slots(self, not_by: str = "") -> list[Slot]:
        def check(user_id: str) -> str | None:
            if not_by and user_id.strip() == not_by:
                return tr("{name} performed this step: a different person must sign").format(
                    name=self._name(not_by)
                )
            return None

        return [
            Slot("user", tr("User ID"), describe=self._name, check=check),
            Slot("password", tr("Password"), kind="secret"),
        ]

    def _manifest(self, r: SignRequest) -> list[str]:
        lines = [
            tr("Meaning: {meaning}").format(meaning=tr(r.meaning)),
            tr("Signs: {what}").format(what=r.what) + (f" = {r.value}" if r.value else ""),
        ]
        ids = " · ".join(f"{k} {v}" for k, v in r.identifiers.items())
        if r.batch or ids:
            batch = tr("Batch {batch}").format(batch=r.batch) if r.batch else ""
            lines.append(" · ".join(t for t in (batch, ids) if t))
        when = local_time(self.clock().isoformat())
        lines.append(
            tr(
                "Signed by: {who} — printed name, date and time ({when}) are recorded with"
                " the signature"
            ).format(who=r.who or tr("the signer"), when=when)
        )
        return lines

    @staticmethod
    def _context(r: SignRequest, message: str = "") -> list[str]:
        """The strip beside the typed text while a signer types: the exception, else what is
        signed and its value (a line of its own: a long title gives way, never the value),
        then the meaning of the signature."""
        meaning = tr("Meaning: {meaning}").format(meaning=tr(r.meaning))
        if message:
            return [message, meaning]
        signs = tr("Signs: {what}").format(what=r.what)
        value = [tr("Value: {value}").format(value=r.value)] if r.value else []
        return [signs, *value, meaning]

    @staticmethod
    def _creds(values: Mapping[str, str]) -> Credentials:
        return Credentials(values["user"].strip() or None, values["password"])

    def _value_slot(self, name: str, spec: ValueSpec, initial: str = "") -> Slot:
        unit = f" ({spec.unit})" if spec.unit else ""
        return Slot(
            name,
            spec.label + unit,
            kind="number" if spec.kind == "number" else "text",
            hint=spec.hint,
            decimal=spec.decimal,
            negative=spec.negative,
            initial=initial,
        )

    # ------------------------------------------------------------ the dialogs

    def sign(self, request: SignRequest) -> Credentials | None:
        values = self._ask(
            "signature",
            request.title,
            self._manifest(request),
            self._signer_slots(),
            ok=tr("Sign"),
            context=self._context(request),
        )
        return None if values is None else self._creds(values)

    def witness(self, request: SignRequest) -> Credentials | None:
        values = self._ask(
            "witness",
            request.title or "Witness",
            self._manifest(request),
            self._signer_slots(request.not_by),
            ok=tr("Witness"),
            context=self._context(request),
        )
        return None if values is None else self._creds(values)

    def acknowledge(self, message: str, request: SignRequest) -> tuple[Credentials, str] | None:
        slots = [Slot("reason", tr("Reason"), presets=ACK_REASONS), *self._signer_slots()]
        values = self._ask(
            "acknowledge",
            tr("Acknowledge the exception"),
            [message, *self._manifest(request)],
            slots,
            ok=tr("Acknowledge"),
            context=self._context(request, message),
        )
        return None if values is None else (self._creds(values), values["reason"])

    def override(self, request: SignRequest, value: ValueSpec | None) -> Override | None:
        slots: list[Slot] = []
        if value is not None:
            slots.append(self._value_slot("value", value))
        slots += [Slot("reason", tr("Reason")), *self._signer_slots()]
        values = self._ask(
            "override",
            request.title or "Supervisor override",
            self._manifest(request),
            slots,
            ok=tr("Approve"),
            context=self._context(request),
        )
        if values is None:
            return None
        return Override(self._creds(values), values["reason"], values.get("value"))

    def correction(self, what: str, old: str, value: ValueSpec) -> tuple[str, str] | None:
        values = self._ask(
            "correction",
            tr("Correct: {v0}").format(v0=what),
            [
                tr("Recorded value: {v0}").format(v0=old),
                tr("The old value stays in the record beside the new one."),
            ],
            [self._value_slot("value", value), Slot("reason", tr("Reason for the correction"))],
            ok=tr("Correct"),
        )
        return None if values is None else (values["value"], values["reason"])

    def disposition(self, message: str, request: SignRequest) -> Disposition | None:
        slots = [
            Slot("decision", tr("Decision"), kind="choice", choices=DECISIONS),
            Slot("reason", tr("Reason")),
            Slot("reference", tr("Deviation number"), required=False),
            *self._signer_slots(),
        ]
        values = self._ask(
            "disposition",
            tr("Disposition"),
            [message, *self._manifest(request)],
            slots,
            ok=tr("Sign"),
            context=self._context(request, message),
        )
        if values is None:
            return None
        return Disposition(
            values["decision"],
            values["reason"],
            values.get("reference") or None,
            self._creds(values),
        )

    def text(self, title: str, spec: ValueSpec, *, lines: Sequence[str] = ()) -> str | None:
        values = self._ask("text", title, list(lines), [self._value_slot("value", spec)])
        return None if values is None else values["value"]

    def confirm(self, title: str, text: str, *, ok: str = "Yes") -> bool:
        return self._ask("confirm", title, [text], [], ok=ok) is not None

    def form(
        self, kind: str, title: str, lines: Sequence[str], slots: Sequence[Slot]
    ) -> dict[str, str] | None:
        return self._ask(kind, title, lines, slots)


class DialogPrompts(PromptsBase):
    """Shows each prompt as a full-window dialog over `parent` (the main window)."""

    def __init__(
        self,
        lookup: Callable[[str], str | None],
        clock: Callable[[], datetime],
        metrics: Metrics,
        parent: Callable[[], QWidget | None],
    ) -> None:
        super().__init__(lookup, clock)
        self.metrics = metrics
        self.parent = parent

    def build(
        self,
        title: str,
        lines: Sequence[str],
        slots: Sequence[Slot],
        ok: str,
        context: Sequence[str] = (),
    ) -> FormDialog:
        form = Form(self.metrics, title, lines, slots, ok_text=ok, context=context)
        dialog = FormDialog(form, self.metrics, self.parent())
        dialog.setObjectName("prompt")
        return dialog

    def _ask(
        self,
        kind: str,
        title: str,
        lines: Sequence[str],
        slots: Sequence[Slot],
        *,
        ok: str = "OK",
        context: Sequence[str] = (),
    ) -> dict[str, str] | None:
        dialog = self.build(title, lines, slots, ok, context)
        dialog.setProperty("kind", kind)
        try:
            if any(s.kind == "secret" for s in slots):
                # a signature: what is signed, its meaning and values come before "who are you"
                dialog.form.show_summary()
            else:
                dialog.form.start()
            if self.run(dialog, kind) != QDialog.DialogCode.Accepted:
                return None
            return dialog.result_values
        finally:
            dialog.deleteLater()

    def run(self, dialog: FormDialog, kind: str) -> int:
        """Show the dialog and wait (the demo overrides this to fill it and take a picture)."""
        del kind
        return dialog.exec()


@dataclass
class Asked:
    kind: str
    title: str
    lines: list[str]
    slots: list[str]


class ScriptedPrompts(PromptsBase):
    """Answers from a queue, for tests: `answer("signature", user="sam", password=...)`."""

    def __init__(
        self,
        lookup: Callable[[str], str | None] = lambda _u: None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__(lookup, clock)
        self.queue: deque[tuple[str, dict[str, str] | None]] = deque()
        self.asked: list[Asked] = []

    def answer(self, kind: str, **values: Any) -> None:
        self.queue.append((kind, {k: str(v) for k, v in values.items()}))

    def cancel(self, kind: str) -> None:
        self.queue.append((kind, None))

    def _ask(
        self,
        kind: str,
        title: str,
        lines: Sequence[str],
        slots: Sequence[Slot],
        *,
        ok: str = "OK",
        context: Sequence[str] = (),
    ) -> dict[str, str] | None:
        del ok, context
        self.asked.append(Asked(kind, title, list(lines), [s.name for s in slots]))
        if not self.queue:
            raise AssertionError(f"unexpected {kind} prompt: {title}")
        want, values = self.queue.popleft()
        if want != kind:
            raise AssertionError(f"expected a {want} prompt, got {kind}: {title}")
        if values is None:
            return None
        answers = {s.name: s.initial for s in slots}
        answers.update(values)
        return answers

"""The one error type of the devices layer."""

from __future__ import annotations

from kiosk.text import Text


class DeviceError(Exception):
    """A device did not do what was asked; str() is for the operator or technician.

    Raised with a `kiosk.text.Text`, so that the screens show it in the user's language
    (`kiosk.screens.i18n.shown`); str() stays English for logs and records.

    `kind` tells callers what happened without parsing the message:
    "timeout" (no answer), "unplugged" (the port went away), "garbled" (an
    unreadable reply), "overload", "underload", "refused" (the device said no),
    "unit" (a unit we cannot convert), "config" (settings wrong or missing).
    """

    def __init__(self, message: str | Text, kind: str = "refused") -> None:
        super().__init__(message)
        self.kind = kind

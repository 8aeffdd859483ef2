"""Devices: scanners, cameras, balances and their simulators (no Qt).

One plain class per protocol, talking through an injected `Transport`; one
worker thread per device; results reach the screens through a Qt bridge in
`kiosk.screens`, never by calling widgets from a worker. Every driver has a
simulator that speaks the same bytes.
"""

from kiosk.devices.errors import DeviceError
from kiosk.devices.transport import SerialTransport, Transport

__all__ = ["DeviceError", "SerialTransport", "Transport"]

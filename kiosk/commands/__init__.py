"""CLI command modules: each has `register(sub)` adding its subcommands to `kiosk`.

A command module sets `func(args, out) -> exit code` on its parsers with
`set_defaults(func=...)`, prints operator-readable lines to `out`, and never
lets a traceback reach the user for bad input. Modules import heavy libraries
(OpenCV, reportlab, Qt) inside their command functions, so `kiosk --help`
stays fast. Add a module here and to `MODULES`.
"""

from __future__ import annotations

MODULES: tuple[str, ...] = (
    "kiosk.commands.devices",
    "kiosk.commands.masterdata",
    "kiosk.commands.materials",
    "kiosk.commands.station",
    "kiosk.commands.label",
    "kiosk.commands.review",
    "kiosk.commands.ebr",
    "kiosk.commands.sync",
    "kiosk.commands.demo_gui",
    "kiosk.commands.decode",
    "kiosk.commands.importing",
)

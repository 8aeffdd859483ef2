"""Compatibility: the engine moved to the `kiosk.engine` package; import from there."""

from kiosk.engine import *  # noqa: F403
from kiosk.engine import __all__  # noqa: F401 - the same public names

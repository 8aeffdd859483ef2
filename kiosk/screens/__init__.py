"""Qt widgets of the touchscreen: one module per screen, the device bridge, the wedge filter."""

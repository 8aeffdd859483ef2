"""Cleanroom kiosk: the shop-floor end of an MES for cell and gene therapy."""

__version__ = "0.1.0"

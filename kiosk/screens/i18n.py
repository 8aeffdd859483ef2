"""Translations of the screens (Qt Linguist): English in the code, German as the second language.

`tr("Log out")` marks a text for `pyside6-lupdate` and returns it in the language
in force; texts with values are translated whole, then filled in
(`tr("Stage {n}/{total}: {title}").format(...)`). `set_language("de")` loads
`translations/kiosk_de.qm` (built by `make translations` from `kiosk_de.ts`);
the main window rebuilds its screens when the language changes. Records stay
in English and UTC: only what the screens show is translated; dates and decimal
numbers on screen follow the language (`display.set_date_format`,
`display.set_decimal_separator`); the pads still type a point for the engine.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.screens import display

LANGUAGES = {"en": "English", "de": "Deutsch"}
FOLDER = Path(__file__).with_name("translations")
DATE_FORMATS = {
    "en": ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"),
    "de": ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S"),
}

DECIMAL = {"en": ".", "de": ","}  # shown; typed values still reach the engine with a point

_state: dict[str, object] = {"language": "en", "translator": None}


def QT_TR_NOOP(text: str) -> str:  # noqa: N802 - the name pyside6-lupdate looks for
    """Mark a text for translation where it is defined; `tr()` translates it where shown."""
    return text


# words the screens build from data (states, meanings): marked here for lupdate
WORDS = (
    QT_TR_NOOP("in progress"),
    QT_TR_NOOP("on hold"),
    QT_TR_NOOP("completed"),
    QT_TR_NOOP("released"),
    QT_TR_NOOP("aborted"),
    QT_TR_NOOP("performed"),
    QT_TR_NOOP("verified"),
    QT_TR_NOOP("witnessed"),
    QT_TR_NOOP("reviewed"),
    QT_TR_NOOP("approved"),
    QT_TR_NOOP("acknowledged"),
    QT_TR_NOOP("Batch"),
    QT_TR_NOOP("Patient"),
    QT_TR_NOOP("Order"),
    QT_TR_NOOP("Trainee"),
    QT_TR_NOOP("Witness"),
    QT_TR_NOOP("Supervisor approval"),
    QT_TR_NOOP("Signature"),
    QT_TR_NOOP("Recorded"),
)


def tr(text: str) -> str:
    """The text in the language in force (the empty context: one catalogue for the kiosk)."""
    return QCoreApplication.translate("", text)


def language() -> str:
    return str(_state["language"])


def set_language(code: str) -> bool:
    """Use `code` ("en", "de") for every text shown from now on; False if it cannot load."""
    app = QCoreApplication.instance()
    old = _state["translator"]
    if app is not None and isinstance(old, QTranslator):
        app.removeTranslator(old)
    _state["translator"] = None
    _state["language"] = "en"
    display.set_date_format(*DATE_FORMATS["en"])
    display.set_decimal_separator(".")
    if code == "en" or code not in LANGUAGES:
        return code == "en"
    translator = QTranslator(app)
    if app is None or not translator.load(str(FOLDER / f"kiosk_{code}.qm")):
        return False
    app.installTranslator(translator)
    _state["translator"] = translator
    _state["language"] = code
    display.set_date_format(*DATE_FORMATS[code])
    display.set_decimal_separator(DECIMAL[code])
    return True

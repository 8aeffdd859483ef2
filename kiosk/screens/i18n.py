"""Translations of the screens (Qt Linguist): English in the code, German as the second language.

`tr("Log out")` marks a text for `pyside6-lupdate` and returns it in the language
in force; texts with values are translated whole, then filled in
(`tr("Stage {n}/{total}: {title}").format(...)`). `set_language("de")` loads
`translations/kiosk_de.qm` (built by `make translations` from `kiosk_de.ts`);
the main window rebuilds its screens when the language changes. Records stay
in English and UTC: only what the screens show is translated; dates and decimal
numbers on screen follow the language (`display.set_date_format`,
`display.set_decimal_separator`); the pads still type a point for the engine.

Messages from below the screens (the engine's refusals and results, the label and
identity checks, the hand-over) come as `kiosk.text.Text`: an English template and
its values. `shown()` translates the template (context "engine"; the templates are
listed for lupdate in `engine_templates.py`) and fills in the values.
"""

from __future__ import annotations

import functools
import logging
import re
import string
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.screens import display
from kiosk.screens.display import local_number
from kiosk.text import Joined, Text, message_of

log = logging.getLogger(__name__)

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
    QT_TR_NOOP("Sign"),
    QT_TR_NOOP("Supervisor approval"),
    QT_TR_NOOP("Signature"),
    QT_TR_NOOP("Recorded"),
    QT_TR_NOOP("critical"),
    QT_TR_NOOP("major"),
    QT_TR_NOOP("minor"),
)


# who may sign, as a sentence names them ("Needs the signature of a supervisor")
ROLE_PHRASES = {
    "operator": QT_TR_NOOP("an operator"),
    "supervisor": QT_TR_NOOP("a supervisor"),
    "qa": QT_TR_NOOP("QA"),
    "technician": QT_TR_NOOP("a technician"),
    "admin": QT_TR_NOOP("an administrator"),
}


def roles_text(roles: Sequence[str] | None) -> str:
    """Who may sign, in the user's language: "a supervisor or an operator"."""
    if not roles:
        return tr("anyone allowed")
    words = [tr(ROLE_PHRASES[r]) if r in ROLE_PHRASES else r for r in roles]
    text = words[0]
    for word in words[1:]:
        text = tr("{first} or {second}").format(first=text, second=word)
    return text


def signature_text(sig: Mapping[str, Any]) -> str:
    """The manifestation of a signature (21 CFR 11.50): printed name, meaning, date and time;
    the meaning in the user's language (the record keeps the English word)."""
    meaning = tr(str(sig.get("meaning")))
    return f"{sig.get('name')} — {meaning} — {display.local_time(sig.get('ts'), seconds=True)}"


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


# ---------------------------------------------------------------- messages from below the screens

ENGINE = "engine"  # the catalogue's context for the engine's and checks' templates
_IDENTIFIER = re.compile(r"\S*[^\W\d]\S*")  # one word with a letter in it


class _Seen(str):
    """A value read back out of an English sentence: shown as it was, numbers the user's way."""

    __slots__ = ()


class _Shown(_Seen):
    """A value read back that was itself one of the engine's messages: shown as translated."""

    __slots__ = ()


def _read_back(value: _Seen) -> _Seen:
    inner = recognised(value)
    if inner is not None:
        return _Shown(shown(inner))
    parts = value.split("; ")  # several reasons in one field (`kiosk.text.Joined`)
    if len(parts) > 1 and any(recognised(p) is not None for p in parts):
        return _Shown("; ".join(shown(p) for p in parts))
    return value


class _Filler(string.Formatter):
    """Fills a translated template: nested messages translated, numbers the user's way."""

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if isinstance(value, _Seen | Text | Joined | BaseException):
            return value
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Joined):
            return value.separator.join(shown(item) for item in value.items)
        if isinstance(value, Text | BaseException):
            return shown(value)
        if isinstance(value, _Shown):
            return str(value)
        if isinstance(value, _Seen):  # an identifier ("LOT-1.2") keeps its point
            return str(value) if _IDENTIFIER.fullmatch(value) else local_number(value)
        text = format(value, format_spec)
        if isinstance(value, float | int) and not isinstance(value, bool):
            return local_number(text)
        return text


_FILLER = _Filler()


def _pattern(template: str) -> re.Pattern[str] | None:
    """A regular expression reading the values back out of the template's English sentence."""
    parts, seen = [], set()
    words = 0
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        words += sum(c.isalpha() for c in literal)
        if field is None:
            continue
        parts.append(f"(?P={field})" if field in seen else f"(?P<{field}>.+?)")
        seen.add(field)
    if words < 6:  # "{label}: {value}" would read anything
        return None
    return re.compile("".join(parts), re.DOTALL)


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    from kiosk.screens.engine_templates import TEMPLATES  # noqa: PLC0415 - generated, read once

    found = [(t, p) for t in set(TEMPLATES) if (p := _pattern(t)) is not None]
    # the template with the most fixed words first: the most specific reading wins
    found.sort(key=lambda tp: -len(re.sub(r"\{[^}]*\}", "", tp[0])))
    return tuple(found)


def recognised(sentence: str) -> Text | None:
    """The engine's message behind an English sentence (a refusal passed on as a string,
    an exception's message from the record), or None when it is none of them."""
    for template, pattern in _patterns():
        match = pattern.fullmatch(sentence)
        if match:
            return Text(template, **{k: _Seen(v) for k, v in match.groupdict().items()})
    return None


def shown(message: Text | BaseException | str) -> str:
    """A message from below the screens, in the language in force.

    A Text's template is translated whole and then filled in; an exception shows its
    Text; an English sentence is read back to its template when it is one of the
    engine's. Records keep the English (`str(message)`)."""
    if isinstance(message, BaseException):
        message = message_of(message)
    if isinstance(message, str):
        if language() == "en":
            return message
        found = recognised(message)
        if found is None:
            return message
        message = found
    template = QCoreApplication.translate(ENGINE, message.template)
    values = {k: _read_back(v) if isinstance(v, _Seen) else v for k, v in message.values.items()}
    try:
        return _FILLER.vformat(template, (), values)
    except (KeyError, IndexError, ValueError):  # a translation with a wrong field: the English
        log.warning("translation of %r does not fit its values", message.template)
        return str(message)

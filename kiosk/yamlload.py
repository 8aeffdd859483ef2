"""YAML for recipes and OQ scripts: plain documents only, no anchors, aliases or merge keys.

An alias makes one node stand for another: a recursive one never ends, and nine aliases of
nine aliases (a "billion laughs" bomb) expand to gigabytes from a few hundred bytes. Recipes
and validation scripts are reviewed documents; a reviewer must see every value where it
applies. So an anchor (``&name``) or an alias (``*name``) is refused where it stands, with
its line, before anything is built. Nesting deeper than :data:`MAX_DEPTH` is refused too.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 64
"""Deeper than any recipe needs; far below Python's recursion limit."""


class YamlRefused(yaml.YAMLError):
    """The text uses a YAML feature recipes and scripts may not use; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.message = message
        self.line = line


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors, aliases (so merge keys) and very deep nesting."""

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(f"aliases (*{event.anchor}) are not allowed here", line)
        if getattr(event, "anchor", None) is not None:
            raise YamlRefused(f"anchors (&{event.anchor}) are not allowed here", line)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlRefused(f"nested more than {MAX_DEPTH} levels deep", line)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def compose(text: str) -> yaml.Node | None:
    """The document's node tree; YAMLError (YamlRefused for a refused feature) if unusable."""
    loader = StrictLoader(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def load(text: str) -> Any:
    """The document as Python data (as yaml.safe_load), refusing anchors and aliases."""
    loader = StrictLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def error_line(exc: yaml.YAMLError) -> int | None:
    """The 1-based line a YAML error points at, when it says."""
    if isinstance(exc, YamlRefused):
        return exc.line
    mark = getattr(exc, "problem_mark", None)
    return mark.line + 1 if mark is not None else None


def error_text(exc: yaml.YAMLError) -> str:
    if isinstance(exc, YamlRefused):
        return exc.message
    return str(getattr(exc, "problem", None) or exc)


__all__ = ["StrictLoader", "YamlRefused", "compose", "error_line", "error_text", "load"]

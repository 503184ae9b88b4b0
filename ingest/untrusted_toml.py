"""TOML from a repository (``cairn.toml``, ``pyproject.toml``, ``Cargo.toml``, a record's cairn block), read as the
untrusted input it is (see ``ingest.untrusted``).

``tomllib`` reads a nested array or inline table by recursing: a file of a few
thousand ``[`` stops it with a ``RecursionError``, which is no parse error and
would end an ingest. ``load_toml`` turns it into the ``TOMLDecodeError`` every
caller already handles: the file is reported as not valid TOML, like any other.
"""

from __future__ import annotations

import tomllib
from typing import Any

__all__ = ["TOMLDecodeError", "load_toml"]

TOMLDecodeError = tomllib.TOMLDecodeError


def load_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``; nesting deeper than Python's recursion allows is a ``TOMLDecodeError`` too."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise TOMLDecodeError("arrays or tables nested too deeply") from None

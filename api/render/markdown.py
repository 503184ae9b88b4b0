"""Repository text inside Markdown, shown as written: ``__init__.py`` is not emphasis, ``[x]`` not a link.

``text`` backslash-escapes what Markdown would read as markup in prose
(names, titles, messages); ``code`` puts an identifier (a path, a module) in a
code span long enough for any backticks inside it.
"""

from __future__ import annotations

import re
from typing import Any

_SPECIAL = re.compile(r"([\\`*_\[\]<|~])")  # what Markdown reads as markup anywhere in a line


def text(value: Any) -> str:
    """``value`` as Markdown prose that renders exactly as written, on one line."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(str("" if value is None else value).split()))
    return "\\" + escaped if escaped[:1] in ("#", ">", "-", "+", "=") else escaped  # markup only at a line's start


def code(value: Any) -> str:
    """``value`` as an inline code span (a path, a module or package name)."""
    raw = " ".join(str("" if value is None else value).split())
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", raw)), default=0) + 1)
    pad = " " if raw.startswith("`") or raw.endswith("`") else ""
    return f"{ticks}{pad}{raw}{pad}{ticks}"


def link(label: Any, target: Any) -> str:
    """``[label](target)`` with the label escaped and the target in angle brackets (spaces and parentheses allowed)."""
    destination = str(target).replace("<", "%3C").replace(">", "%3E")
    return f"[{text(label)}](<{destination}>)"

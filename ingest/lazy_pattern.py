"""A regular expression compiled when it is first used, for the modules an ingest imports whether or not it uses them.

An ingest after a commit imports the decision records' readers (their graph is rebuilt), but reads no record whose
text is unchanged (``adrs.parse_cache``): the readers' patterns, compiled on import, were 1.2 ms of its 0.25 s at 2k
files. ``LazyPattern(source, flags)`` stands for ``re.compile(source, flags)`` (``match``, ``search``, ``split`` …
are the compiled pattern's), compiling it on the first call; ``pattern`` (its source) compiles nothing.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: str | bytes, flags: int = 0) -> None:
        self._source, self._flags = source, flags
        self._compiled: re.Pattern | None = None

    @property
    def pattern(self) -> str | bytes:
        """The source, as the compiled pattern's ``pattern`` (read without compiling it)."""
        return self._source

    def __getattr__(self, name: str) -> Any:  # (what the slots do not hold: the compiled pattern's methods)
        compiled = self._compiled
        if compiled is None:  # (two threads may both compile it: the same pattern either way)
            compiled = self._compiled = re.compile(self._source, self._flags)
        return getattr(compiled, name)

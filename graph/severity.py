"""Severity and verdict: how much a finding matters, and what a whole report says.

``Severity`` is ordered ``info < warn < block``:

* ``info`` — worth knowing; never fails anything;
* ``warn`` — worth a look by a person; a report with one is a ``warn`` verdict;
* ``block`` — must not be merged as it is; a report with one is a ``block``
  verdict and ``cairn check`` / ``cairn pr-check`` exit 1.

A rule declares its severity (``block`` by default); a rule of a proposed
decision is capped at ``info``; a PR check raises findings of an
agent-authored change without a rationale one step.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum


class Severity(str, Enum):
    """How much one finding matters; ordered ``INFO < WARN < BLOCK``."""

    INFO = "info"
    WARN = "warn"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def raised(self) -> "Severity":
        """One step up (``info`` → ``warn`` → ``block``); ``block`` stays ``block``."""
        return _ORDER[min(self.rank + 1, len(_ORDER) - 1)]

    def capped(self, cap: "Severity | None") -> "Severity":
        """This severity, at most ``cap``."""
        return self if cap is None or self <= cap else cap


_ORDER = (Severity.INFO, Severity.WARN, Severity.BLOCK)


class Verdict(str, Enum):
    """What a whole report says: ``pass`` (nothing above info), ``warn`` or ``block`` (its worst finding)."""

    PASS = "pass"
    WARN = "warn"
    BLOCK = "block"

    @classmethod
    def of(cls, severities: Iterable[Severity]) -> "Verdict":
        worst = max(severities, default=Severity.INFO)
        return cls.BLOCK if worst is Severity.BLOCK else cls.WARN if worst is Severity.WARN else cls.PASS

    @property
    def blocking(self) -> bool:
        return self is Verdict.BLOCK

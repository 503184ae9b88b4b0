"""One commit as the history stream gives it: what ``history.mine_history`` hands its observers.

The change analyses (``ingest.cochange``, ``ingest.trend_history``) build on
these records from the same single pass that reads knowledge, so nothing walks
the history twice. Identities are raw indexes into the stream's interned
identities; ``knowledge.History.identity_person`` maps them to people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(slots=True)
class CommitRecord:
    """One commit as the stream gave it, for observers (see the module docstring)."""

    sha: str
    parents: list[str]
    author: int  # raw identity index
    authored: int  # epoch seconds
    committed: int
    #: raw identities credited besides the author: co-authors, Reviewed-by, an agent's committer, marked agents
    credited: list[int]
    #: (status letter, path, old path for R/C else None), merges have none
    changes: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def merge(self) -> bool:
        return len(self.parents) > 1


CommitObserver = Callable[[CommitRecord], None]

"""Who was on each commit of the history pass's log, as people: ``CommitPeople``.

The change analyses (``ingest.cochange.CommitView``) and the knowledge replay of the
trends (``ingest.trend_history``, which starts right after the history pass, before
the files are indexed) read it.
"""

from __future__ import annotations

from cairn.ingest.commits import CommitLog
from cairn.ingest.identities import AGENT, HUMAN
from cairn.ingest.knowledge import History

NOBODY: tuple[int, ...] = ()  # no agent, or no human, on a commit: one tuple for all


class CommitPeople:
    """Who was on each commit (as people), worked out once per commit and kept, each distinct tuple once.

    It needs the history pass alone (the knowledge replay of ``ingest.trend_history`` starts from it before the
    files are indexed); ``CommitView`` adds what the commits mean for the files at HEAD.
    """

    def __init__(self, log: CommitLog, history: History):
        self.log = log
        self.person_of = history.identity_person
        self.kinds, self.person_ids = [ph.person.kind for ph in history.people], [ph.person.id for ph in history.people]
        self._people: list[tuple[tuple[int, ...], tuple[int, ...]] | None] = [None] * len(log)
        self._shared: dict[tuple, tuple] = {}  # equal tuples kept once (100 distinct (agents, humans) at 10k)

    def people(self, position: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(agents, humans) on a non-merge commit: author, co-authors, reviewers, an agent's committer, marked agents."""
        found = self._people[position]
        if found is not None:
            return found
        log, person_of, kinds = self.log, self.person_of, self.kinds
        if log.merge[position] or not person_of:
            return NOBODY, NOBODY
        on = [person_of[log.author[position]]]
        start, end = log.credited_end[position - 1] if position else 0, log.credited_end[position]
        if end > start:
            on.extend(person_of[c] for c in log.credited[start:end])
            agents = tuple(dict.fromkeys(p for p in on if kinds[p] == AGENT)) or NOBODY
            humans = tuple(dict.fromkeys(p for p in on if kinds[p] == HUMAN)) or NOBODY
        else:
            kind = kinds[on[0]]
            agents, humans = (tuple(on), NOBODY) if kind == AGENT else (NOBODY, tuple(on)) if kind == HUMAN else (NOBODY, NOBODY)
        found = self._people[position] = self._shared.setdefault((agents, humans), (agents, humans))
        return found

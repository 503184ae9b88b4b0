"""Who was on each commit of the history pass's log, as people: ``CommitPeople``.

The change analyses (``ingest.cochange.CommitView``) and the knowledge replay of the
trends (``ingest.trend_history``, which starts right after the history pass, before
the files are indexed) read it.

``bot_only``: the commits only bots made, which the change counts leave out
(``ingest.cochange``'s module docstring says which counts and why). A non-merge
commit is *bot-only* when its author is a bot (person kind BOT, ``ingest.identities``)
and so is everyone the log credits on it: co-authors (``Co-authored-by``,
``Co-developed-by``), ``Reviewed-by`` reviewers, an agent's committer and agents
its message marks. Any human or agent among them makes it a person's (or an
agent's) change: the same people ``CommitPeople.people`` finds on it, so
``people(p) == (NOBODY, NOBODY)`` exactly for those commits. The committer is not
asked: a human committer of a bot's commit is whoever landed it (GitHub's web-flow
for a squash, a maintainer rebasing a Dependabot branch, a release job run under
someone's name), not who chose the change; and the log keeps only an agent's
committer. A human reviewer (``Reviewed-by``) counts: the commit names a person who
answered for that change, as the knowledge counts reviews.
"""

from __future__ import annotations

from itertools import compress
from operator import sub

from cairn.ingest.commits import CommitLog
from cairn.ingest.identities import AGENT, BOT, HUMAN
from cairn.ingest.knowledge import History

NOBODY: tuple[int, ...] = ()  # no agent, or no human, on a commit: one tuple for all


def bot_only(log: CommitLog, person_of: list[int], kinds: list[str], start: int = 0) -> bytearray:
    """Per log position from ``start`` on: 1 when the commit is bot-only (module docstring), merges 0.

    In columns: a commit whose author is not a bot is settled by a lookup; only the bot-authored commits that credit
    someone are looked at one by one (their credited identities)."""
    n = len(log)
    if not person_of or start >= n:
        return bytearray(n - start if n > start else 0)
    bot = bytes(kinds[person] == BOT for person in person_of)  # per raw identity
    found = bytearray(map(bot.__getitem__, log.author[start:n]))
    if 1 not in found:
        return found
    ends, credited = log.credited_end, log.credited
    counts = map(sub, ends[start:n], [ends[start - 1] if start else 0, *ends[start:n - 1]])
    for p in compress(range(start, n), map(bool.__and__, map(bool, found), map(bool, counts))):
        if not all(map(bot.__getitem__, credited[ends[p - 1] if p else 0:ends[p]])):
            found[p - start] = 0
    for p in compress(range(start, n), log.merge[start:n]):
        found[p - start] = 0
    return found


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

    def bot_only_from(self, start: int) -> bytearray:
        """``bot_only`` of every position from ``start`` on."""
        return bot_only(self.log, self.person_of, self.kinds, start)

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

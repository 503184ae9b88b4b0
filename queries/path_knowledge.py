"""Who knows a file Cairn keeps no history for, from the latest commits git has of it.

Documentation, configuration and data files have no File node and no KNOWS
edges (``ingest.files``); ``ingest.path_history.latest_commits`` reads a
bounded window of a path's latest commits when a question needs them. Here
those commits' authors become the stored people they are (``PersonIndex``,
by name and e-mail as ``.mailmap`` maps them; an identity the store does not
know, or that names several people, is nobody), humans only — a bot's or an
agent's commits are nobody's knowledge, as in the history the ingest reads.
Per person: their commits in the window, their latest, ``recent`` — their
commits weighed by their latest as "ask first" weighs work on a file
(``queries.recency.weight_now``: halved for every year before the
repository's newest commit) — and ``relative``, their ``recent`` over the
most any human's is (as a file's degree of authorship is read against its
best author's). Weighed so, whoever wrote most of a window that spans years
does not stand before those who work on the file now: 27 of the last 100
commits of celery's ``docs/userguide/tasks.rst`` are Ask Solem's, of 2016,
5 Asif Saif Uddin's (2025) and 2 ChickenBenny's (2026). This knowledge is
read for an answer and never stored: no truck factor counts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping

from cairn.graph.model import Node
from cairn.graph.people import PersonIndex
from cairn.graph.path_commits import PATH_COMMITS, PathCommit
from cairn.queries.gone import parse_time
from cairn.queries.recency import weight_now


@dataclass(frozen=True)
class PathKnower:
    """A person who changed ``path`` in its latest ``window`` commits (``PATH_COMMITS`` or all it has): ``commits`` of
    them, the latest at ``last_touch`` (ISO); ``recent``: commits weighed by the latest; ``relative``: ``recent``
    over the most a human's is there."""

    person: Node
    path: str
    commits: int
    window: int
    last_touch: str
    recent: float
    relative: float

    @property
    def evidence(self) -> str:
        """What they did, as a reason says it: "changed docs/a.rst in 5 of its last 100 commits, last 2026-03-01"."""
        return self.evidence_of(self.path)

    def evidence_of(self, name: str) -> str:
        """``evidence``, the path called ``name`` ("it", as who-knows says it of the path asked about)."""
        when = self.last_touch[:10]
        if self.window == 1:
            return f"made the one commit of {name}, {when}" if name != "it" else f"made its one commit, {when}"
        if self.commits == self.window and self.window < PATH_COMMITS:
            return f"made all {self.window} commits of {name}, last {when}" if name != "it" else \
                f"made all its {self.window} commits, last {when}"
        window = f"its last {self.window} commits" if self.window >= PATH_COMMITS else f"its {self.window} commits"
        return f"changed {name} in {self.commits} of {window}, last {when}"


def path_knowers(latest: Mapping[str, Iterable[PathCommit]], index: PersonIndex,
                 newest: datetime | None) -> dict[str, list[PathKnower]]:
    """Path -> the humans among the stored people who made its latest commits (``latest``: newest first), the most
    ``recent`` first (``newest``: the repository's newest commit time, which the weights count back from)."""
    out: dict[str, list[PathKnower]] = {}
    found: dict[tuple[str, str], Node | None] = {}
    for path, commits in latest.items():
        commits = list(commits)
        counts: dict[str, int] = {}
        last: dict[str, str] = {}
        nodes: dict[str, Node] = {}
        for commit in commits:
            key = (commit.name, commit.email)
            if key not in found:
                found[key] = _person(index, commit)
            person = found[key]
            if person is None or (person.get("kind") or "human") != "human":
                continue
            nodes[person.id] = person
            counts[person.id] = counts.get(person.id, 0) + 1
            last[person.id] = max(last.get(person.id, ""), commit.when)
        recent = {pid: n * weight_now(parse_time(last[pid]), newest) for pid, n in counts.items()}
        most = max(recent.values(), default=0.0)
        knowers = [PathKnower(nodes[pid], path, n, len(commits), last[pid], recent[pid],
                              recent[pid] / most if most > 0 else 0.0) for pid, n in counts.items()]
        knowers.sort(key=lambda k: (-k.recent, _newest_first(k.last_touch), k.person.id))
        out[path] = knowers
    return out


def _person(index: PersonIndex, commit: PathCommit) -> Node | None:
    """The one stored person a commit's author is, or None (nobody, or several)."""
    text = f"{commit.name} <{commit.email}>" if commit.email else commit.name
    people = index.find(text)
    return people[0] if len(people) == 1 else None


def _newest_first(when: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in when)

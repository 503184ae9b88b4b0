"""What a person knows of a file, from history: degree of authorship, the History record, the graph facts.

Degree of authorship (Fritz et al., as used by Avelino et al.):
``DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)``, FA = 1 if the
person added the file (any add by them, as the reference's ``doaMultAuthor``),
DL = their deliveries, AC = deliveries by everybody else (bots and agents
included). Who counts as an author from these numbers is decided in
``queries.ownership``.

``History`` is what ``history.mine_history`` read (per path and person: adds,
deliveries, last touch, reviews; renames; people; how complete the history
was); ``add_knowledge`` puts it into the graph as Person nodes, Person
-KNOWS-> File edges, the File's ``changes`` and history facts on the
Repository node (``history_complete`` with its counts).
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import accumulate
from typing import Any

from cairn.graph.model import Label, Rel, RepoGraph
from cairn.ingest.commits import CommitLog
from cairn.ingest.identities import HUMAN, Person

DOA_BASE, DOA_FA, DOA_DL, DOA_AC = 3.293, 1.098, 0.164, 0.321

# Per (path, identity) record, a small list for speed: [adds, deliveries, last_touch, reviews].
ADDS, DELIVERIES, LAST, REVIEWS = 0, 1, 2, 3


def degree_of_authorship(first_authorship: bool, deliveries: int, acceptances: int) -> float:
    return DOA_BASE + DOA_FA * (1 if first_authorship else 0) + DOA_DL * deliveries - DOA_AC * math.log(1 + acceptances)


@dataclass(frozen=True)
class FileKnowledge:
    """What one person has done to one file present at HEAD (its whole rename history)."""

    first_authorship: bool
    deliveries: int
    acceptances: int
    reviews: int
    last_touch: int  # epoch seconds

    @property
    def is_candidate(self) -> bool:
        """Has an authorship record (an add or a delivery); review-only knowledge has none."""
        return self.first_authorship or self.deliveries > 0

    @property
    def doa(self) -> float | None:
        return degree_of_authorship(self.first_authorship, self.deliveries, self.acceptances) if self.is_candidate else None


@dataclass
class PersonHistory:
    person: Person
    commits: int = 0  # non-merge commits authored
    last_active: int | None = None  # epoch seconds


class RecordTable:
    """Per path (a ``CommitLog`` path id) and raw identity: [adds, deliveries, last touch, reviews].

    Kept in columns, grouped by path (``count`` entries per path id, in path
    order), as the history state stores it; the paths a new read touched are
    held as dicts (``changed``) until the next ``columns``. Entries are sums
    and maxima, so reading commits in any order, in one read or several,
    gives the same table.
    """

    TYPECODES = {"count": "i", "ident": "i", "adds": "i", "deliveries": "i", "last": "q", "reviews": "i"}

    def __init__(self) -> None:
        self.count = array("i")
        self.ident = array("i")
        self.adds = array("i")
        self.deliveries = array("i")
        self.last = array("q")
        self.reviews = array("i")
        self.changed: dict[int, dict[int, list[int]]] = {}
        self._starts: list[int] | None = None

    @classmethod
    def from_columns(cls, columns: dict[str, array], paths: int, identities: int) -> "RecordTable":
        table = cls()
        for name, typecode in cls.TYPECODES.items():
            column = columns[name]
            if column.typecode != typecode:
                raise TypeError(f"records column {name}")
            setattr(table, name, column)
        entries = len(table.ident)
        if len(table.count) > paths or sum(table.count) != entries or (len(table.count) and min(table.count) < 0):
            raise ValueError("records per path")
        if any(len(getattr(table, name)) != entries for name in ("adds", "deliveries", "last", "reviews")):
            raise ValueError("records columns")
        if entries and (min(table.ident) < 0 or max(table.ident) >= identities):
            raise ValueError("records identities")
        return table

    def _start(self, pid: int) -> int:
        if self._starts is None:
            self._starts = [0, *accumulate(self.count)]
        return self._starts[pid]

    def get(self, pid: int) -> dict[int, list[int]]:
        """Raw identity -> [adds, deliveries, last touch, reviews] for one path (do not change what is returned)."""
        found = self.changed.get(pid)
        if found is not None:
            return found
        if pid >= len(self.count) or not self.count[pid]:
            return {}
        start = self._start(pid)
        ident, adds, deliveries, last, reviews = self.ident, self.adds, self.deliveries, self.last, self.reviews
        return {ident[k]: [adds[k], deliveries[k], last[k], reviews[k]] for k in range(start, start + self.count[pid])}

    def add(self, delta: dict[int, dict[int, list[int]]]) -> None:
        """Add a read's records (path id -> raw identity -> record): sums, and the newest last touch."""
        for pid, per_raw in delta.items():
            mine = self.changed.get(pid)
            if mine is None:
                mine = self.changed[pid] = self.get(pid)
            for raw, rec in per_raw.items():
                acc = mine.get(raw)
                if acc is None:
                    mine[raw] = list(rec)
                else:
                    acc[ADDS] += rec[ADDS]
                    acc[DELIVERIES] += rec[DELIVERIES]
                    acc[REVIEWS] += rec[REVIEWS]
                    if rec[LAST] > acc[LAST]:
                        acc[LAST] = rec[LAST]

    def paths(self) -> list[int]:
        """Every path id that has records."""
        base = [pid for pid, n in enumerate(self.count) if n and pid not in self.changed]
        return sorted(base + [pid for pid, per in self.changed.items() if per])

    def columns(self) -> dict[str, array]:
        """The table in columns, the changed paths folded in (the table keeps them too)."""
        if self.changed:
            count = array("i", self.count)
            top = max(self.changed) + 1
            if len(count) < top:
                count.extend([0] * (top - len(count)))
            out = {name: array(code) for name, code in self.TYPECODES.items() if name != "count"}
            done = 0
            for pid in sorted(self.changed):
                start = self._start(pid) if pid < len(self.count) else self._start(len(self.count))
                for name in out:
                    out[name].extend(getattr(self, name)[done:start])
                per_raw = self.changed[pid]
                out["ident"].extend(per_raw)
                out["adds"].extend(r[ADDS] for r in per_raw.values())
                out["deliveries"].extend(r[DELIVERIES] for r in per_raw.values())
                out["last"].extend(r[LAST] for r in per_raw.values())
                out["reviews"].extend(r[REVIEWS] for r in per_raw.values())
                done = start + (self.count[pid] if pid < len(self.count) else 0)
                count[pid] = len(per_raw)
            for name in out:
                out[name].extend(getattr(self, name)[done:])
            self.count = count
            for name, column in out.items():
                setattr(self, name, column)
            self.changed = {}
            self._starts = None
        return {name: getattr(self, name) for name in self.TYPECODES}


@dataclass
class History:
    """The result of reading a repository's history, before it is attached to a graph."""

    people: list[PersonHistory] = field(default_factory=list)
    #: per path id (of ``log``'s path table) and raw identity: [adds, deliveries, last_touch, reviews]
    records: RecordTable = field(default_factory=RecordTable)
    #: new path -> paths renamed into it
    renamed_from: dict[str, set[str]] = field(default_factory=dict)
    commits: int = 0
    merges: int = 0
    agent_commits: int = 0
    bot_commits: int = 0
    newest_commit_at: int | None = None
    shallow: bool = False
    notes: list[str] = field(default_factory=list)
    #: what makes the knowledge figures wrong rather than merely imprecise (shallow clone, missing objects)
    warnings: list[str] = field(default_factory=list)
    #: how much of the history was read: commits_total, commits_read, exact_renames_only, without_renames,
    #: unreadable_commits, missing_objects, shallow (see ``history_completeness``)
    completeness: dict[str, object] = field(default_factory=dict)
    #: the configured agents/bots/humans patterns, so later readers (the PR check) classify alike
    identity_patterns: dict[str, list[str]] = field(default_factory=dict)
    #: raw identity index (as in ``commits.CommitRecord`` and ``log``) -> index into ``people``
    identity_person: list[int] = field(default_factory=list)
    #: every commit read (``commits.CommitLog``): what the change analyses work from
    log: CommitLog = field(default_factory=CommitLog)
    #: what was remembered and what was read this time (``history.mine_history``): "full" or "incremental",
    #: the new commits read, and the state to remember for the next ingest (None: nothing to remember)
    mined: str = "full"
    new_commits: int = 0
    #: where the new commits start in ``log`` when they were added after the remembered ones (None: a full
    #: read, or the remembered commits were rearranged: the analyses start afresh)
    new_from: int | None = None
    state: Any = None

    @property
    def complete(self) -> bool:
        return bool(self.completeness.get("complete", True))

    def lineage(self, path: str) -> list[str]:
        """The path and every path renamed into it, transitively."""
        seen = {path}
        todo = [path]
        while todo:
            for old in self.renamed_from.get(todo.pop(), ()):
                if old not in seen:
                    seen.add(old)
                    todo.append(old)
        return list(seen)

    def path_records(self, path: str) -> dict[int, list[int]]:
        """Per person index, [adds, deliveries, last touch, reviews] for one path as named in some commit."""
        pid = self.log.path_index.get(path)
        if pid is None:
            return {}
        person_of = self.identity_person
        merged: dict[int, list[int]] = {}
        for raw, rec in self.records.get(pid).items():
            person = person_of[raw] if person_of else raw
            acc = merged.get(person)
            if acc is None:
                merged[person] = list(rec)
            else:
                acc[ADDS] += rec[ADDS]
                acc[DELIVERIES] += rec[DELIVERIES]
                acc[REVIEWS] += rec[REVIEWS]
                if rec[LAST] > acc[LAST]:
                    acc[LAST] = rec[LAST]
        return merged

    def file_knowledge(self, path: str) -> dict[int, FileKnowledge]:
        """Per person index, what they did to ``path`` over its rename history (all kinds of people)."""
        merged: dict[int, list[int]] = {}
        for name in self.lineage(path):
            for person, rec in self.path_records(name).items():
                acc = merged.get(person)
                if acc is None:
                    merged[person] = rec
                else:
                    acc[ADDS] += rec[ADDS]
                    acc[DELIVERIES] += rec[DELIVERIES]
                    acc[REVIEWS] += rec[REVIEWS]
                    if rec[LAST] > acc[LAST]:
                        acc[LAST] = rec[LAST]
        total = sum(rec[DELIVERIES] for rec in merged.values())
        return {
            person: FileKnowledge(rec[ADDS] > 0, rec[DELIVERIES], total - rec[DELIVERIES], rec[REVIEWS], rec[LAST])
            for person, rec in merged.items()
        }

    def human_knowledge(self, path: str) -> dict[int, FileKnowledge]:
        """Like ``file_knowledge``, restricted to humans who authored or reviewed the file."""
        out = {}
        for person, k in self.file_knowledge(path).items():
            if self.people[person].person.kind == HUMAN and (k.is_candidate or k.reviews > 0):
                out[person] = k
        return out


def _iso(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")


def add_knowledge(graph: RepoGraph, history: History) -> None:
    """Person nodes, Person -KNOWS-> File edges for the File nodes in ``graph``, and history facts on the Repository.

    Person: ``name``, ``names``, ``emails``, ``logins`` (``github``: the first
    one), ``aliases`` ("Name <email>" as seen), ``kind``, ``last_active``,
    ``commits``. KNOWS edges (humans only): ``first_authorship``,
    ``deliveries``, ``acceptances`` (AC: deliveries by everybody else, bots and
    agents included), ``doa`` (None when the person only reviewed the file),
    ``reviews``, ``last_touch`` (ISO). File: ``changes``, the adds and
    deliveries recorded for it by anybody (0: no history, so the truck factor
    leaves it out, as the reference does). Repository: the history facts and
    ``history_complete`` with ``history_completeness`` (counts).
    """
    person_nodes: dict[int, object] = {}
    for index, ph in enumerate(history.people):
        p = ph.person
        if ph.commits == 0 and ph.last_active is None:
            continue
        person_nodes[index] = graph.add_node(
            Label.PERSON, p.id, name=p.name, names=p.names, emails=p.emails, logins=p.logins, aliases=p.aliases,
            kind=p.kind, github=p.github, last_active=_iso(ph.last_active), commits=ph.commits,
        )
    for file_node in graph.of_label(Label.FILE):
        everybody = history.file_knowledge(file_node.key)
        file_node.props["changes"] = sum(k.deliveries + k.first_authorship for k in everybody.values())
        for index, k in everybody.items():
            if history.people[index].person.kind != HUMAN or not (k.is_candidate or k.reviews > 0):
                continue
            node = person_nodes.get(index)
            if node is None:
                continue
            doa = k.doa
            graph.add_edge(
                Rel.KNOWS, node, file_node, first_authorship=k.first_authorship, deliveries=k.deliveries,
                acceptances=k.acceptances, doa=None if doa is None else round(doa, 6), reviews=k.reviews,
                last_touch=_iso(k.last_touch),
            )
    repo = graph.repository
    if repo is None:
        repo = graph.add_node(Label.REPOSITORY, graph.repo)
    existing = [n for n in (repo.get("history_notes") or []) if n not in history.notes]
    repo.props.update(
        commits=history.commits, merges=history.merges, agent_commits=history.agent_commits,
        bot_commits=history.bot_commits, shallow=history.shallow, newest_commit_at=_iso(history.newest_commit_at),
        history_notes=existing + list(history.notes), identity_patterns=history.identity_patterns,
        history_complete=history.complete, history_completeness=dict(history.completeness),
        history_warnings=list(history.warnings),
    )

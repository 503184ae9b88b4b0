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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable

from cairn.graph.model import Label, Rel, RepoGraph
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


@dataclass
class History:
    """The result of reading a repository's history, before it is attached to a graph."""

    people: list[PersonHistory] = field(default_factory=list)
    #: path (as named in some commit) -> person index -> [adds, deliveries, last_touch, reviews]
    path_records: dict[str, dict[int, list[int]]] = field(default_factory=dict)
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
    #: raw identity index (as in ``history.CommitRecord``) -> index into ``people``
    identity_person: list[int] = field(default_factory=list)

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

    def file_knowledge(self, path: str) -> dict[int, FileKnowledge]:
        """Per person index, what they did to ``path`` over its rename history (all kinds of people)."""
        merged: dict[int, list[int]] = {}
        for name in self.lineage(path):
            for person, rec in self.path_records.get(name, {}).items():
                acc = merged.get(person)
                if acc is None:
                    merged[person] = list(rec)
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

    def keep_records(self, records: dict[str, dict[int, list[int]]], person_of: list[int],
                     renames: Iterable[tuple[str, str]]) -> None:
        """Take the log's records (per path, per raw identity) re-keyed by person, and its renames."""
        if all(person_of[i] == i for i in range(len(person_of))):
            self.path_records = records
        else:
            rekeyed: dict[str, dict[int, list[int]]] = {}
            for path, per_raw in records.items():
                per_person: dict[int, list[int]] = {}
                for raw_idx, rec in per_raw.items():
                    p = person_of[raw_idx]
                    acc = per_person.get(p)
                    if acc is None:
                        per_person[p] = list(rec)
                    else:
                        acc[ADDS] += rec[ADDS]
                        acc[DELIVERIES] += rec[DELIVERIES]
                        acc[REVIEWS] += rec[REVIEWS]
                        acc[LAST] = max(acc[LAST], rec[LAST])
                rekeyed[path] = per_person
            self.path_records = rekeyed
        for old, new in renames:
            if old != new:
                self.renamed_from.setdefault(new, set()).add(old)


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

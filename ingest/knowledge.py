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

The request mergers' review credit is not in the records: it is decided by
person (a self-merge under another identity is no review), once people are
resolved, and kept beside them (``History.person_reviews``, with the review
credit a commit gave its own author under another identity taken back:
``ingest.self_reviews``), folded into a
file's records per person where it is read.

Between ingests (``ingest.history_state``): the records are a
``RecordTable`` (``ingest.knowledge_rows``: columns, sums and maxima: a read of the new commits adds to
it), and the KNOWS edges of every file are remembered (``KnowledgeMemory``),
so a re-ingest computes only the files whose records or rename lineage the
new commits changed or that their request merges brought in, and all of them when an identity resolves to another
person than before.
"""

from __future__ import annotations

import math
import os
from array import array
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, chain, compress, repeat
from operator import attrgetter, is_, is_not, itemgetter, not_, setitem
from typing import Any, Callable, Iterable
from weakref import WeakKeyDictionary

from cairn.graph.authorship import Authorship, file_authors
from cairn.graph.lazy_knows import PendingKnows
from cairn.graph.model import KNOWS_VALUES, Label, Rel, RepoGraph, node_id, set_authors
from cairn.graph.store import verifying_skips
from cairn.ingest.commits import CommitLog
from cairn.ingest.identities import HUMAN, Person
from cairn.ingest.joined import Joined
from cairn.ingest.knowledge_rows import (
    ADDS, DELIVERIES, DOA_AC, DOA_BASE, DOA_DL, DOA_FA, LAST, REVIEWS, RecordTable, _EdgeRows, iso_time, fold_record,
)


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


class PersonHistory:
    person: Person
    commits: int  # non-merge commits authored
    last_active: int | None  # epoch seconds

    def __init__(self, person: Person, commits: int = 0, last_active: int | None = None) -> None:
        self.person = person
        self.commits = commits
        self.last_active = last_active


class History:
    """The result of reading a repository's history, before it is attached to a graph."""

    people: list[PersonHistory]
    #: per path id (of ``log``'s path table) and raw identity: [adds, deliveries, last_touch, reviews]
    records: RecordTable
    #: per path id and person: [0, 0, last_touch, reviews] of the review credit decided by person: the request
    #: mergers' (``merger_credit.merger_reviews``), less what commits gave their own authors under another identity
    #: (``self_reviews``, negative); the knowledge of a path is its records and this
    person_reviews: dict[int, dict[int, list[int]]]
    #: the path ids the request merges of this read brought in (their credit is new)
    merges_touched: set[int]
    #: new path -> paths renamed into it
    renamed_from: dict[str, set[str]]
    commits: int
    merges: int
    agent_commits: int
    bot_commits: int
    #: non-merge commits with a squashed pull request's subject ("… (#1234)"): their reviews and merges are not in git
    squash_merged: int
    newest_commit_at: int | None
    shallow: bool
    notes: list[str]
    #: what makes the knowledge figures wrong rather than merely imprecise (shallow clone, missing objects)
    warnings: list[str]
    #: how much of the history was read: commits_total, commits_read, exact_renames_only, without_renames,
    #: unreadable_commits, missing_objects, shallow (see ``history_completeness``)
    completeness: dict[str, object]
    #: the configured agents/bots/humans patterns, so later readers (the PR check) classify alike
    identity_patterns: dict[str, list[str]]
    #: raw identity index (as in ``commits.CommitRecord`` and ``log``) -> index into ``people``
    identity_person: list[int]
    #: every commit read (``commits.CommitLog``): what the change analyses work from
    log: CommitLog
    #: what was remembered and what was read this time (``history.mine_history``): "full" or "incremental",
    #: the new commits read, and the state to remember for the next ingest (None: nothing to remember)
    mined: str
    new_commits: int
    #: an incremental read (else None, None, []): positions ``[0, kept_prefix)`` of ``log`` hold the commits the
    #: remembered log held there (``new_from`` when the new commits were appended; fewer when a merged branch's
    #: commits landed among remembered ones), the remembered log's length and newest commit, the new commits' positions
    kept_prefix: int | None
    remembered: tuple[int, str] | None
    placed: list[int]
    #: from position ``kept_prefix`` on, the position each commit had (in the remembered log, then the new ones after)
    moved: list[int]
    state: Any

    def __init__(self, people: list[PersonHistory] | None = None, records: RecordTable | None = None,
                 renamed_from: dict[str, set[str]] | None = None, commits: int = 0, merges: int = 0,
                 agent_commits: int = 0, bot_commits: int = 0, squash_merged: int = 0, newest_commit_at: int | None = None,
                 shallow: bool = False, notes: list[str] | None = None, warnings: list[str] | None = None,
                 completeness: dict[str, object] | None = None, identity_patterns: dict[str, list[str]] | None = None,
                 identity_person: list[int] | None = None, log: CommitLog | None = None, mined: str = "full",
                 new_commits: int = 0, kept_prefix: int | None = None, remembered: tuple[int, str] | None = None,
                 placed: list[int] | None = None, moved: list[int] | None = None, state: Any = None) -> None:
        self.people = [] if people is None else people
        self.records = RecordTable() if records is None else records
        self.renamed_from = {} if renamed_from is None else renamed_from
        self.commits = commits
        self.merges = merges
        self.agent_commits = agent_commits
        self.bot_commits = bot_commits
        self.squash_merged = squash_merged
        self.newest_commit_at = newest_commit_at
        self.shallow = shallow
        self.notes = [] if notes is None else notes
        self.warnings = [] if warnings is None else warnings
        self.completeness = {} if completeness is None else completeness
        self.identity_patterns = {} if identity_patterns is None else identity_patterns
        self.identity_person = [] if identity_person is None else identity_person
        self.log = CommitLog() if log is None else log
        self.mined = mined
        self.new_commits = new_commits
        self.kept_prefix = kept_prefix
        self.remembered = remembered
        self.placed = [] if placed is None else placed
        self.moved = [] if moved is None else moved
        self.state = state
        self.person_reviews = {}
        self.merges_touched = set()

    @property
    def new_from(self) -> int | None:
        """Where the new commits start in ``log`` when they were added after every remembered one (None: a full
        read, or a merged branch's commits landed among the remembered ones)."""
        if self.remembered is None or self.kept_prefix != self.remembered[0]:
            return None
        return self.kept_prefix

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
            fold_record(merged, person_of[raw] if person_of else raw, rec)
        for person, rec in self.person_reviews.get(pid, {}).items():
            fold_record(merged, person, rec)
        return merged

    def person_records(self, path: str, pid: int) -> tuple[list[int], list[int], list[int], list[int], list[int]]:
        """Person indexes, adds, deliveries, last touches and reviews of ``path`` over its rename history, in the order
        ``file_knowledge`` has them (``pid``: the path's id)."""
        if path not in self.renamed_from and pid not in self.person_reviews:
            idents, adds, deliveries, lasts, reviews = self.records.rows(pid)
            person_of = self.identity_person
            if not person_of:
                return idents, adds, deliveries, lasts, reviews
            persons = list(map(person_of.__getitem__, idents))
            if len(set(persons)) == len(persons):  # nobody under two identities here: nothing to fold
                return persons, adds, deliveries, lasts, reviews
        merged: dict[int, list[int]] = {}
        for name in self.lineage(path):
            for person, rec in self.path_records(name).items():
                fold_record(merged, person, rec)
        records = list(merged.values())
        return (list(merged), [r[ADDS] for r in records], [r[DELIVERIES] for r in records], [r[LAST] for r in records],
                [r[REVIEWS] for r in records])

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


KNOWLEDGE = "knowledge"
#: files whose edges are computed together (``_EdgeRows.compute``): its lists are a few per edge, not per file
AT_ONCE = 4096
KNOWLEDGE_VERSION = 4
#: ``KnowledgeMemory.values`` are made again from the entries when they are more than this and an eighth of the entries
COMPACTED_VALUES = 4096
_KNOWS_COLUMNS = {"person": "i", "deliveries": "i", "acceptances": "i", "doa": "d", "reviews": "i"}


class KnowledgeMemory:
    """The KNOWS edges of every File, as the last ingest computed them, so the next one recomputes only the files
    whose records (or rename lineage) the new commits changed.

    Per file (by the log path id of its path, in ``files``): ``changes``, its lineage when other paths were
    renamed into it, and its edges in columns (``count`` per file): person (an index into ``ids``), first
    authorship, deliveries, acceptances, DOA (NaN: none), reviews, last touch (ISO) and whether the person is an
    author of the file (``graph.authorship.file_authors``: a function of the file's edges alone). Valid for the people
    (raw identity -> person id, kind, whether the person has a node) it was computed with.

    ``shapes`` gives each entry's first five properties (``KNOWS_VALUES``: first authorship, deliveries, acceptances,
    DOA or None, reviews) as an index into ``values``, their distinct tuples (9,000 for 143,000 entries at 10k files),
    which the KNOWS edges share: kept with the entries, so an ingest after a commit looks up only the new entries'
    tuples rather than all of them (``_shapes_caught_up``).
    """

    def __init__(self, people: list[list]) -> None:
        self.people = people
        self.ids: list[str] = []
        self.files = array("i")
        self.changes = array("i")
        self.count = array("i")
        self.first = bytearray()
        self.author = bytearray()
        self.columns: dict[str, array] = {name: array(code) for name, code in _KNOWS_COLUMNS.items()}
        self.touch: list[str] = []
        self.lineage: dict[int, list[int]] = {}
        self.shapes = array("i")
        self.values: list[tuple[bool, int, int, float | None, int]] = []
        self._value_index: _ValueIndex | None = None  # of ``values``, made when first needed
        #: names this content: a new one whenever an ingest computes other edges (``KnowsDelta``); None if never named
        self.token: str | None = None
        self._where: dict[int, tuple[int, int, int]] | None = None  # file pid -> (start, count, changes)

    def to_json(self) -> dict[str, Any]:
        return {"version": KNOWLEDGE_VERSION, "people": self.people, "ids": self.ids, "files": self.files,
                "changes": self.changes, "count": self.count, "first": self.first, "author": self.author, **self.columns,
                # bytes: written beside the JSON as they are (a JSON string would escape every NUL as \u0000)
                "touch": [len(self.touch), Joined(self.touch)],
                "lineage": [[pid, *names] for pid, names in sorted(self.lineage.items())], "token": self.token,
                "shapes": self.shapes, "values": self.values}

    @classmethod
    def from_json(cls, data: Any) -> "KnowledgeMemory | None":
        try:
            if data.get("version") != KNOWLEDGE_VERSION:
                return None
            memory = cls([list(p) for p in data["people"]])
            memory.ids = [str(i) for i in data["ids"]]
            memory.files, memory.changes, memory.count = data["files"], data["changes"], data["count"]
            memory.first = bytearray(data["first"])
            memory.author = bytearray(data["author"])
            memory.columns = {name: data[name] for name in _KNOWS_COLUMNS}
            n, text = data["touch"]
            memory.touch = bytes(text).decode("ascii").split("\0") if n else []
            memory.lineage = {int(entry[0]): [int(x) for x in entry[1:]] for entry in data["lineage"]}
            token = data.get("token")
            memory.token = token if isinstance(token, str) and token else None
            memory.shapes = data["shapes"]
            memory.values = list(map(tuple, data["values"]))  # (JSON gives each value's type back: bool, int, float, None)
            if not set(map(len, memory.values)) <= {len(KNOWS_VALUES)}:
                return None
            entries = len(memory.first)
            if not isinstance(memory.shapes, array) or memory.shapes.typecode != "i" or len(memory.shapes) != entries:
                return None
            if not _indexes_into(memory.shapes, len(memory.values)):
                return None
            if len(memory.author) != entries:
                return None
            if not (len(memory.files) == len(memory.changes) == len(memory.count)) or sum(memory.count) != entries:
                return None
            if len(memory.touch) != entries or any(len(col) != entries for col in memory.columns.values()):
                return None
            if not _indexes_into(memory.columns["person"], len(memory.ids)):
                return None
            if any(not isinstance(memory.columns[name], array) or memory.columns[name].typecode != code
                   for name, code in _KNOWS_COLUMNS.items()) or not isinstance(memory.files, array):
                return None
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            return None
        return memory

    def where(self, pid: int) -> tuple[int, int, int] | None:
        if self._where is None:
            starts = accumulate(self.count, initial=0)
            self._where = {f: (start, n, c) for f, start, n, c in zip(self.files, starts, self.count, self.changes)}
        return self._where.get(pid)

    def people_at(self, start: int, n: int) -> list[str]:
        """The person ids of the entries ``start`` to ``start + n`` (one file's edges)."""
        ids = self.ids
        return [ids[p] for p in self.columns["person"][start:start + n]]


@dataclass(frozen=True)
class KnowsDelta:
    """Which KNOWS edges ``add_knowledge`` built differently from the last ingest, whose memory was named ``base``.

    ``files``: the File node ids whose edges were computed afresh; ``before``: the keys of the edges those files had
    then; ``after``: the keys of the edges built for them now. Every other file's edges are what that ingest built, so
    a store still holding its graph (which says so by ``base``) needs only these files' edges written (see
    ``api.services.ingesting``).
    """

    base: str
    files: frozenset[str]
    before: frozenset[tuple[str, str, str]]
    after: frozenset[tuple[str, str, str]] = frozenset()


def _knowledge_people(history: History, person_nodes: dict[int, Any]) -> list[list]:
    people = history.people
    return [[people[p].person.id, people[p].person.kind, p in person_nodes] for p in history.identity_person]


def _indexes_into(column: array, n: int) -> bool:
    """Whether every value of ``column`` is an index of a list of ``n``: its distinct values (a few thousand among
    143,000 at 10k files) looked at, not each (a pass of ``min`` and one of ``max`` over the column took 4 ms each)."""
    values = set(column)
    return not values or (min(values) >= 0 and max(values) < n)


class _OneDoa(dict):
    """A DOA column's value -> the one float object handed on for it (a few hundred values), None for NaN (the person
    only reviewed the file; never kept: every NaN misses)."""

    def __missing__(self, value: float) -> float | None:
        if value != value:
            return None
        self[value] = value
        return value


class _Shared(dict):
    """A tuple of values -> the one equal tuple handed on for it."""

    def __missing__(self, values: tuple) -> tuple:
        self[values] = values
        return values


def _values_of(memory: KnowledgeMemory, start: int, stop: int) -> list[tuple[bool, int, int, float | None, int]]:
    """The first five properties of the entries [start, stop) of ``memory``, as tuples, read from its columns (one per
    distinct tuple, one float object per DOA value)."""
    columns = memory.columns
    return list(map(_Shared().__getitem__, zip(
        map((1).__eq__, memory.first[start:stop]), columns["deliveries"][start:stop], columns["acceptances"][start:stop],
        map(_OneDoa().__getitem__, columns["doa"][start:stop]), columns["reviews"][start:stop])))


class _ValueIndex(dict):
    """A tuple of ``KnowledgeMemory.values`` -> its index there; a tuple not there yet is appended."""

    def __init__(self, values: list[tuple]) -> None:
        super().__init__(zip(values, range(len(values))))
        self.values = values

    def __missing__(self, value: tuple) -> int:
        self[value] = at = len(self.values)
        self.values.append(value)
        return at


def _shapes_caught_up(memory: KnowledgeMemory) -> None:
    """``shapes`` of the entries appended to ``memory`` since it was last given theirs (those computed afresh), their
    tuples added to ``values`` when new."""
    start, stop = len(memory.shapes), len(memory.first)
    if stop > start:
        index = memory._value_index
        if index is None or index.values is not memory.values:
            index = memory._value_index = _ValueIndex(memory.values)
        memory.shapes.extend(map(index.__getitem__, _values_of(memory, start, stop)))


def _emit_knows(graph: RepoGraph, memory: KnowledgeMemory, file_ids: list[str], defer: bool
                ) -> tuple[list[str], Callable[[list[bool]], None] | None]:
    """Person -KNOWS-> File edges for every entry of ``memory`` (143k at 10k files), each a ``KnowsEdge`` (its
    properties in slots, the first five a tuple shared by equal ones: see ``graph.model``), built in bulk; or, with
    ``defer``, held unmade in their place (``graph.lazy_knows``) until something reads them. The Person node id of each
    entry's person index, and what sets ``author`` on each of the edges given a flag each (None when they were merged
    into KNOWS edges the graph had already)."""
    repo = graph.repo
    node_of = [node_id(Label.PERSON, repo, pid) for pid in memory.ids]
    if verifying_skips() and list(map(memory.values.__getitem__, memory.shapes)) != _values_of(memory, 0, len(memory.first)):
        raise AssertionError("the KNOWS edges' values kept by index (KnowledgeMemory.shapes) are not their columns'")
    knows = Rel.KNOWS.value
    edges = graph.edges_of((knows,))  # (edges of other types not made yet stay so: ``graph.model.RepoGraph``)
    # (a graph with no KNOWS edge yet, as every ingest's, is told by the edges' types alone: no key looked up)
    fresh = knows not in map(itemgetter(0), edges)
    # each edge's first five properties one tuple, shared by the edges of the same values (``KnowledgeMemory.shapes``)
    pending = PendingKnows(len(edges), node_of, memory.columns["person"], file_ids, memory.count, memory.values,
                           memory.shapes, memory.touch)
    if fresh and defer:
        graph.defer_edges(pending)
        return node_of, pending.set_authors
    keys, made = pending.make()
    if not fresh:
        keys = list(keys)
    if fresh or edges.keys().isdisjoint(keys):
        edges.update(zip(keys, made))  # (a fresh graph's keys taken as made: no list of them beside)
        return node_of, partial(set_authors, made)  # (not the pending run's, which holds the memory's columns)
    # a graph that has KNOWS edges already (knowledge added twice): merge into them
    for (_, source, target), edge in zip(keys, made):
        graph.add_edge(Rel.KNOWS, source, target, **edge.current_props())
    return node_of, None


def _fresh_keys(memory: KnowledgeMemory, node_of: list[str], file_ids: list[str],
                fresh: list[tuple[int, int]]) -> Iterable[tuple[str, str, str]]:
    """The keys of the KNOWS edges of the entries ``fresh`` (each file's first entry and how many) of ``memory``."""
    starts = list(accumulate(memory.count, initial=0))
    person, knows = memory.columns["person"], Rel.KNOWS.value
    for start, n in fresh:
        if n:
            target = file_ids[bisect_right(starts, start) - 1]  # (the file whose entries start there: a file without
            # any shares its start with the next one, and comes before it)
            yield from ((knows, node_of[p], target) for p in person[start:start + n])


def _mark_authors(memory: KnowledgeMemory, node_of: list[str], fresh: list[tuple[int, int]]) -> None:
    """``memory.author`` of the entries computed afresh (``fresh``: each file's first entry and how many), as
    ``queries.ownership`` decides it from the file's KNOWS edges (``node_of``: the Person node id of each person
    index): the others were copied with the edges they belong to."""
    doa, first, author, person = memory.columns["doa"], memory.first, memory.author, memory.columns["person"]
    for start, n in fresh:
        candidates: dict[str, tuple[float, bool]] = {}
        for i in range(start, start + n):
            value = doa[i]
            if value == value:  # (NaN: a reviewer, no candidate)
                candidates[node_of[person[i]]] = (value, first[i] == 1)
        found = file_authors(candidates) if candidates else ()
        if found:
            for i in range(start, start + n):
                if node_of[person[i]] in found:
                    author[i] = 1


#: The authorship of each graph ``add_knowledge`` built KNOWS edges into, until ``authorship_of`` takes it.
_AUTHORSHIP: WeakKeyDictionary[RepoGraph, Callable[[], Authorship]] = WeakKeyDictionary()


def authorship_of(graph: RepoGraph, wanted: bool = True) -> Authorship | None:
    """The authorship of ``graph``'s KNOWS edges as ``add_knowledge`` built them (taken: asked once), or None. Only
    good while nothing changed them since (review records: ``ingest.reviews``): the caller knows, and when they
    changed says it is not ``wanted`` (then it is only let go, not worked out)."""
    made = _AUTHORSHIP.pop(graph, None)
    return made() if made is not None and wanted else None


def _authorship(count: array, doa: array, reviews: array, author: bytearray, person: array, node_of: list[str],
                file_keys: list[str], mark: Callable[[list[bool]], None]) -> Authorship:
    """The ``Authorship`` of the KNOWS edges made from a ``KnowledgeMemory``'s columns (``count`` edges per file of
    ``file_keys``; ``person``: each edge's person index, ``node_of`` its Person node id), which ``mark`` sets
    ``author`` on. The Person node ids are those of the few authors and reviewers: a list of every edge's (570,000 at
    50k files, 4.5 MB) is not held until the bus factor asks."""
    file_of = list(chain.from_iterable(map(repeat, range(len(file_keys)), count)))
    # (a DOA, not NaN: a candidate; one pass over the column, each value read once)
    authors: dict[str, list[str]] = {file_keys[f]: [] for f in set(compress(file_of, map(not_, map(math.isnan, doa))))}
    source_of = node_of.__getitem__
    for key, source in zip(map(file_keys.__getitem__, compress(file_of, author)), map(source_of, compress(person, author))):
        authors[key].append(source)
    for found in authors.values():
        if len(found) > 1:
            found.sort()  # as ``file_authors`` gives them
    holders = {key: set(found) for key, found in authors.items()}
    if reviews.tobytes().count(0) != len(reviews) * reviews.itemsize:  # (never negative; in C: most have none)
        for key, source in zip(map(file_keys.__getitem__, compress(file_of, reviews)), map(source_of, compress(person, reviews))):
            held = holders.get(key)
            if held is None:
                holders[key] = {source}
            else:
                held.add(source)
    return Authorship(authors, holders, partial(mark, list(map(bool, author))))  # (each 0 or 1)


#: What filling a ``KnowledgeMemory`` gives (``_built``, ``_spliced``): the File node ids and keys with history, in the
#: graph's order; the entries of the files computed again (first, how many); their node ids; the keys of the edges
#: they had in the old memory; how many there are.
_Built = tuple[list[str], list[str], list[tuple[int, int]], set[str], set[tuple[str, str, str]], int]
#: At most this many files computed again for ``_spliced`` to fill a memory (one file at a time); more go to ``_built``.
SPLICED_FILES = 1024
_KEY = attrgetter("key")
_LABEL = attrgetter("label")
_NODE_PROPS = attrgetter("props")


def _spliced(graph: RepoGraph, history: History, old: KnowledgeMemory | None, new: KnowledgeMemory,
             person_nodes: dict[int, Any], touched: set[int], slot: dict[str, int]) -> _Built | None:
    """What ``_built`` gives, and ``new`` as it fills it, when the File nodes with history are the files of ``old`` in
    its order (the usual ingest after a commit) and few of them are computed again: ``old``'s columns copied whole
    between those files, without a step in Python per file (51,000 at 50k files). None (nothing done) otherwise."""
    if old is None or not len(old.files):
        return None
    nodes, file_label = graph.nodes, Label.FILE
    every = list(compress(nodes, map(is_, map(_LABEL, nodes.values()), repeat(file_label))))
    every_nodes = list(map(nodes.__getitem__, every))
    pids = list(map(history.log.path_index.get, map(_KEY, every_nodes)))
    known = list(map(is_not, pids, repeat(None)))
    file_pids = list(compress(pids, known))
    if len(file_pids) != len(old.files) or array("i", file_pids) != old.files:
        return None
    file_ids, file_nodes = list(compress(every, known)), list(compress(every_nodes, known))
    file_keys = list(map(_KEY, file_nodes))
    # the files computed again, as ``_built`` decides: records the new commits changed, or a rename lineage that is not
    # the one ``old`` was computed with or that they changed
    path_index, renamed = history.log.path_index, history.renamed_from
    again = set(compress(range(len(file_pids)), map(touched.__contains__, file_pids)))
    lineages: dict[int, list[int]] = {}
    for at in compress(range(len(file_keys)), map(renamed.__contains__, file_keys)):
        lineage = lineages[at] = sorted(path_index[name] for name in history.lineage(file_keys[at]) if name in path_index)
        if old.lineage.get(file_pids[at]) != lineage or not touched.isdisjoint(lineage):
            again.add(at)
    if old.lineage:
        renamed_before = set(old.lineage)
        again.update(at for at in compress(range(len(file_pids)), map(renamed_before.__contains__, file_pids))
                     if at not in lineages)
    if len(again) > SPLICED_FILES:
        return None
    for node in compress(every_nodes, map(not_, known)):  # no commit names the path: no history
        node.props["changes"] = 0
    rows = _EdgeRows(history, person_nodes, new.columns, new.first, new.touch, new.ids, slot)
    starts = list(accumulate(old.count, initial=0))
    new.files, new.count, new.changes = array("i", old.files), array("i", old.count), array("i", old.changes)
    fresh: list[tuple[int, int]] = []
    before: set[tuple[str, str, str]] = set()
    knows, person_label, repo = Rel.KNOWS.value, Label.PERSON, graph.repo
    done = 0  # the old entries copied so far
    for at in sorted(again):
        _copy_entries(old, new, done, starts[at])
        before.update((knows, node_id(person_label, repo, person), file_ids[at])
                      for person in old.people_at(starts[at], old.count[at]))
        entries = len(new.first)
        changes, n = rows.add(*history.person_records(file_keys[at], file_pids[at]))
        new.author.extend(bytes(n))  # worked out later (``_mark_authors``)
        fresh.append((entries, n))
        new.count[at], new.changes[at] = n, changes
        done = starts[at + 1]
    _copy_entries(old, new, done, starts[-1])
    new.lineage = {file_pids[at]: lineage for at, lineage in lineages.items()}
    deque(map(setitem, map(_NODE_PROPS, file_nodes), repeat("changes"), new.changes), maxlen=0)
    return file_ids, file_keys, fresh, {file_ids[at] for at in again}, before, len(again)


def _copy_entries(old: KnowledgeMemory, new: KnowledgeMemory, start: int, stop: int) -> None:
    """Append ``old``'s entries [start, stop) to ``new`` (whose ``values`` begin with ``old``'s)."""
    if stop > start:
        _shapes_caught_up(new)  # (of the entries computed since the last copy: the shapes copied follow theirs)
        new.shapes.extend(old.shapes[start:stop])
        for name, column in new.columns.items():
            column.extend(old.columns[name][start:stop])
        new.first.extend(old.first[start:stop])
        new.touch.extend(old.touch[start:stop])
        new.author.extend(old.author[start:stop])


def _check_spliced(graph: RepoGraph, history: History, old: KnowledgeMemory, new: KnowledgeMemory,
                   person_nodes: dict[int, Any], touched: set[int], spliced: _Built) -> None:
    """Check what ``_spliced`` gave and filled against ``_built`` (``CAIRN_VERIFY_SKIPS``)."""
    changes = [node.props["changes"] for node in graph.of_label(Label.FILE)]
    check = KnowledgeMemory(new.people)
    check.ids, check.values = list(old.ids), list(old.values)
    built = _built(graph, history, old, check, person_nodes, touched, {pid: i for i, pid in enumerate(check.ids)})
    _shapes_caught_up(new)
    _shapes_caught_up(check)
    mine = (new.ids, new.files, new.changes, new.count, new.first, new.author, new.columns, new.touch, new.lineage, spliced,
            list(map(new.values.__getitem__, new.shapes)))
    theirs = (check.ids, check.files, check.changes, check.count, check.first, check.author, check.columns, check.touch,
              check.lineage, built, list(map(check.values.__getitem__, check.shapes)))
    if not _same_columns(mine, theirs) or changes != [node.props["changes"] for node in graph.of_label(Label.FILE)]:
        raise AssertionError("the KNOWS edges spliced from the last ingest's are not those computed file by file")


def _same_columns(mine: tuple, theirs: tuple) -> bool:
    """Equal, a NaN equal to a NaN (a reviewer's DOA)."""
    mine_doa, theirs_doa = mine[6]["doa"], theirs[6]["doa"]
    return (mine[:6] + mine[7:] == theirs[:6] + theirs[7:] and mine[6].keys() == theirs[6].keys()
            and all(mine[6][name] == theirs[6][name] for name in mine[6] if name != "doa")
            and mine_doa.tobytes() == theirs_doa.tobytes())


def _built(graph: RepoGraph, history: History, old: KnowledgeMemory | None, new: KnowledgeMemory,
           person_nodes: dict[int, Any], touched: set[int], slot: dict[str, int]) -> _Built:
    """Fill ``new`` with the KNOWS edges of every File node with history, in the graph's order: a file the new commits
    left alone (its path id and lineage not ``touched``, its lineage as ``old`` had it) copies its edges from ``old``,
    the others are computed from the records; ``changes`` set on every File node."""
    path_index, renamed = history.log.path_index, history.renamed_from
    columns, first, touch = new.columns, new.first, new.touch
    file_ids: list[str] = []
    entries = recomputed = 0  # entries so far, files computed again
    afresh: set[str] = set()
    before: set[tuple[str, str, str]] = set()
    fresh: list[tuple[int, int]] = []  # the entries of the files computed again: (first, how many)
    knows, person_label = Rel.KNOWS.value, Label.PERSON
    edges = _EdgeRows(history, person_nodes, columns, first, touch, new.ids, slot)
    plan = []  # per File node with history: the node, its id, path id, lineage, its last edges, whether they are kept
    file_label = Label.FILE
    for file_id, file_node in graph.nodes.items():  # (the id as the graph holds it: not made again per file)
        if file_node.label is not file_label:
            continue
        path = file_node.key
        pid = path_index.get(path)
        if pid is None:  # no commit names the path: no history
            file_node.props["changes"] = 0
            continue
        lineage = sorted(path_index[name] for name in history.lineage(path) if name in path_index) if path in renamed else None
        found = old.where(pid) if old is not None else None
        kept = found is not None and old is not None and old.lineage.get(pid) == lineage and touched.isdisjoint(lineage or (pid,))
        plan.append((file_node, file_id, pid, lineage, found, kept))
    # the files to compute with no rename history, all at once (their records in columns), a few thousand at a time
    credited = history.person_reviews  # (those files' records are folded with the credit decided by person: one by one)
    at_once = [pid for _, _, pid, lineage, _, kept in plan if not kept and lineage is None and pid not in credited
               ] if not history.records.changed else []
    chunks = [at_once[i:i + AT_ONCE] for i in range(0, len(at_once), AT_ONCE)]
    chunk_of = {pid: c for c, pids in enumerate(chunks) for pid in pids}
    computed: dict[int, tuple[int, int, int] | None] = {}
    current = -1  # the chunk ``computed`` holds
    run = ["", 0, 0]  # entries still to append in one piece: from the last ingest ("old") or computed ("new"), [start, stop)

    def append_run() -> None:
        kind, start, stop = run
        if kind == "old" and old is not None:
            _copy_entries(old, new, start, stop)
        elif stop > start and kind == "new":
            edges.copy(start, stop)
            new.author.extend(bytes(stop - start))  # worked out below (``_mark_authors``)
        run[:] = ["", 0, 0]

    def extend_run(kind: str, start: int, stop: int) -> None:
        if run[0] != kind or run[2] != start:
            append_run()
            run[:] = [kind, start, start]
        run[2] = stop

    for file_node, file_id, pid, lineage, found, kept in plan:
        if kept:
            start, n, changes = found  # what the last ingest computed: copied as it is
            extend_run("old", start, start + n)
        else:
            recomputed += 1
            afresh.add(file_id)
            if found is not None and old is not None:
                before.update((knows, node_id(person_label, graph.repo, person), file_id)
                              for person in old.people_at(found[0], found[1]))
            chunk = chunk_of.get(pid)
            if chunk is not None and chunk != current:
                append_run()  # (a run of computed edges is of one chunk)
                computed, current = dict(zip(chunks[chunk], edges.compute(history.records, chunks[chunk]))), chunk
            done = computed.get(pid) if chunk is not None else None
            if done is not None:
                changes, start, stop = done
                extend_run("new", start, stop)
                n = stop - start
            else:
                append_run()
                changes, n = edges.add(*history.person_records(file_node.key, pid))
                new.author.extend(bytes(n))
        file_node.props["changes"] = changes
        if not kept:
            fresh.append((entries, n))
        new.files.append(pid)
        new.changes.append(changes)
        new.count.append(n)
        entries += n
        file_ids.append(file_id)
        if lineage is not None:
            new.lineage[pid] = lineage
    append_run()
    return file_ids, [n.key for n, *_ in plan], fresh, afresh, before, recomputed


def add_knowledge(graph: RepoGraph, history: History) -> KnowsDelta | None:
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

    With ``history.state``, the edges of files the new commits left alone come from what the last ingest
    computed (``KnowledgeMemory``), when people resolve as they did then; the result then says which files'
    edges were computed afresh (``KnowsDelta``), else None. The Repository's ``knows_token`` names the edges built.
    """
    person_nodes: dict[int, Any] = {}
    for index, ph in enumerate(history.people):
        p = ph.person
        if ph.commits == 0 and ph.last_active is None:
            continue
        person_nodes[index] = graph.add_node(
            Label.PERSON, p.id, name=p.name, names=p.names, stray_names=p.stray_names, emails=p.emails,
            logins=p.logins, aliases=p.aliases,
            kind=p.kind, github=p.github, last_active=iso_time(ph.last_active), commits=ph.commits,
        )
    state = history.state
    people = _knowledge_people(history, person_nodes)
    old = KnowledgeMemory.from_json(state.analyses.get(KNOWLEDGE)) if state is not None and state.analyses.get(KNOWLEDGE) else None
    if old is not None and old.people != people[:len(old.people)]:
        old = None  # somebody resolves to another person, kind or node now: every file again
    new = KnowledgeMemory(people)
    new.ids = list(old.ids) if old is not None else []  # the person table only grows, so kept columns stay valid
    new.values = list(old.values) if old is not None else []  # (likewise, for the shapes copied)
    slot = {pid: i for i, pid in enumerate(new.ids)}
    touched = set(history.records.changed) | history.merges_touched
    if state is not None:
        # the state keeps the records in columns: folding the read in now (instead of when the state is saved) frees a
        # list per path and person before the change analyses allocate, and the edges below read the columns
        history.records.columns()
    built = _spliced(graph, history, old, new, person_nodes, touched, slot)
    if built is None:
        built = _built(graph, history, old, new, person_nodes, touched, slot)
    elif verifying_skips():
        _check_spliced(graph, history, old, new, person_nodes, touched, built)
    file_ids, file_keys, fresh, afresh, before, recomputed = built
    if len(new.values) > COMPACTED_VALUES + len(new.first) // 8:  # tuples no entry has any more, kept by earlier ingests
        new.values, new.shapes = [], array("i")
    _shapes_caught_up(new)
    # held unmade after a commit (the save and the answers read a few of them), built at once otherwise
    node_of, mark = _emit_knows(graph, new, file_ids, defer=old is not None)
    _mark_authors(new, node_of, fresh)
    if mark is not None:
        # (the columns it reads, not the memory: its other columns are freed once the history state is saved)
        _AUTHORSHIP[graph] = partial(_authorship, new.count, new.columns["doa"], new.columns["reviews"], new.author,
                                     new.columns["person"], node_of, file_keys, mark)
    same = old is not None and recomputed == 0 and len(new.files) == len(old.files)
    new.token = old.token if same and old is not None else os.urandom(8).hex()  # (as secrets.token_hex: not importing it and random)
    if state is not None:
        state.analyses[KNOWLEDGE] = new
        state.changed = state.changed or not same
    repo = graph.repository
    if repo is None:
        repo = graph.add_node(Label.REPOSITORY, graph.repo)
    existing = [n for n in (repo.get("history_notes") or []) if n not in history.notes]
    repo.props.update(
        commits=history.commits, merges=history.merges, agent_commits=history.agent_commits,
        bot_commits=history.bot_commits, squash_merged=history.squash_merged, shallow=history.shallow,
        newest_commit_at=iso_time(history.newest_commit_at),
        history_notes=existing + list(history.notes), identity_patterns=history.identity_patterns,
        history_complete=history.complete, history_completeness=dict(history.completeness),
        history_warnings=list(history.warnings), knows_token=new.token,
    )
    if old is None or old.token is None:
        return None  # no earlier edges to compare with: every edge is new
    # (a file of the earlier memory that is not in this one has no File node now, and its edges go with the node)
    after = frozenset(_fresh_keys(new, node_of, file_ids, fresh))
    return KnowsDelta(old.token, frozenset(afresh), frozenset(before), after)

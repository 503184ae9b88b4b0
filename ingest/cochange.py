"""Change over time from the one history pass: change coupling, change counts, the agent inventory.

``ChangeLog`` is an observer of ``ingest.history.mine_history``: it keeps every
commit of the stream in compact arrays (hash, first parent, times, identities,
the paths it changed), so nothing here walks the history a second time. Once
the pass is over, ``add_changes`` puts the results on the graph:

* **Change coupling** with code-maat's semantics (Tornhill; ``logical_coupling``
  and ``coupling_algos`` in adamtornhill/code-maat) over the log as it would
  read with every path renamed to its name at HEAD: a commit's change set is
  every path it names (adds, modifications, renames, deletions; a rename is one
  entry; a name re-used after its file was renamed away stands for both
  files); commits with more than ``max_changeset`` entries and merges are left
  out entirely; a file's *revisions* are the remaining commits touching it;
  ``shared`` is the remaining commits touching both files of a pair;
  ``degree = shared / ((revs a + revs b) / 2) × 100``; a pair is kept when the
  average revisions reach ``min_revs``, ``shared`` reaches ``min_shared`` and
  the degree reaches ``min_degree``. Renames are followed: every path a file
  had counts for the path it has at HEAD (``History.lineage``, so a rename
  chain is one file). Pairs are counted only between source files present at
  HEAD (File nodes), so skipped commits never cost more than their size and no
  n² matrix is built for them. The same computation over components (a commit
  touches a component when it touches one of its files) gives component pairs.
  Stored as ``File -CO_CHANGES-> File`` and ``Component -CO_CHANGES->
  Component`` (from the smaller key to the larger) with ``degree``, ``shared``,
  ``revs_a``, ``revs_b`` and ``imports`` (an import or a component dependency
  connects the two, either direction).
* **Change counts** per File: ``revisions`` (code-maat's count),
  ``change_days`` (the UTC day, days since 1970-01-01, of every non-merge
  commit touching it, any size, oldest first: hotspots over a window) and
  ``agent_changes`` (how many of those commits were agent-assisted: the
  knowledge map's agent share, over ``changes``, which ``ingest.knowledge``
  counts). ``lines`` comes from the parse (``ingest.pipeline``).
* **The agent inventory.** A commit is *agent-assisted* when its author, a
  co-author or reviewer trailer, or a message marker (``ingest.agent_markers``)
  is an agent. Agent Person nodes get ``assisted_commits``,
  ``assisted_components`` (most changed first), ``shepherds`` (person ids of
  the humans on those commits, as author, co-author, reviewer or committer;
  most frequent first), ``first_assisted``/``last_assisted``. Components get
  ``agent_share``: agent-assisted commits / all commits touching them in the
  last ``[agents] recent_days`` before the newest commit.

Times are commit (landing) times, UTC.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import combinations

from cairn.graph.changes import AgentSettings, CouplingSettings
from cairn.graph.model import Label, Rel, RepoGraph, node_id
from cairn.ingest.commits import CommitRecord
from cairn.ingest.knowledge import History
from cairn.ingest.identities import AGENT, HUMAN

_NO_CREDIT: tuple[int, ...] = ()
DAY = 86_400


class ChangeLog:
    """Every commit of the history stream, newest first (an observer for ``mine_history``).

    Keeps the ``CommitRecord`` objects as they come (pass ``log.records.append``
    as the observer: one append per commit is the cheapest observer; the log
    itself works too); ``freeze`` then lays them out as per-field sequences:
    hash, first parent, merge flag, author and commit times, raw author and
    credited identities, and the changes ((status, path, old path) tuples).
    """

    def __init__(self) -> None:
        self.records: list[CommitRecord] = []

    def __call__(self, record: CommitRecord) -> None:
        self.records.append(record)

    def freeze(self) -> "ChangeLog":
        records = self.records
        self.shas: list[str] = [r.sha for r in records]
        self.first_parent: list[str | None] = [r.parents[0] if r.parents else None for r in records]
        self.merge = bytearray(1 if len(r.parents) > 1 else 0 for r in records)
        self.authored = array("q", [r.authored for r in records])
        self.committed = array("q", [r.committed for r in records])
        self.author = array("i", [r.author for r in records])
        self.credited: list[tuple[int, ...] | list[int]] = [r.credited or _NO_CREDIT for r in records]
        self.changes: list[list[tuple[str, str, str | None]]] = [r.changes for r in records]
        return self

    def __len__(self) -> int:
        return len(self.records)


@dataclass
class CommitPeople:
    """Who was on each commit, as people (indexes into ``History.people``)."""

    agents: list[tuple[int, ...]]  # per commit: the agents on it (empty: not agent-assisted)
    humans: list[tuple[int, ...]]  # per commit: the humans on it (author, co-authors, reviewers, agent's committer)
    person_ids: list[str]
    kinds: list[str]

    def assisted(self, commit: int) -> bool:
        return bool(self.agents[commit])


def commit_people(log: ChangeLog, history: History) -> CommitPeople:
    person_of = history.identity_person
    kinds = [ph.person.kind for ph in history.people]
    ids = [ph.person.id for ph in history.people]
    agents: list[tuple[int, ...]] = []
    humans: list[tuple[int, ...]] = []
    none: tuple[int, ...] = ()
    for i in range(len(log)):
        if log.merge[i] or not person_of:
            agents.append(none)
            humans.append(none)
            continue
        on = [person_of[log.author[i]]] + [person_of[c] for c in log.credited[i]]
        agents.append(tuple(dict.fromkeys(p for p in on if kinds[p] == AGENT)) or none)
        humans.append(tuple(dict.fromkeys(p for p in on if kinds[p] == HUMAN)) or none)
    return CommitPeople(agents, humans, ids, kinds)


@dataclass
class FileIndex:
    """The File nodes (source files at HEAD) and which logged paths stand for each (renames followed)."""

    files: list[str]  # sorted paths
    component: list[str | None]
    #: a path as some commit named it -> indexes into ``files``
    of_path: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: names that stand for several files (a path re-used after its file was renamed away) -> how many more
    extra_rows: dict[str, int] = field(default_factory=dict)

    def changeset_size(self, changes: list[tuple[str, str, str | None]]) -> int:
        """The rows the commit has in a log rewritten to HEAD names: one per path, one per file a re-used name stands for."""
        size = len(changes)
        if self.extra_rows:
            extra = self.extra_rows
            size += sum(extra.get(path, 0) for _, path, _ in changes)
        return size

    def touched(self, changes: list[tuple[str, str, str | None]]) -> set[int]:
        out: set[int] = set()
        get = self.of_path.get
        for _, path, _ in changes:
            found = get(path)
            if found:
                out.update(found)
        return out


def file_index(graph: RepoGraph, history: History) -> FileIndex:
    nodes = sorted(graph.of_label(Label.FILE), key=lambda n: n.key)
    index = FileIndex([n.key for n in nodes], [n.get("component") for n in nodes])
    of_path: dict[str, list[int]] = {}
    for i, path in enumerate(index.files):
        for name in history.lineage(path):
            of_path.setdefault(name, []).append(i)
    index.of_path = {name: tuple(files) for name, files in of_path.items()}
    index.extra_rows = {name: len(files) - 1 for name, files in of_path.items() if len(files) > 1}
    return index


@dataclass
class CouplingCounts:
    revisions: list[int]  # per file
    pairs: dict[int, int]  # a * n + b (a < b) -> shared
    component_revisions: Counter
    component_pairs: Counter  # (a, b) with a < b -> shared


def count_coupling(log: ChangeLog, index: FileIndex, settings: CouplingSettings,
                   touched: list[set[int]] | None = None) -> CouplingCounts:
    """code-maat's counts: revisions and shared revisions over the commits within ``max_changeset``."""
    n = len(index.files)
    revisions = [0] * n
    pairs: dict[int, int] = {}
    comp_revs: Counter = Counter()
    comp_pairs: Counter = Counter()
    component = index.component
    limit = settings.max_changeset
    get = pairs.get
    for i, changes in enumerate(log.changes):
        size = index.changeset_size(changes)
        if size == 0 or size > limit or log.merge[i]:
            continue
        files = touched[i] if touched is not None else index.touched(changes)
        if not files:
            continue
        for f in files:
            revisions[f] += 1
        if len(files) > 1:
            for a, b in combinations(sorted(files), 2):
                key = a * n + b
                pairs[key] = get(key, 0) + 1
        comps = sorted({component[f] for f in files if component[f]})
        comp_revs.update(comps)
        if len(comps) > 1:
            comp_pairs.update(combinations(comps, 2))
    return CouplingCounts(revisions, pairs, comp_revs, comp_pairs)


def coupled(shared: int, revs_a: int, revs_b: int, settings: CouplingSettings) -> float | None:
    """The degree of a pair if it passes the thresholds, else None (code-maat's ``within-threshold?``)."""
    if shared < settings.min_shared:
        return None
    average = (revs_a + revs_b) / 2
    if average < settings.min_revs or average == 0:
        return None
    degree = 100.0 * shared / average
    return degree if degree >= settings.min_degree else None


def add_coupling(graph: RepoGraph, index: FileIndex, counts: CouplingCounts, settings: CouplingSettings) -> int:
    """CO_CHANGES edges for the pairs within the thresholds; returns how many file pairs."""
    repo = graph.repo
    files = index.files
    n = len(files)
    revs = counts.revisions
    module_of = {}
    for node in graph.of_label(Label.FILE):
        module_of[node.key] = node.get("module")
    imports: set[tuple[str, str]] = set()
    for e in graph.of_type(Rel.IMPORTS):
        imports.add((e.source, e.target))
    kept = 0
    for key, shared in counts.pairs.items():
        if shared < settings.min_shared:
            continue
        a, b = divmod(key, n)
        degree = coupled(shared, revs[a], revs[b], settings)
        if degree is None:
            continue
        ma, mb = module_of.get(files[a]), module_of.get(files[b])
        ida = node_id(Label.MODULE, repo, ma) if ma else None
        idb = node_id(Label.MODULE, repo, mb) if mb else None
        linked = bool(ida and idb and ida != idb and ((ida, idb) in imports or (idb, ida) in imports))
        graph.add_edge(
            Rel.CO_CHANGES, node_id(Label.FILE, repo, files[a]), node_id(Label.FILE, repo, files[b]),
            degree=round(degree, 1), shared=shared, revs_a=revs[a], revs_b=revs[b], imports=linked,
            same_module=bool(ma and ma == mb),
        )
        kept += 1
    depends = {(e.source, e.target) for e in graph.of_type(Rel.DEPENDS_ON)}
    for (a, b), shared in sorted(counts.component_pairs.items()):
        ra, rb = counts.component_revisions[a], counts.component_revisions[b]
        degree = coupled(shared, ra, rb, settings)
        if degree is None:
            continue
        ida, idb = node_id(Label.COMPONENT, repo, a), node_id(Label.COMPONENT, repo, b)
        if ida not in graph.nodes or idb not in graph.nodes:
            continue
        graph.add_edge(Rel.CO_CHANGES, ida, idb, degree=round(degree, 1), shared=shared, revs_a=ra, revs_b=rb,
                       imports=(ida, idb) in depends or (idb, ida) in depends)
    return kept


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")


def add_change_counts(graph: RepoGraph, log: ChangeLog, index: FileIndex, counts: CouplingCounts,
                      touched: list[set[int]], people: CommitPeople) -> None:
    days: list[list[int]] = [[] for _ in index.files]
    assisted = [0] * len(index.files)
    for i in range(len(log) - 1, -1, -1):  # oldest first
        if log.merge[i]:
            continue
        day = log.committed[i] // DAY
        by_agent = people.assisted(i)
        for f in touched[i]:
            days[f].append(day)
            assisted[f] += by_agent
    repo = graph.repo
    for i, path in enumerate(index.files):
        node = graph.nodes[node_id(Label.FILE, repo, path)]
        node.props.update(revisions=counts.revisions[i], change_days=days[i], agent_changes=assisted[i])


def add_agent_inventory(graph: RepoGraph, log: ChangeLog, index: FileIndex, people: CommitPeople,
                        touched: list[set[int]], settings: AgentSettings) -> int:
    """Agent Person and Component properties (see the module docstring); returns the agent-assisted commits."""
    repo = graph.repo
    newest = max(log.committed) if len(log) else 0
    recent_from = newest - settings.recent_days * DAY
    per_agent: dict[int, dict] = {}
    recent_commits: Counter = Counter()
    recent_assisted: Counter = Counter()
    assisted_total = 0
    component = index.component
    for i in range(len(log)):
        if log.merge[i]:
            continue
        comps = {component[f] for f in touched[i] if component[f]}
        agents = people.agents[i]
        when = log.committed[i]
        if when >= recent_from:
            recent_commits.update(comps)
            if agents:
                recent_assisted.update(comps)
        if not agents:
            continue
        assisted_total += 1
        for agent in agents:
            info = per_agent.get(agent)
            if info is None:
                info = per_agent[agent] = {"commits": 0, "components": Counter(), "humans": Counter(), "first": when, "last": when}
            info["commits"] += 1
            info["components"].update(comps)
            info["humans"].update(people.humans[i])
            info["first"] = min(info["first"], when)
            info["last"] = max(info["last"], when)
    for agent, info in per_agent.items():
        node = graph.node(Label.PERSON, people.person_ids[agent])
        if node is None:
            continue
        node.props.update(
            assisted_commits=info["commits"],
            assisted_components=[c for c, _ in sorted(info["components"].items(), key=lambda kv: (-kv[1], kv[0]))],
            shepherds=[people.person_ids[h] for h, _ in sorted(info["humans"].items(), key=lambda kv: (-kv[1], people.person_ids[kv[0]]))],
            first_assisted=_iso(info["first"]), last_assisted=_iso(info["last"]),
        )
    for node in graph.of_label(Label.COMPONENT):
        total = recent_commits.get(node.key, 0)
        assisted = recent_assisted.get(node.key, 0)
        node.props.update(recent_commits=total, recent_agent_commits=assisted,
                          agent_share=round(assisted / total, 4) if total else None)
    repository = graph.repository
    if repository is not None:
        repository.props.update(agent_assisted_commits=assisted_total, agent_recent_days=settings.recent_days)
    return assisted_total


@dataclass
class ChangeResult:
    people: CommitPeople
    index: FileIndex
    touched: list[set[int]]
    file_pairs: int
    assisted_commits: int


def add_changes(graph: RepoGraph, log: ChangeLog, history: History, coupling: CouplingSettings,
                agents: AgentSettings) -> ChangeResult:
    """Coupling, change counts and the agent inventory on ``graph``, from the commits ``log`` observed."""
    log.freeze()
    index = file_index(graph, history)
    touched = [index.touched(changes) for changes in log.changes]
    counts = count_coupling(log, index, coupling, touched)
    pairs = add_coupling(graph, index, counts, coupling)
    people = commit_people(log, history)
    add_change_counts(graph, log, index, counts, touched, people)
    assisted = add_agent_inventory(graph, log, index, people, touched, agents)
    repository = graph.repository
    if repository is not None:
        repository.props["coupling_settings"] = coupling.model_dump()
    return ChangeResult(people, index, touched, pairs, assisted)

"""Change over time from the one history pass: change coupling, change counts, the agent inventory.

``ingest.history.mine_history`` keeps every commit of the one history pass in
``History.log`` (``commits.CommitLog``: hash, first parent, times,
identities, the paths it changed), so nothing here walks the history a second
time. Once the pass is over, ``add_changes`` puts the results on the graph:

* **Change coupling** with code-maat's semantics (Tornhill; ``logical_coupling``
  and ``coupling_algos`` in adamtornhill/code-maat) over the log as it would
  read with every path renamed to its name at HEAD: a commit's change set is
  every path it names (adds, modifications, renames, deletions; a rename is one
  entry; a logged name that stands for two files at HEAD, one file renamed
  apart on two branches, say, is one entry for each); commits with more than
  ``max_changeset`` entries, merges and bot-only commits (below) are left out
  entirely; a file's *revisions* are the remaining commits touching it;
  ``shared`` is the remaining commits touching both files of a pair;
  ``degree = shared / ((revs a + revs b) / 2) × 100``; a pair is kept when the
  average revisions reach ``min_revs``, ``shared`` reaches ``min_shared`` and
  the degree reaches ``min_degree``. Renames are followed: every path a file
  had counts for the path it has at HEAD (``History.lineage``, so a rename
  chain is one file, and a path used again after its file was renamed away is
  two: ``ingest.history``'s renames). Pairs are counted only between source
  files present at HEAD (File nodes), so skipped commits never cost more than
  their size and no n² matrix is built for them. The same computation over components (a commit
  touches a component when it touches one of its files) gives component pairs.
  Stored as ``File -CO_CHANGES-> File`` and ``Component -CO_CHANGES->
  Component`` (from the smaller key to the larger) with ``degree``, ``shared``,
  ``revs_a``, ``revs_b`` and ``imports`` (an import or a component dependency
  connects the two, either direction).
* **Change counts** per File: ``revisions`` (code-maat's count),
  ``change_days`` (the UTC day, days since 1970-01-01, of every commit
  touching it, any size, neither a merge nor bot-only, oldest first: hotspots
  over a window) and
  ``agent_changes`` (how many of those commits were agent-assisted: the
  knowledge map's agent share, over ``changes``, which ``ingest.knowledge``
  counts). ``lines`` comes from the parse (``ingest.pipeline``).
* **Bots' commits are not changes here.** A *bot-only* commit
  (``commit_people.bot_only``: a bot authored it and no human or agent is
  credited on it as co-author, reviewer or marked agent; the committer is not
  asked) counts in no file's ``revisions`` or ``change_days`` and in no file or
  component pair: Dependabot's and Renovate's bumps, github-actions'
  regenerated reports (argo-cd's ``docs/snyk/*.html``, 141 of their 143
  commits), a release bot's version bumps are not where people's change
  concentrates, and pairs of files a bot rewrites together are couplings no
  person chose. A bot's commit with a human or agent co-author counts. Agent
  commits count (``agent_changes`` is their share). What counts all commits
  stays as it was: the agent share's window below (its denominator is the
  component's commits, a bot's among them) and the trends' activity
  (``ingest.trend_activity``); the knowledge (``ingest.knowledge``: a bot is
  never a knowledge holder, and ``changes`` there is every commit touching the
  file).
* **The agent inventory.** A commit is *agent-assisted* when its author, a
  co-author or reviewer trailer, or a message marker (``ingest.agent_markers``)
  is an agent. Agent Person nodes get ``assisted_commits``,
  ``assisted_components`` (most changed first), ``shepherds`` (person ids of
  the humans on those commits, as author, co-author, reviewer or committer;
  most frequent first), ``first_assisted``/``last_assisted``. Components get
  ``agent_share``: agent-assisted commits / all commits touching them in the
  last ``[agents] recent_days`` before the newest commit.

Times are commit (landing) times, UTC.

Between ingests. The counts are kept in the history state (``ChangeMemory``:
per commit whether code-maat counts it and whether an agent was on it, per file
the commits touching it, the pairs with at least ``min_shared`` shared
revisions, the component counts, the agents). A re-ingest whose new commits
come after the remembered ones adds them to the counts, when the settings, the
people every remembered identity resolves to and the mapping of every logged
path to files and components are what they were; a pair the new commits touch
that was not kept is counted again from the two files' commit lists; new
commits placed among remembered ones take back those past them
(``change_take_back``). Otherwise (a rename or deletion of a file with history,
a changed component, a merged alias, other settings) every remembered commit is
counted again, still without reading git.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter, deque
from itertools import accumulate, compress, repeat
from operator import attrgetter, setitem, sub
from typing import TYPE_CHECKING, Any, Collection, Iterable

from cairn.graph.model import Label, Rel, RepoGraph, node_id
from cairn.graph.store import verifying_skips
from cairn.ingest.change_count import DAY, FirstCount, count_commits
from cairn.ingest.change_take_back import take_back
from cairn.ingest.commit_people import NOBODY, CommitPeople, bot_only
from cairn.ingest.commits import PAIR, CommitLog
from cairn.ingest.history_state import Ragged, Texts
from cairn.ingest.identities import AGENT, HUMAN
from cairn.ingest.knowledge import History
from cairn.ingest.knowledge_rows import iso_time

if TYPE_CHECKING:
    from cairn.graph.changes import AgentSettings, CouplingSettings

MEMORY = "changes"
#: bumped when what ``ChangeMemory`` keeps changes meaning
MEMORY_VERSION = 4


class FileIndex:
    """The File nodes (source files at HEAD) and which logged paths stand for each (renames followed)."""

    files: list[str]  # sorted paths
    component: list[str | None]
    #: a path as some commit named it (a ``CommitLog`` path id) -> indexes into ``files``
    of_path: dict[int, tuple[int, ...]]
    #: names that stand for several files (one file renamed apart on two branches) -> how many more
    extra_rows: dict[int, int]
    #: the ``CommitLog`` path id of each file (None: a path no commit names)
    pid: list[int | None]
    nodes: list[Any]  # the File nodes

    def __init__(self, files: list[str], component: list[str | None],
                 of_path: dict[int, tuple[int, ...]] | None = None, extra_rows: dict[int, int] | None = None,
                 pid: list[int | None] | None = None, nodes: list[Any] | None = None) -> None:
        self.files = files
        self.component = component
        self.of_path = {} if of_path is None else of_path
        self.extra_rows = {} if extra_rows is None else extra_rows
        self.pid = [] if pid is None else pid
        self.nodes = [] if nodes is None else nodes

    def changeset_size(self, paths: list[int]) -> int:
        """The rows the commit has in a log rewritten to HEAD names: one per path, one per file a name stands for."""
        size = len(paths)
        if self.extra_rows:
            extra = self.extra_rows
            size += sum(extra.get(path, 0) for path in paths)
        return size

    def touched(self, paths: list[int]) -> set[int]:
        out: set[int] = set()
        get = self.of_path.get
        for path in paths:
            found = get(path)
            if found:
                out.update(found)
        return out


_KEY, _PROPS = attrgetter("key"), attrgetter("props")


def file_index(graph: RepoGraph, history: History) -> FileIndex:
    nodes = sorted(graph.of_label(Label.FILE), key=_KEY)
    known = history.log.path_index
    files = list(map(_KEY, nodes))
    index = FileIndex(files, list(map(dict.get, map(_PROPS, nodes), repeat("component"))), pid=list(map(known.get, files)),
                      nodes=nodes)
    of_path: dict[int, list[int]] = {}
    renamed = history.renamed_from
    for i, path in enumerate(index.files):
        for name in (history.lineage(path) if path in renamed else (path,)):
            pid = known.get(name)
            if pid is not None:
                of_path.setdefault(pid, []).append(i)
    index.of_path = {pid: tuple(files) for pid, files in of_path.items()}
    index.extra_rows = {pid: len(files) - 1 for pid, files in of_path.items() if len(files) > 1}
    return index


class CommitView(CommitPeople):
    """What each commit means for the analyses: its files (at HEAD), its size, who was on it (as people).

    Components and people are worked out once per commit and kept, for every analysis that asks
    (``count_commits`` keeps the components of every commit it counts), each distinct tuple once.
    """

    def __init__(self, log: CommitLog, index: FileIndex, history: History):
        super().__init__(log, history)
        self.index = index
        self._components: list[tuple[str, ...] | None] = [None] * len(log)  # per position, None: not yet known

    def files(self, position: int) -> set[int]:  # at HEAD
        return self.index.touched(self.log.path_changes(position))

    def components(self, position: int) -> tuple[str, ...]:
        """The components of the files a commit touches, sorted."""
        found = self._components[position]
        if found is None:
            component = self.index.component
            found = tuple(sorted({component[f] for f in self.files(position) if component[f]}))
            found = self._components[position] = self._shared.setdefault(found, found)  # type: ignore[assignment]
        return found

    def components_at(self, positions: Iterable[int]) -> list[tuple[str, ...]]:
        """``components`` of each position (those ``count_commits`` counted are kept: a lookup each)."""
        known = list(map(self._components.__getitem__, positions))
        if None in known:
            known = [found if found is not None else self.components(p) for p, found in zip(positions, known)]
        return known

    def people_at(self, positions: Iterable[int]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """``people`` of each position (kept ones: a lookup each)."""
        known = list(map(self._people.__getitem__, positions))
        if None in known:
            known = [found if found is not None else self.people(p) for p, found in zip(positions, known)]
        return known

    def people_from(self, start: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """``people`` of every position from ``start`` on, worked out for all at once (and kept as ``people`` keeps
        them): a commit with nobody credited besides its author is its author's (agent or human, as a person)."""
        log, person_of, kinds, shared = self.log, self.person_of, self.kinds, self._shared
        n = len(log)
        if not person_of:
            return [(NOBODY, NOBODY)] * (n - start)
        alone = []  # per raw identity: the people on a commit it authored alone
        for person in person_of:
            kind = kinds[person]
            on = ((person,), NOBODY) if kind == AGENT else (NOBODY, (person,)) if kind == HUMAN else (NOBODY, NOBODY)
            alone.append(shared.setdefault(on, on))
        found = list(map(alone.__getitem__, log.author[start:n]))
        ends = log.credited_end
        credited = map(sub, ends[start:n], [ends[start - 1] if start else 0, *ends[start:n - 1]])
        for p in compress(range(start, n), credited):
            self._people[p] = None
            found[p - start] = self.people(p)
        self._people[start:n] = found
        for p in compress(range(start, n), log.merge[start:n]):
            found[p - start] = (NOBODY, NOBODY)  # as ``people`` says of a merge (and does not keep)
            self._people[p] = None
        return found


class ChangeMemory:
    """What the change analyses remember between ingests, to add new commits to instead of counting again.

    Per commit (by log position): ``eligible`` (code-maat counts it) and ``assisted`` (an agent was on it).
    Per file (by the log path id of its path): ``touch``, the commits touching it (neither merges nor bot-only),
    oldest first, and what follows from them (``revisions``, ``days``, ``agent_changes``). ``pairs``: file pairs with at
    least ``min_shared`` shared revisions; component revisions and pairs; per agent (person id) its commits,
    components, humans, first and last; the agent-assisted commits. Valid under the settings, the people
    (raw identity -> person id and kind) and the mapping of logged paths to files and components it was
    counted with, all kept with it (``reusable``).
    """

    def __init__(self, settings: dict, people: list[list[str]], mapping: dict[str, Any]):
        self.settings, self.people = settings, people
        self.mapping = mapping  # {"paths": number of paths then, "of_path": Ragged, "files": [pid], "components": [...]}
        self.eligible, self.assisted = bytearray(), bytearray()
        self.touch, self.days = Ragged("i"), Ragged("i")
        self.revisions: dict[int, int] = {}
        self.agent_changes: dict[int, int] = {}
        #: file pairs (a, b: log path ids, a's path before b's) as ``a << 32 | b``, sorted, with their shared revisions;
        #: the same keys as ``b << 32 | a`` (sorted: a file's pairs as the second one)
        self.pair_key, self.pair_shared, self.pair_rkey = array("q"), array("i"), array("q")
        self.passing: list[int] = []  # the pair keys within the thresholds at the last count
        self.component_revisions, self.component_pairs = Counter(), Counter()
        self.agents: dict[str, dict[str, Any]] = {}
        self.assisted_total, self.commits = 0, 0  # commits: how many log positions are counted
        #: the newest commit time of the positions counted, and the first position in the agent inventory's window
        #: then (``add_agent_inventory``); None: not known (a state written before they were kept)
        self.newest: int | None = None
        self.window_start: int | None = None
        #: the commits and the agent-assisted ones per component in that window (``add_agent_inventory``); None: not known
        self.recent: tuple[Counter, Counter] | None = None

    def shared(self, key: int) -> int | None:
        i = bisect_left(self.pair_key, key)
        return self.pair_shared[i] if i < len(self.pair_key) and self.pair_key[i] == key else None

    def set_shared(self, key: int, shared: int) -> None:
        i = bisect_left(self.pair_key, key)
        if i < len(self.pair_key) and self.pair_key[i] == key:
            self.pair_shared[i] = shared
            return
        self.pair_key.insert(i, key)
        self.pair_shared.insert(i, shared)
        rkey = (key % PAIR) * PAIR + key // PAIR
        self.pair_rkey.insert(bisect_left(self.pair_rkey, rkey), rkey)

    def pairs_of(self, pid: int) -> list[int]:
        """The keys of every pair ``pid`` is in."""
        start = bisect_left(self.pair_key, pid * PAIR)
        out = self.pair_key[start:bisect_left(self.pair_key, (pid + 1) * PAIR, start)].tolist()
        start = bisect_left(self.pair_rkey, pid * PAIR)
        for rkey in self.pair_rkey[start:bisect_left(self.pair_rkey, (pid + 1) * PAIR, start)]:
            b, a = divmod(rkey, PAIR)
            out.append(a * PAIR + b)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "version": MEMORY_VERSION, "settings": self.settings, "people": self.people, "mapping": self.mapping,
            "eligible": self.eligible, "assisted": self.assisted, "touch": self.touch, "days": self.days,
            "revisions": array("i", [x for kv in sorted(self.revisions.items()) for x in kv]),
            "agent_changes": array("i", [x for kv in sorted(self.agent_changes.items()) for x in kv]),
            "pair_key": self.pair_key, "pair_shared": self.pair_shared, "pair_rkey": self.pair_rkey,
            "passing": array("q", self.passing),
            "component_revisions": sorted(self.component_revisions.items()),
            **_component_pairs_columns(self.component_pairs),
            "agents": self.agents, "assisted_total": self.assisted_total, "commits": self.commits,
            "newest": self.newest, "window_start": self.window_start,
            "recent": None if self.recent is None else [sorted(counts.items()) for counts in self.recent],
        }

    @classmethod
    def from_json(cls, data: Any) -> "ChangeMemory | None":
        """The remembered counts, or None when they are not this version's (or not counts at all)."""
        try:
            if data.get("version") != MEMORY_VERSION:
                return None
            memory = cls(dict(data["settings"]), [list(p) for p in data["people"]], dict(data["mapping"]))
            if not isinstance(memory.mapping.get("of_path"), Ragged):
                return None
            memory.eligible, memory.assisted = bytearray(data["eligible"]), bytearray(data["assisted"])
            memory.touch, memory.days = data["touch"], data["days"]
            if not isinstance(memory.touch, Ragged) or not isinstance(memory.days, Ragged):
                return None
            revisions, agent_changes = data["revisions"], data["agent_changes"]
            memory.revisions = dict(zip(revisions[::2], revisions[1::2]))
            memory.agent_changes = dict(zip(agent_changes[::2], agent_changes[1::2]))
            memory.pair_key, memory.pair_shared, memory.pair_rkey = data["pair_key"], data["pair_shared"], data["pair_rkey"]
            memory.passing = data["passing"].tolist()
            if not (len(memory.pair_key) == len(memory.pair_shared) == len(memory.pair_rkey)):
                return None
            memory.component_revisions = Counter({str(c): int(n) for c, n in data["component_revisions"]})
            memory.component_pairs = _component_pairs_read(data)
            memory.agents = {str(k): v for k, v in data["agents"].items()}
            memory.assisted_total, memory.commits = int(data["assisted_total"]), int(data["commits"])
            newest, start = data.get("newest"), data.get("window_start")
            if type(newest) is int and type(start) is int and 0 <= start <= memory.commits:
                memory.newest, memory.window_start = newest, start
                recent = data.get("recent")
                if recent is not None:
                    commits, assisted = (Counter({str(c): int(n) for c, n in counts}) for counts in recent)
                    memory.recent = commits, assisted
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            return None
        if len(memory.eligible) != memory.commits or len(memory.assisted) != memory.commits:
            return None
        return memory


def _component_pairs_columns(pairs: Counter) -> dict[str, Any]:
    """The component pairs in columns: their names once (``Texts``) and per pair the two names' indexes and the count
    (45,000 pairs at 50k files were 1.8 MB of the state's JSON header, a third of the time it took to parse)."""
    names = Texts(sorted({name for pair in pairs for name in pair}))
    at = {name: i for i, name in enumerate(names)}
    ordered = sorted(pairs.items())
    return {"component_names": names, "component_a": array("i", [at[a] for (a, _), _ in ordered]),
            "component_b": array("i", [at[b] for (_, b), _ in ordered]), "component_n": array("i", [n for _, n in ordered])}


def _component_pairs_read(data: dict) -> Counter:
    names, a, b, n = data["component_names"], data["component_a"], data["component_b"], data["component_n"]
    if not (len(a) == len(b) == len(n)) or not all(isinstance(c, array) for c in (a, b, n)):
        raise ValueError("component pairs")
    if len(a) and (min(min(a), min(b)) < 0 or max(max(a), max(b)) >= len(names)):
        raise IndexError("component pairs")
    return Counter(dict(zip(zip(map(names.__getitem__, a), map(names.__getitem__, b)), n.tolist())))


def _settings(coupling: CouplingSettings, agents: AgentSettings) -> dict:
    return {"coupling": coupling.model_dump(), "recent_days": agents.recent_days}


def _people(history: History) -> list[list[str]]:
    return [[history.people[p].person.id, history.people[p].person.kind] for p in history.identity_person]


def _mapping(index: FileIndex, paths: int) -> dict[str, Any]:
    of_path = Ragged("i")  # written in columns directly: a count per path id, the files' path ids in path order
    files, found_of = index.pid, index.of_path
    keys = sorted(found_of)
    counts, values = array("i", bytes(4 * (keys[-1] + 1)) if keys else b""), array("i")
    for pid in keys:
        found = found_of[pid]
        counts[pid] = len(found)
        if len(found) == 1:
            values.append(files[found[0]])  # type: ignore[arg-type]
        else:
            values.extend(sorted(files[f] for f in found))  # type: ignore[misc]
    of_path.counts, of_path.values = counts, values
    return {"paths": paths, "of_path": of_path, "files": [p if p is not None else -1 for p in files],
            "components": list(index.component)}


def reusable(memory: ChangeMemory, settings: dict, people: list[list[str]], mapping: dict[str, Any],
             history: History) -> bool:
    """Whether counts kept under ``memory``'s settings, people and mapping are exact for this ingest's new commits
    (those past ``History.kept_prefix`` still to be taken back, ``change_take_back``)."""
    if history.kept_prefix is None or memory.commits != (history.remembered or (-1,))[0] or memory.settings != settings \
            or memory.people != people[:len(memory.people)]:  # or somebody resolves to another person (or kind) now
        return False
    old, new, old_of, new_of = memory.mapping, mapping, memory.mapping["of_path"], mapping["of_path"]
    if old_of.counts != new_of.counts or old_of.values != new_of.values:  # the same files as before: nothing to compare
        known = int(old["paths"])
        for pid in set(old_of.keys()) | {pid for pid in new_of.keys() if pid < known}:
            if old_of.get(pid) != new_of.get(pid):
                return False  # a logged path stands for other files now (renamed, deleted, re-added)
    if (old["files"], old["components"]) != (new["files"], new["components"]):
        then, now = dict(zip(old["files"], old["components"])), dict(zip(new["files"], new["components"]))
        if not all(then.get(f) == now.get(f) for pid in old_of.keys() for f in old_of.get(pid)):
            return False
    return True


def coupled(shared: int, revs_a: int, revs_b: int, settings: CouplingSettings) -> float | None:
    """The degree of a pair if it passes the thresholds, else None (code-maat's ``within-threshold?``)."""
    if shared < settings.min_shared:
        return None
    average = (revs_a + revs_b) / 2
    if average < settings.min_revs or average == 0:
        return None
    degree = 100.0 * shared / average
    return degree if degree >= settings.min_degree else None


def add_coupling(graph: RepoGraph, index: FileIndex, memory: ChangeMemory, paths: list[str],
                 settings: CouplingSettings, changed: set[int] | None) -> int:
    """CO_CHANGES edges for the pairs within the thresholds; returns how many file pairs.

    ``changed``: the files whose revisions changed since ``memory.passing`` was found (None: every pair is looked at).
    """
    # (what is looked up below: by key, so that edges not made yet stay so, ``graph.model.RepoGraph``)
    repo, nodes, has_edge = graph.repo, graph.nodes, graph.has_edge
    revisions = memory.revisions
    if changed is None:
        candidates, shares = memory.pair_key.tolist(), memory.pair_shared.tolist()
    else:
        candidates = set(memory.passing)
        for pid in changed:
            candidates.update(memory.pairs_of(pid))
        candidates = sorted(candidates)
        shares = list(map(memory.shared, candidates))
    passing = []
    least = settings.min_shared  # (``coupled`` turns down a pair under it first: those are not looked at)
    for key, shared in zip(candidates, shares):
        if shared is not None and shared >= least:
            a, b = divmod(key, PAIR)
            if coupled(shared, revisions.get(a, 0), revisions.get(b, 0), settings) is not None:
                passing.append(key)
    memory.passing = passing
    files, file_nodes = index.files, index.nodes
    if len(passing) * 8 < len(files):  # a few pairs (after a commit, 300 at 10k files): their files looked up alone

        def module_of(path: str) -> str | None:
            i = bisect_left(files, path)
            return file_nodes[i].get("module") if i < len(files) and files[i] == path else None
    else:
        module_of = {path: node.get("module") for path, node in zip(files, file_nodes)}.get  # type: ignore[assignment]

    for key in passing:
        a, b = divmod(key, PAIR)
        shared = memory.shared(key) or 0
        ra, rb = revisions.get(a, 0), revisions.get(b, 0)
        degree = coupled(shared, ra, rb, settings) or 0.0
        ma, mb = module_of(paths[a]), module_of(paths[b])
        ida = node_id(Label.MODULE, repo, ma) if ma else None
        idb = node_id(Label.MODULE, repo, mb) if mb else None
        linked = bool(ida and idb and ida != idb and (
            has_edge(("IMPORTS", ida, idb)) or has_edge(("IMPORTS", idb, ida))))
        graph.add_edge(
            Rel.CO_CHANGES, node_id(Label.FILE, repo, paths[a]), node_id(Label.FILE, repo, paths[b]),
            degree=round(degree, 1), shared=shared, revs_a=ra, revs_b=rb, imports=linked, same_module=bool(ma and ma == mb),
        )
    # (the pairs ``coupled`` would turn down for their shared commits alone left out before the sort: 77,000 component
    # pairs at 50k files, 2,600 of them with min_shared; the others are met in the same order)
    for (a, b), shared in sorted(pair for pair in memory.component_pairs.items() if pair[1] >= least):
        ra, rb = memory.component_revisions[a], memory.component_revisions[b]
        degree = coupled(shared, ra, rb, settings)
        if degree is None:
            continue
        ida, idb = node_id(Label.COMPONENT, repo, a), node_id(Label.COMPONENT, repo, b)
        if ida not in nodes or idb not in nodes:
            continue
        graph.add_edge(Rel.CO_CHANGES, ida, idb, degree=round(degree, 1), shared=shared, revs_a=ra, revs_b=rb,
                       imports=has_edge(("DEPENDS_ON", ida, idb)) or has_edge(("DEPENDS_ON", idb, ida)))
    return len(passing)


class _OneDay(dict):
    """Day -> the one int object that stands for it."""

    def __missing__(self, day: int) -> int:
        self[day] = day
        return day


class _Held:
    """What stands for a File's ``change_days`` while they are held unmade (``RepoGraph.hold_props``): neither JSON
    nor marshal takes it, so a store that serialised or digested a node before making them fails rather than stores
    something else."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<change_days held>"


HELD_DAYS = _Held()


class _Days:
    """Each file's ``change_days`` (by its index in ``FileIndex.files``), read from the memory's columns of days."""

    def __init__(self, index: FileIndex, memory: ChangeMemory):
        columns = memory.days.columns()  # (the state writes them so anyway; columns are replaced, never changed in place)
        counts, self.values = columns["counts"], columns["values"]
        # day -> its int object: not a million 32-byte ints at 50k files, held to the ingest's end (a day met again is
        # a lookup in C, one int object made per entry read and let go: a third faster than ``setdefault(day, day)``);
        # a file's days read from its slice of the column, not from a list of every entry (18 MB more at 50k files,
        # at the peak of a cold ingest)
        self.day = _OneDay().__getitem__
        self.starts = starts = list(accumulate(counts, initial=0))
        known = len(counts)
        starts.append(starts[-1])  # (at ``known``: no day, for a path with no commit)
        self.at = [known if pid is None or pid >= known else pid for pid in index.pid]

    def of(self, files: Iterable[int]) -> Iterable[list[int]]:
        """The days of ``files`` (indexes into ``FileIndex.files``), in their order, a new list each."""
        starts, at = self.starts, list(map(self.at.__getitem__, files))
        spans = map(slice, map(starts.__getitem__, at), map(starts.__getitem__, map((1).__add__, at)))
        # (copied, which makes a list at its size: one made from a map holds room to grow by an eighth, 2 MB at 50k
        # files)
        return map(list.copy, map(list, map(map, repeat(self.day), map(self.values.__getitem__, spans))))


def add_change_counts(graph: RepoGraph, index: FileIndex, memory: ChangeMemory, held: bool = False) -> None:
    """``revisions``, ``change_days`` and ``agent_changes`` on every File node (a day is one int in every list).

    ``held``: ``change_days`` are held unmade (``RepoGraph.hold_props``; ``HELD_DAYS`` in their place, so each node's
    properties keep their order) and made for the nodes a store asks for; only a reader of whole nodes needs them
    (``queries.hotspots`` reads them from the store), and after a commit a save reads a few hundred File nodes of
    tens of thousands. ``CAIRN_VERIFY_SKIPS=1`` makes every file's days at once too, and checks those made later
    against them."""
    revisions, agent_changes = memory.revisions.get, memory.agent_changes.get
    days = _Days(index, memory)
    # set in this order on each file, a property at a time over the files in C: no dict of keywords, no Python step per
    # file and property
    props, pids = list(map(_PROPS, index.nodes)), index.pid
    deque(map(setitem, props, repeat("revisions"), map(revisions, pids, repeat(0))), maxlen=0)
    if held:
        deque(map(setitem, props, repeat("change_days"), repeat(HELD_DAYS)), maxlen=0)
        graph.hold_props(_DaysMaker(graph.repo, index, days, props).make)
    else:
        deque(map(setitem, props, repeat("change_days"), days.of(range(len(props)))), maxlen=0)
    deque(map(setitem, props, repeat("agent_changes"), map(agent_changes, pids, repeat(0))), maxlen=0)


class _DaysMaker:
    """Makes the held ``change_days`` of File nodes when a store asks (``add_change_counts``)."""

    def __init__(self, repo: str, index: FileIndex, days: _Days, props: list[dict[str, Any]]):
        self.prefix, self.files, self.days, self.props = node_id(Label.FILE, repo, ""), index.files, days, props
        self.expected = list(days.of(range(len(props)))) if verifying_skips() else None

    def make(self, ids: Collection[str] | None) -> None:
        files, props = self.files, self.props
        if ids is None:
            wanted: Iterable[int] = range(len(files))
        else:
            prefix, cut, found = self.prefix, len(self.prefix), set()
            for nid in ids:
                if nid.startswith(prefix):
                    path = nid[cut:]
                    i = bisect_left(files, path)
                    if i < len(files) and files[i] == path:
                        found.add(i)
            wanted = sorted(found)
        wanted = [i for i in wanted if props[i].get("change_days") is HELD_DAYS]
        made = self.days.of(wanted)
        expected = self.expected
        for i, days in zip(wanted, made):
            if expected is not None and days != expected[i]:
                raise AssertionError(f"change_days of {files[i]} made later differ from those made at once")
            props[i]["change_days"] = days


def _window(log: CommitLog, memory: ChangeMemory, days: int, kept: int | None) -> tuple[int, list[int], int]:
    """(the newest commit time, the non-merge commits in the ``days`` before it, the first position in that window or
    the log's length). After new commits (``kept``: the positions before it were counted with the memory's window
    found) the newest is the memory's or a new commit's, and the window starts no earlier than it did: the positions
    before its start then are not looked at (100,000 commits looked at one by one were half of this step after a
    commit). ``CAIRN_VERIFY_SKIPS=1`` checks that against every commit."""
    committed, merge, n = log.committed, log.merge, len(log)
    if kept is not None and memory.newest is not None and memory.window_start is not None and kept <= n:
        newest = max(memory.newest, max(committed[kept:n])) if kept < n else memory.newest
        recent, start = _in_window(committed, merge, newest - days, memory.window_start, n)
        if verifying_skips() and (newest, recent, start) != (whole := _whole_window(committed, merge, n, days)):
            raise AssertionError(f"the agent inventory's window found from the remembered one (newest {newest}, from "
                                 f"position {start}) is not the one every commit gives ({whole[0]}, {whole[2]})")
        return newest, recent, start
    return _whole_window(committed, merge, n, days)


def _whole_window(committed: Any, merge: bytearray, n: int, days: int) -> tuple[int, list[int], int]:
    newest = max(committed) if n else 0
    return newest, *_in_window(committed, merge, newest - days, 0, n)


def _in_window(committed: Any, merge: bytearray, since: int, start: int, n: int) -> tuple[list[int], int]:
    """The non-merge positions from ``start`` committed at ``since`` or later, and the first such position (merges
    too; ``n`` when none)."""
    inside = [p for p, when in enumerate(committed[start:n], start) if when >= since]
    return [p for p in inside if not merge[p]], inside[0] if inside else n


def _window_counts(view: CommitView, memory: ChangeMemory, recent: list[int], days: int, kept: int | None,
                   before: tuple[int | None, int | None]) -> tuple[Counter, Counter]:
    """The commits and the agent-assisted ones per component among ``recent`` (the window's non-merge positions).
    After new commits (``kept``, as ``_window`` has it) on counts remembered for the window ``before`` (its newest time
    and first position), those counts less the commits that left the window and with the new ones in it: a remembered
    commit's components are the ones it was counted with (``reusable``), so the 1,446 commits of the window at 2k
    files are not looked at again (4-5 ms after a commit). ``CAIRN_VERIFY_SKIPS=1`` counts the whole window and
    compares."""
    old_newest, old_start = before
    if kept is None or memory.recent is None or old_newest is None or old_start is None or memory.newest is None:
        return _counted(view, memory.assisted, recent)
    committed, merge, assisted = view.log.committed, view.log.merge, memory.assisted
    since, old_since = memory.newest - days, old_newest - days
    left = [p for p in range(old_start, kept) if old_since <= committed[p] < since and not merge[p]]
    joined = recent[bisect_left(recent, kept):]
    commits, helped = Counter(memory.recent[0]), Counter(memory.recent[1])
    for change, positions in ((-1, left), (1, joined)):
        for p, comps in zip(positions, view.components_at(positions)):
            for component in comps:
                commits[component] += change
                if assisted[p]:
                    helped[component] += change
    # (a component no commit of the window touches any more is left out, as a count of the window leaves it)
    found = Counter({c: n for c, n in commits.items() if n}), Counter({c: n for c, n in helped.items() if n})
    if verifying_skips() and found != (whole := _counted(view, assisted, recent)):
        raise AssertionError(f"the agent inventory's window counts taken from the remembered ones ({found}) are not "
                             f"those of every commit in it ({whole})")
    return found


def _counted(view: CommitView, assisted: bytearray, positions: list[int]) -> tuple[Counter, Counter]:
    commits: Counter = Counter()
    helped: Counter = Counter()
    for p, comps in zip(positions, view.components_at(positions)):
        commits.update(comps)
        if assisted[p]:
            helped.update(comps)
    return commits, helped


def add_agent_inventory(graph: RepoGraph, view: CommitView, memory: ChangeMemory, settings: AgentSettings,
                        kept: int | None = None) -> int:
    """Agent Person and Component properties (see the module docstring); returns the agent-assisted commits.

    ``kept``: the log positions before it are the commits the memory had counted (its window found among them,
    ``ChangeMemory.newest`` and ``window_start``, stands for them), None when unknown."""
    days = settings.recent_days * DAY
    before = (memory.newest, memory.window_start)  # the window the remembered counts (``ChangeMemory.recent``) are of
    newest, recent, memory.window_start = _window(view.log, memory, days, kept)
    memory.newest = newest
    memory.recent = recent_commits, recent_assisted = _window_counts(view, memory, recent, days, kept, before)
    for agent, info in memory.agents.items():
        node = graph.node(Label.PERSON, agent)
        if node is None:
            continue
        node.props.update(
            assisted_commits=info["commits"],
            assisted_components=[c for c, _ in sorted(info["components"].items(), key=lambda kv: (-kv[1], kv[0]))],
            shepherds=[h for h, _ in sorted(info["humans"].items(), key=lambda kv: (-kv[1], kv[0]))],
            first_assisted=iso_time(info["first"]), last_assisted=iso_time(info["last"]),
        )
    for node in graph.of_label(Label.COMPONENT):
        total = recent_commits.get(node.key, 0)
        share = recent_assisted.get(node.key, 0)
        node.props.update(recent_commits=total, recent_agent_commits=share,
                          agent_share=round(share / total, 4) if total else None)
    repository = graph.repository
    if repository is not None:
        repository.props.update(agent_assisted_commits=memory.assisted_total, agent_recent_days=settings.recent_days)
    return memory.assisted_total


class ChangeResult:
    view: CommitView
    index: FileIndex
    memory: ChangeMemory
    file_pairs: int
    assisted_commits: int
    #: whether the counts were added to remembered ones (False: counted from the first commit)
    incremental: bool

    def __init__(self, view: CommitView, index: FileIndex, memory: ChangeMemory, file_pairs: int,
                 assisted_commits: int, incremental: bool = False) -> None:
        self.view = view
        self.index = index
        self.memory = memory
        self.file_pairs = file_pairs
        self.assisted_commits = assisted_commits
        self.incremental = incremental


#: From how many changes in the log a first count's pairs are worked out in a child (``first_count``): at 10k files /
#: 100k commits (580k changes) they take the main process about 0.35 s of CPU (the child about 0.45 s, beside the
#: knowledge); at 2k files / 20k commits (110k changes) about 0.1 s, not worth a second child beside the trends'.
FIRST_COUNT_CHANGES = 300_000


def first_count(graph: RepoGraph, history: History, coupling: CouplingSettings) -> FirstCount | None:
    """A first count begun now, its pairs in a child (``change_count.FirstCount``), when ``add_changes`` will count
    every commit of a long log: nothing is remembered (a cold ingest). It needs the File nodes and the history only:
    the ingest adds the knowledge meanwhile, then hands it to ``add_changes``. None: counted there, as usual."""
    state = history.state
    if (state is not None and state.analyses.get(MEMORY)) or len(history.log.change_path) < FIRST_COUNT_CHANGES:
        return None
    kinds = [ph.person.kind for ph in history.people]
    return FirstCount(history.log, file_index(graph, history), coupling.max_changeset, coupling.min_shared,
                      bot_only(history.log, history.identity_person, kinds))


def add_changes(graph: RepoGraph, history: History, coupling: CouplingSettings, agents: AgentSettings,
                first: FirstCount | None = None, hold_days: bool = False) -> ChangeResult:
    """Coupling, change counts and the agent inventory on ``graph``, from the commits of ``history.log``.

    Counts remembered with ``history.state`` are added to when they were made under the same settings,
    people and mapping of paths to files (``reusable``); otherwise every commit is counted again. The
    counts are left in ``history.state`` for the next ingest. ``first``: a first count begun for this graph's
    files (``first_count``), used when every commit is counted (else cancelled). ``hold_days``: the File nodes'
    ``change_days`` are held unmade (``add_change_counts``).
    """
    log = history.log
    index = first.index if first is not None else file_index(graph, history)
    view = CommitView(log, index, history)
    settings, people, mapping = _settings(coupling, agents), _people(history), _mapping(index, len(log.paths))
    state = history.state
    memory = ChangeMemory.from_json(state.analyses.get(MEMORY)) if state is not None and state.analyses.get(MEMORY) else None
    reused = memory is not None and reusable(memory, settings, people, mapping, history)
    # the positions counted before that are still the same commits (new ones only added after them)
    kept = memory.commits if reused and memory is not None and memory.commits == history.kept_prefix else None
    incremental = reused and memory is not None and (
        memory.commits == history.kept_prefix or take_back(memory, history.kept_prefix, mapping, view, history.moved))
    if not incremental:
        memory = ChangeMemory(settings, people, mapping)
    assert memory is not None
    changed = count_commits(memory, view, memory.commits, coupling, first)
    memory.people, memory.mapping = people, mapping
    pairs = add_coupling(graph, index, memory, log.paths, coupling, changed if incremental else None)
    add_change_counts(graph, index, memory, hold_days and incremental)  # (a first count's save reads every node)
    assisted = add_agent_inventory(graph, view, memory, agents, kept)
    repository = graph.repository
    if repository is not None:
        repository.props["coupling_settings"] = coupling.model_dump()
    if state is not None:
        state.analyses[MEMORY] = memory
        if not incremental:
            state.recount(MEMORY)
    return ChangeResult(view, index, memory, pairs, assisted, incremental)

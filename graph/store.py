"""The port: the ``GraphStore`` interface every adapter implements.

Analyses never know which adapter they run on. They ask a store for a
repository's whole graph (``load``), only the labels and relationship types
they read (``load_part``), or a few nodes with what is around them
(``load_around``), and compute on it in Python; ingest hands a store a freshly
built graph (``save``), which replaces that repository's previous graph as a
whole and leaves every other repository untouched, or a new version given as
what differs from the stored one (``save_changes`` with ``GraphChanges``). Which adapter a
location means is decided in one place, the composition root
(``api.bootstrap``); nothing here knows the adapters.

Derived answers (truck factors, knowledge holders, findings, component lists…)
can be computed once, at ingest, and kept beside the graph they were computed
from (``save_answers``); a query then reads one answer (``load_answer``), or a
few of one version together (``load_answers``), instead of the graph. An answer
belongs to one saved version of the graph: a later ``save`` of that repository
makes it unreadable, so a stale answer is never read.

Whoever loads a repository, changes it and saves it back holds the repository's
``writer_lock`` across all three, so two writers never undo each other (a review
saving the graph it loaded before an ingest finished would revert that ingest).
The lock is process-wide (every store object on the same location shares it) and
re-entrant; the embedded store adds a file lock so other processes wait too.
"""

from __future__ import annotations

import contextlib
import os
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Iterable, Iterator, Mapping, NamedTuple

from cairn.graph.errors import CypherNotSupported, UnknownRepository
from cairn.graph.model import Label, Rel, RepoGraph

#: The environment variable that makes every shortcut an ingest or a save takes on a promise (the node chunks a save
#: takes as stored, ``GraphChanges.nodes_changed``; the KNOWS edges and the authorship the history hands over) check
#: itself against the long way, and fail when they differ (the tests set it: a wrong promise must not pass them).
VERIFY_SKIPS = "CAIRN_VERIFY_SKIPS"


def verifying_skips() -> bool:
    """Whether ``VERIFY_SKIPS`` is on."""
    return os.environ.get(VERIFY_SKIPS) == "1"

if TYPE_CHECKING:
    from cairn.graph.cypher_policy import CypherLimits

#: ``progress(done, total)`` callbacks let long writes drive a progress bar.
Progress = Callable[[int, int], None]


def progress_counter(progress: Progress | None, total: int) -> Callable[[int], None]:
    """``advance(n)``: ``n`` more of the ``total`` items saved, reported to ``progress`` (when given) as (done, total)."""
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    return advance


#: An edge's identity: (type, source id, target id), as ``Edge.key``.
EdgeKey = tuple[str, str, str]


@dataclass(frozen=True)
class GraphChanges:
    """A new version of a repository's graph, given as what differs from the stored one (``GraphStore.save_changes``).

    ``graph`` holds every node of the new version and every edge of the types
    not in ``patched``: those are replaced as ``save`` replaces them (what
    ``graph`` lacks goes, what differs is written). For the types in
    ``patched`` the stored edges stand, except those ``deleted`` names and
    those at a node that goes; the edges ``changed`` names are taken from
    ``graph`` (added, or written over the stored ones). Other edges of a
    patched type that ``graph`` may hold are not looked at: the caller knows
    they are stored as they are. So an ingest that knows which imports a commit
    changed writes those, not the repository's every import.

    ``complete`` names the patched types of which ``graph`` holds every edge of
    the new version anyway (the stored ones it did not change included): a
    store that cannot patch saves those as ``graph`` has them, without reading
    the stored ones.

    ``patched_next`` is a hint: the types the caller expects to patch at the
    next save too (an ingest patches KNOWS after every commit), so a store need
    not prepare to compare them whole (the embedded store's chunk digests).

    ``nodes_changed`` names the nodes whose properties may differ from the
    stored ones (None: unknown, every node is compared): a node that ``graph``
    and the stored graph both hold and that is not named is stored as it is.
    Nodes added or gone need no naming (a store sees them). A store may leave
    the others unread and unserialised (the embedded store's chunk digests);
    it is the caller's promise, checked only when ``CAIRN_VERIFY_SKIPS=1``
    (``graph.sqlite_write``).

    ``nodes_added_named``: ``nodes_changed`` names every node added too, so
    a store may count the nodes gone rather than compare every node's id (the
    embedded store); a caller's promise, checked alike.

    ``edges_changed`` does the same for the edges of some types that are not
    patched: for each type it names, the edges of that type that may differ
    from the stored ones (added, gone, or with other properties) are among
    those it names; an edge of the type that is not named, and has no end at a
    node that goes, is stored as it is exactly when ``graph`` holds it. An edge
    at a node added must be named (a store sees the edges at a node that goes,
    not those at a node added). A type not named is compared whole. A caller's
    promise too, checked alike.
    """

    graph: RepoGraph
    patched: frozenset[Rel] = frozenset()
    changed: frozenset[EdgeKey] = frozenset()
    deleted: frozenset[EdgeKey] = frozenset()
    complete: frozenset[Rel] = frozenset()
    patched_next: frozenset[Rel] = frozenset()
    nodes_changed: frozenset[str] | None = None
    nodes_added_named: bool = False
    edges_changed: Mapping[Rel, frozenset[EdgeKey]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        patched = {rel.value for rel in self.patched}
        stray = [key for key in (*self.changed, *self.deleted) if key[0] not in patched]
        if stray:
            raise ValueError(f"changed or deleted edges of a type that is not patched: {stray[:3]}")
        missing = [key for key in self.changed if not self.graph.has_edge(key)]
        if missing:
            raise ValueError(f"changed edges that the graph does not hold: {missing[:3]}")
        stray = [key for rel, keys in self.edges_changed.items() for key in keys if key[0] != rel.value]
        if stray or not self.patched.isdisjoint(self.edges_changed):
            raise ValueError(f"edges_changed names a patched type, or an edge under another type: {stray[:3]}")
        if self.nodes_added_named and self.nodes_changed is None:
            raise ValueError("nodes_added_named without nodes_changed")
        if not self.complete <= self.patched:
            raise ValueError(f"complete types that are not patched: {sorted(r.value for r in self.complete - self.patched)}")

    def whole(self, stored: RepoGraph) -> RepoGraph:
        """The new version as one graph, given the stored edges of the patched types (``stored``)."""
        graph = RepoGraph(self.graph.repo)
        graph.nodes = self.graph.nodes
        patched = {rel.value for rel in self.patched - self.complete}
        graph.edges = {key: edge for key, edge in self.graph.edges.items() if key[0] not in patched}
        nodes = graph.nodes
        for key, edge in stored.edges.items():
            if key[0] in patched and key not in self.deleted and edge.source in nodes and edge.target in nodes:
                graph.edges[key] = edge
        for key in self.changed:
            graph.edges[key] = self.graph.edges[key]
        return graph


class RepositorySummary(NamedTuple):
    """A repository in a store: its name and its Repository node's properties (path, head, ingested_at …). (A named
    tuple: every command that opens a store makes this class, and a frozen dataclass's takes 0.3 ms to make.)"""

    repo: str
    props: dict[str, Any]


class GraphStore(ABC):
    """Where graphs live. One instance may hold many repositories."""

    location: str

    @abstractmethod
    def save(self, graph: RepoGraph, progress: Progress | None = None) -> None:
        """Replace everything stored for ``graph.repo`` with ``graph``.

        Either the new graph is stored whole, or the previous one is still
        there: readers never see a half-written repository.
        """

    def save_changes(self, changes: GraphChanges, progress: Progress | None = None) -> None:
        """Save a new version of ``changes.graph.repo`` given as changes (see ``GraphChanges``); as ``save`` otherwise.

        This default reads the stored edges of the patched types and saves the
        whole new version; an adapter may write only what changed.
        """
        if changes.patched <= changes.complete:
            self.save(changes.graph, progress)
            return
        try:
            stored = self.load_part(changes.graph.repo, rels=changes.patched - changes.complete)
        except UnknownRepository:
            stored = RepoGraph(changes.graph.repo)
        self.save(changes.whole(stored), progress)

    @abstractmethod
    def load(self, repo: str) -> RepoGraph:
        """The stored graph of ``repo``; ``UnknownRepository`` if there is none."""

    @abstractmethod
    def repositories(self) -> list[RepositorySummary]:
        """Every repository in the store, with its Repository node's properties."""

    @abstractmethod
    def delete(self, repo: str) -> None:
        """Remove a repository and everything of it."""

    @abstractmethod
    def save_reviews(self, repo: str, records: list[dict[str, Any]]) -> None:
        """Replace the review records kept for ``repo`` (see ``ingest.reviews``).

        They live beside the graph, not in it, so a re-ingest (which replaces
        the graph) applies them again instead of losing them.
        """

    @abstractmethod
    def load_reviews(self, repo: str) -> list[dict[str, Any]]:
        """The review records kept for ``repo``; empty when there are none."""

    # Partial reads and derived answers ------------------------------------------
    # The defaults work from ``load`` (and keep no answers), so an adapter that
    # does not implement them natively still gives the right results.
    def load_part(self, repo: str, labels: Iterable[Label | str] = (), rels: Iterable[Rel | str] = ()) -> RepoGraph:
        """Only the nodes with one of ``labels`` and the relationships of one of the types ``rels``.

        A relationship whose end is not among the nodes read is still returned:
        its ``source``/``target`` ids name the end's label and key. Readers see
        one saved version, as with ``load``; ``UnknownRepository`` if there is none.
        """
        wanted_labels = {Label(label) for label in labels}
        wanted_rels = {Rel(rel) for rel in rels}
        whole = self.load(repo)
        part = RepoGraph(whole.repo)
        part.nodes = {nid: node for nid, node in whole.nodes.items() if node.label in wanted_labels}
        part.edges = {key: edge for key, edge in whole.edges.items() if edge.type in wanted_rels}
        return part

    #: Whether ``load_around`` reads only what it is asked for (this default loads the whole graph and cuts it).
    reads_around = False

    #: Whether a save asks the graph for the properties it holds unmade (``RepoGraph.make_props``) before it reads a
    #: node whole; a graph handed to a store that does not must have none held.
    makes_held_props = False

    def load_around(self, repo: str, ids: Iterable[str], rels: Iterable[Rel | str] = ()) -> RepoGraph:
        """The nodes with the given ``ids``, the relationships of the types ``rels`` at them (either end), and the
        nodes at the other ends of those: what a question about a few files or modules reads of a large graph.

        Ids that name no stored node are left out. Readers see one saved
        version, as with ``load``; ``UnknownRepository`` if there is none.
        """
        wanted = set(ids)
        wanted_rels = {Rel(rel) for rel in rels}
        whole = self.load(repo)
        part = RepoGraph(whole.repo)
        for key, edge in whole.edges.items():
            if edge.type in wanted_rels and (edge.source in wanted or edge.target in wanted):
                part.edges[key] = edge
                part.nodes[edge.source] = whole.nodes[edge.source]
                part.nodes[edge.target] = whole.nodes[edge.target]
        for nid in wanted:
            if nid in whole.nodes:
                part.nodes[nid] = whole.nodes[nid]
        return part

    #: Whether ``save_answers`` takes ``unchanged`` (answers kept for the version a save replaced that stand as they are).
    keeps_unchanged_answers = False

    def save_answers(self, repo: str, answers: Mapping[str, Any], unchanged: Iterable[str] = ()) -> None:
        """Keep derived ``answers`` (name -> JSON-able value) for the stored graph of ``repo``.

        They describe the version of the graph this store instance last saved or
        loaded for ``repo`` (else the stored one): if another save replaced it
        meanwhile, they are never read. Names not given keep their answers while
        the graph they describe is the stored one: answers kept for an earlier
        version are never read again unless given again (the embedded store
        then rewrites only those whose text changed).
        ``unchanged``: names whose answer kept for the version of the graph this save replaced (the one kept before
        it; none if none was) stands for this one as it is, neither given nor written again: given only to a store
        that ``keeps_unchanged_answers``, by a caller that proved it (``api.services.answer_base``).
        This default keeps nothing, so ``load_answer`` says None and callers
        compute from the graph.
        """

    def load_answer(self, repo: str, name: str) -> Any | None:
        """The answer ``name`` kept for the stored graph of ``repo``; None when there is none (compute it)."""
        return None

    def load_answers(self, repo: str, names: Iterable[str]) -> dict[str, Any]:
        """The answers among ``names`` kept for the stored graph of ``repo``, read together: all of one version of the
        graph (answers read one by one could straddle a save). Names without an answer are left out."""
        out: dict[str, Any] = {}
        for name in names:
            value = self.load_answer(repo, name)
            if value is not None:
                out[name] = value
        return out

    def load_answer_parts(self, repo: str, names: Iterable[str], keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Of the answers among ``names`` kept for the stored graph of ``repo`` (read together, as ``load_answers``
        reads them), the values of ``keys`` alone: what a caller needs of large answers without decoding the rest.
        An answer that is not an object is left out, as is a name without one; a key an answer lacks reads None."""
        keys = list(keys)
        return {name: {key: value.get(key) for key in keys} for name, value in self.load_answers(repo, names).items()
                if isinstance(value, dict)}

    def cypher(self, query: str, params: dict[str, Any] | None = None, limits: "CypherLimits | None" = None) -> list[dict[str, Any]]:
        """Run a read-only Cypher query within ``limits`` (see ``graph.cypher_policy``). Only the Neo4j store can."""
        raise CypherNotSupported(
            f"Cypher queries need a Neo4j store (bolt:// or neo4j:// URI); {self.location} is an embedded store"
        )

    def close(self) -> None:
        pass

    @contextlib.contextmanager
    def writer_lock(self, repo: str) -> Iterator[None]:
        """Hold ``repo``'s one writer lock: every load-modify-save of the repository runs inside it (re-entrant)."""
        entry = _writer_lock(self._lock_location(), repo)
        with entry.lock:
            entry.depth += 1
            try:
                if entry.depth == 1:
                    with self._other_processes_lock(repo):
                        yield
                else:
                    yield
            finally:
                entry.depth -= 1

    def _lock_location(self) -> str:
        """What names this store for the writer lock: two store objects on the same data must give the same text."""
        return self.location

    def _other_processes_lock(self, repo: str) -> ContextManager[None]:
        """What makes other processes wait for ``repo``'s writer lock; nothing unless the adapter can."""
        return contextlib.nullcontext()

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _WriterLockEntry:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.depth = 0  # changed only by the thread holding ``lock``


_WRITER_LOCKS: dict[tuple[str, str], _WriterLockEntry] = {}
_WRITER_LOCKS_GUARD = threading.Lock()


def _writer_lock(location: str, repo: str) -> _WriterLockEntry:
    with _WRITER_LOCKS_GUARD:
        return _WRITER_LOCKS.setdefault((location, repo), _WriterLockEntry())

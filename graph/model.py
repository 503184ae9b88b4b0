"""Node and edge vocabulary of the Cairn graph, with the keys that make it idempotent.

Every node belongs to exactly one repository and is identified by a key that
includes that repository, so re-ingesting the same repository replaces (MERGE)
rather than duplicates, and several repositories in one store never leak into
each other.

Node labels and their keys (besides ``repo``):

=================  ==================  ==============================================
label              key                 notes
=================  ==================  ==============================================
Repository         (repo)              head commit, ingested_at, history facts
Component          name                from configuration or inferred; derived bus factor
Module             name                a unit of the dependency graph: Python dotted
                                       module, Go package import path, Java FQN,
                                       JS/TS repository-relative file path
File               path                a source file present at the analysed commit:
                                       the unit of authorship (Avelino et al. count files)
ExternalPackage    name                third-party import squashed to its top-level name
Person             id                  canonical identity; kind human/bot/agent
Team               name                from CODEOWNERS
AgentInstructions  path                a file of instructions to coding agents (AGENTS.md,
                                       CLAUDE.md, .cursor/rules …): repository-supplied
                                       text kept as data (an excerpt), never followed
Decision           path                an ADR, keyed by path (numbers repeat in practice)
Rule               id                  a boundary rule from cairn.toml or a Decision
Period             period              ``2024-Q1``, ``2024-03`` or ``2024``: activity, agent
                                       share, truck factors and new couplings then
=================  ==================  ==============================================

Modules and files are kept apart on purpose: the dependency graph speaks in the
language's units (a Go package spans several files), while knowledge is measured
per file, for every source language, imported or not.

Edge types: IMPORTS (Module -> Module/ExternalPackage), PART_OF (Module/File ->
Component), DEPENDS_ON (Component -> Component, derived), KNOWS (Person -> File),
OWNS (Person/Team -> File/Component, declared by CODEOWNERS), GOVERNS (Decision ->
Component), COVERS (AgentInstructions -> Component: by the file's location or its
globs), SUPERSEDES / AMENDS (Decision -> Decision), DECLARED_BY (Rule -> Decision),
CO_CHANGES (File -> File, Component -> Component: change coupling from history, with
``degree`` and ``shared``; stored once per pair, from the smaller key to the larger).
An edge is identified by (type, source, target): there is at most one of each.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from enum import Enum
from itertools import compress, groupby, islice, repeat
from operator import attrgetter, is_, itemgetter
from typing import Any, Callable, Collection, Iterable, Mapping, Protocol


class Label(str, Enum):
    REPOSITORY = "Repository"
    COMPONENT = "Component"
    MODULE = "Module"
    FILE = "File"
    EXTERNAL = "ExternalPackage"
    PERSON = "Person"
    TEAM = "Team"
    AGENT_INSTRUCTIONS = "AgentInstructions"
    DECISION = "Decision"
    RULE = "Rule"
    PERIOD = "Period"


class Rel(str, Enum):
    IMPORTS = "IMPORTS"
    PART_OF = "PART_OF"
    DEPENDS_ON = "DEPENDS_ON"
    KNOWS = "KNOWS"
    OWNS = "OWNS"
    GOVERNS = "GOVERNS"
    COVERS = "COVERS"
    SUPERSEDES = "SUPERSEDES"
    AMENDS = "AMENDS"
    DECLARED_BY = "DECLARED_BY"
    CO_CHANGES = "CO_CHANGES"


#: The property that holds each label's key (besides ``repo``).
KEY_PROPERTY: dict[Label, str] = {
    Label.REPOSITORY: "repo",
    Label.COMPONENT: "name",
    Label.MODULE: "name",
    Label.FILE: "path",
    Label.EXTERNAL: "name",
    Label.PERSON: "id",
    Label.TEAM: "name",
    Label.AGENT_INSTRUCTIONS: "path",
    Label.DECISION: "path",
    Label.RULE: "id",
    Label.PERIOD: "period",
}

# Import kinds, from strongest to weakest: an edge carrying several kinds of
# import takes the strongest, so "type_only" means *every* import is type-only.
IMPORT_KINDS = ("runtime", "dynamic", "type_only")


def node_id(label: Label | str, repo: str, key: str) -> str:
    """The store-wide identity of a node: label, repository and key."""
    if label.__class__ is not Label:  # (a Label already: no call of the enum, a third of the time)
        label = Label(label)
    if label is Label.REPOSITORY:
        return f"Repository|{repo}"
    return f"{label._value_}|{repo}|{key}"


@dataclass(slots=True)
class Node:
    label: Label
    repo: str
    key: str
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return node_id(self.label, self.repo, self.key)

    def get(self, name: str, default: Any = None) -> Any:
        return self.props.get(name, default)

    def __getitem__(self, name: str) -> Any:
        return self.props[name]


@dataclass(slots=True)
class Edge:
    type: Rel
    source: str
    target: str
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type.value, self.source, self.target)

    def get(self, name: str, default: Any = None) -> Any:
        return self.props.get(name, default)

    def current_props(self) -> dict[str, Any]:
        """``props``; a ``KnowsEdge`` gives them without keeping a dict of them."""
        return self.props

    def set(self, name: str, value: Any) -> None:
        """Set one property (``KnowsEdge`` keeps some without a dict: writing through here keeps them so)."""
        self.props[name] = value


#: The ``props`` slot of ``Edge`` itself, under ``SlottedEdge``'s property of the same name.
_PROPS = Edge.__dict__["props"]
_UNSET = object()
#: The properties of a KNOWS edge as ``ingest.knowledge`` builds them, in their order (``author`` follows when set).
KNOWS_PROPERTIES = ("first_authorship", "deliveries", "acceptances", "doa", "reviews", "last_touch")
#: The first five of them, which a ``KnowsEdge`` keeps as one tuple.
KNOWS_VALUES = KNOWS_PROPERTIES[:5]
_KNOWS_VALUE_AT = {name: at for at, name in enumerate(KNOWS_VALUES)}
_AUTHORSHIP_OF = itemgetter(3, 0, 4)  # (doa, first_authorship, reviews) of the values
_AUTHOR = attrgetter("_author")
#: The ``type`` slot of ``Edge`` itself, which a class attribute ``type`` leaves unused.
_TYPE_SLOT = Edge.__dict__["type"]


class SlottedEdge(Edge):
    """An edge whose properties a subclass keeps in slots (``_made`` gives them as a new dict, ``_slot`` one of them),
    not in a dict of its own: an ``Edge`` in every other respect (``props`` gives the same
    dict, made when first asked, then the one that holds them: what is written to it stays; equality with a plain
    edge of the same properties, ``repr``). Readers that change nothing read them through ``get`` or
    ``current_props`` without making one."""

    __slots__ = ()
    #: ``Edge``'s own ``props`` slot under a name the ``props`` property does not hide: a subclass's ``__init__`` stores
    #: None into it as into any slot, not through a call of its setter (a fifth of the time of making a KnowsEdge)
    _props_slot = _PROPS

    def _made(self) -> dict[str, Any]:
        raise NotImplementedError

    def _slot(self, name: str, default: Any) -> Any:
        raise NotImplementedError

    @property  # type: ignore[override]
    def props(self) -> dict[str, Any]:
        value = _PROPS.__get__(self)
        if value is None:
            value = self._made()
            _PROPS.__set__(self, value)
        return value

    @props.setter
    def props(self, value: dict[str, Any]) -> None:
        _PROPS.__set__(self, value)

    def current_props(self) -> dict[str, Any]:
        """The properties, without keeping a dict of them when none is kept yet."""
        value = _PROPS.__get__(self)
        return self._made() if value is None else value

    def get(self, name: str, default: Any = None) -> Any:
        value = _PROPS.__get__(self)
        if value is not None:
            return value.get(name, default)
        return self._slot(name, default)

    def set(self, name: str, value: Any) -> None:
        self.props[name] = value

    def __eq__(self, other: object) -> bool:
        """As a plain edge of the same properties compares."""
        if isinstance(other, Edge):
            mine = self.current_props()
            theirs = other.current_props()
            return (self.type, self.source, self.target, mine) == (other.type, other.source, other.target, theirs)
        return NotImplemented

    def __repr__(self) -> str:
        return repr(Edge(self.type, self.source, self.target, self.current_props()))

    __hash__ = None  # type: ignore[assignment]  # as Edge's: a mutable dataclass


class KnowsEdge(SlottedEdge):
    """A Person -KNOWS-> File edge whose properties are kept in slots (``SlottedEdge``): an ingest builds 570,000 of
    them at 50k files, and a dict each held 80 MB more (the analyses, the answers and the save read the values through
    ``get``, ``authorship`` and ``knows_rows`` without making one). ``author`` is set after the others
    (``annotate_bus_factor``), through ``set``, into a slot of its own while no dict is made.

    ``values`` are the first five properties (``KNOWS_VALUES``) as one tuple, which edges of the same values may share
    (``ingest.knowledge`` makes one per distinct tuple: 9,000 for 143,000 edges at 10k files), ``last_touch`` the sixth.
    The tuple is kept in ``Edge``'s ``type`` slot, which the class attribute ``type`` leaves unused: an edge is then
    six slots (80 bytes) rather than eleven (128), 27 MB less at 50k files, at the peak of a cold ingest.
    """

    __slots__ = ("_touch", "_author")
    type = Rel.KNOWS  # (over the slot, which holds ``_values``)
    _values = _TYPE_SLOT

    def __init__(self, source: str, target: str, values: tuple[bool, int, int, float | None, int],
                 last_touch: str | None):
        self.source = source
        self.target = target
        self._props_slot = None
        self._values = values
        self._touch = last_touch
        self._author = _UNSET

    def _made(self) -> dict[str, Any]:
        props = dict(zip(KNOWS_VALUES, self._values))
        props["last_touch"] = self._touch
        if self._author is not _UNSET:
            props["author"] = self._author
        return props

    def _slot(self, name: str, default: Any) -> Any:
        at = _KNOWS_VALUE_AT.get(name)
        if at is not None:
            return self._values[at]
        if name == "last_touch":
            return self._touch
        if name == "author" and self._author is not _UNSET:
            return self._author
        return default

    def set(self, name: str, value: Any) -> None:
        if name == "author" and _PROPS.__get__(self) is None:
            self._author = value
        else:
            self.props[name] = value

    @property
    def authorship(self) -> tuple[Any, Any, Any]:
        """(doa, first_authorship, reviews), as ``get`` gives each."""
        value = _PROPS.__get__(self)
        if value is None:
            return _AUTHORSHIP_OF(self._values)
        return value.get("doa"), value.get("first_authorship"), value.get("reviews")


def knows_edge(source: str, target: str, first_authorship: bool, deliveries: int, acceptances: int,
               doa: float | None, reviews: int, last_touch: str | None) -> KnowsEdge:
    """A ``KnowsEdge`` of these properties (its values a tuple of its own)."""
    return KnowsEdge(source, target, (first_authorship, deliveries, acceptances, doa, reviews), last_touch)


def set_authors(edges: list[KnowsEdge], flags: list[bool]) -> None:
    """``edge.set("author", flag)`` for each of ``edges`` and ``flags``; into the slots in one pass in C when none of
    the edges has made its dict (an ingest's 570,000 at 50k files: a third of the time of a call each)."""
    if list(map(_PROPS.__get__, edges)).count(None) == len(edges):
        deque(map(_SET_AUTHOR, edges, flags), maxlen=0)
    else:
        deque(map(KnowsEdge.set, edges, repeat("author"), flags), maxlen=0)


def knows_rows(edges: list[Edge]) -> tuple[tuple[str, ...], list[tuple[Any, ...]]] | None:
    """The properties of ``edges`` as one tuple of names and a row of values per edge, when every edge is a
    ``KnowsEdge`` with no dict made and all have ``author`` set or none has (what a save writes after
    ``annotate_bus_factor``); None otherwise. The rows are what ``props`` would hold, in its order."""
    if not edges or set(map(type, edges)) != {KnowsEdge} or not all(map(is_, map(_PROPS.__get__, edges), repeat(None))):
        return None
    authors = list(map(_AUTHOR, edges))
    unset = authors.count(_UNSET)
    if unset == len(edges):
        return KNOWS_PROPERTIES, list(map(tuple.__add__, map(_VALUES, edges), zip(map(_TOUCH, edges))))
    if unset:
        return None
    return (*KNOWS_PROPERTIES, "author"), list(map(tuple.__add__, map(_VALUES, edges), zip(map(_TOUCH, edges), authors)))


_SET_AUTHOR = KnowsEdge.__dict__["_author"].__set__
_VALUES, _TOUCH = attrgetter("_values"), attrgetter("_touch")


class BareEdge(SlottedEdge):
    """An edge made without properties (PART_OF: one per file and module, 100,000 at 50k files, an empty dict each)."""

    __slots__ = ()

    def __init__(self, type: Rel, source: str, target: str):
        self.type = type
        self.source = source
        self.target = target
        self._props_slot = None

    def _made(self) -> dict[str, Any]:
        return {}

    def _slot(self, name: str, default: Any) -> Any:
        return default


class DependsEdge(SlottedEdge):
    """A Component -DEPENDS_ON-> Component edge as the code graph makes it, ``{"count", "kinds"}`` in slots (90,000 at
    50k modules); ``kinds`` is the one dict it was given, as it would be in ``props``.

    ``count`` (a card's and ``explore``'s "N imports") is the number of IMPORTS edges from the one component's modules
    to the other's: pairs of importing and imported module, each once however many lines import it, per kind in
    ``kinds``; a Java or Kotlin wildcard import counts the classes the file uses through it (``ingest.code.java``),
    not every class of the package."""

    __slots__ = ("_count", "_kinds")
    type = Rel.DEPENDS_ON  # (over the slot, which stays empty: a slot less would not make the edge smaller)

    def __init__(self, source: str, target: str, count: int, kinds: dict[str, int]):
        self.source = source
        self.target = target
        self._props_slot = None
        self._count = count
        self._kinds = kinds

    def _made(self) -> dict[str, Any]:
        return {"count": self._count, "kinds": self._kinds}

    def _slot(self, name: str, default: Any) -> Any:
        if name == "count":
            return self._count
        if name == "kinds":
            return self._kinds
        return default


class ImportsEdge(SlottedEdge):
    """A Module -IMPORTS-> Module/ExternalPackage edge of the usual shape, its properties kept in slots: the target
    imported once, on one line (``{"kind", "lines": [line], "kinds": {kind: [line]}, "file"}``, the two lists one).
    An ingest builds 300,000 of them at 50k modules, and the dicts and lists of each held 120 MB more. Read through
    ``get``, ``current_props``, ``first_import`` and ``imports_rows`` (see ``SlottedEdge``).
    """

    __slots__ = ("_line", "_file")
    type = Rel.IMPORTS  # (over the slot, which holds ``_kind``, as KnowsEdge's holds its values: 80 bytes an edge, not 96)
    _kind = _TYPE_SLOT

    def __init__(self, source: str, target: str, kind: str, line: int, file: str):
        self.source = source
        self.target = target
        self._props_slot = None
        self._kind = kind
        self._line = line
        self._file = file

    def _made(self) -> dict[str, Any]:
        lines = [self._line]
        return {"kind": self._kind, "lines": lines, "kinds": {self._kind: lines}, "file": self._file}

    def _slot(self, name: str, default: Any) -> Any:
        if name == "kind":
            return self._kind
        if name == "file":
            return self._file
        if name == "lines":
            return [self._line]
        if name == "kinds":
            return {self._kind: [self._line]}
        return default

    @property
    def first_import(self) -> tuple[Any, Any, Any]:
        """(kind, file, the first of its lines), as ``get`` gives each (None for what is missing)."""
        value = _PROPS.__get__(self)
        if value is None:
            return self._kind, self._file, self._line
        lines = value.get("lines")
        return value.get("kind"), value.get("file"), lines[0] if lines else None


_IMPORTS_VALUES = attrgetter("_kind", "_line", "_file")


def imports_rows(edges: list[Edge]) -> list[tuple[Any, Any, Any] | None]:
    """Per edge of ``edges``: (kind, line, file) of an ``ImportsEdge`` with no dict made (its properties are
    ``ImportsEdge._made`` of them), None for any other edge (its properties are ``current_props``)."""
    return [_IMPORTS_VALUES(e) if e.__class__ is ImportsEdge and _PROPS.__get__(e) is None else None for e in edges]


class PendingEdges(Protocol):
    """A run of edges of one type not made yet (``RepoGraph.defer_edges``; ``graph.lazy_knows``, ``graph.lazy_imports``)."""

    type: Rel
    #: how many made edges the graph held when they were deferred: they are put after those (the graph moves it on as
    #: edges are made before them)
    position: int

    def __len__(self) -> int: ...

    def make(self) -> tuple[Iterable[tuple[str, str, str]], Iterable[Edge]]:
        """Their keys and their edges, in order (asked once)."""

    def get(self, key: tuple[str, str, str]) -> Edge | None:
        """The edge of ``key``, made alone (it stays pending), or None."""

    def has(self, key: tuple[str, str, str]) -> bool:
        """Whether there is an edge of ``key`` (none made)."""

    def into(self, targets: Collection[str]) -> list[Edge]:
        """Those whose target is among ``targets``, in their order, made alone (they stay pending)."""

    def apart(self) -> tuple[Iterable[tuple[str, str, str]], Iterable[Edge]]:
        """What ``make`` gives, made apart (they stay pending)."""

    def sources_into(self, targets: Collection[str]) -> set[str]:
        """The sources of those whose target is among ``targets`` (none made)."""


def check_made_alone(run: PendingEdges, found: object, targets: Collection[str],
                     key: tuple[str, str, str] | None = None) -> None:
    """``found`` (the edge of ``key`` made alone by ``run``, or those into ``targets``) against making every edge of
    ``run`` apart (``CAIRN_VERIFY_SKIPS``)."""
    keys, made = run.apart()
    every = dict(zip(keys, made))
    wanted = every.get(key) if key is not None else [e for e in made if e.target in targets]
    if found != wanted:
        raise AssertionError(f"{run.type.value} edges made alone are not those made at once: "
                             f"{key or sorted(targets)[:3]}")


def check_sources_alone(run: PendingEdges, found: set[str], targets: Collection[str]) -> None:
    """``found`` (the sources of ``run``'s edges into ``targets``, none made) against making every edge of ``run``
    apart (``CAIRN_VERIFY_SKIPS``; the sources into each target kept on ``run`` for the next check)."""
    into: dict[str, set[str]] | None = getattr(run, "_checked_sources", None)
    if into is None:
        into = {}
        for _, source, target in run.apart()[0]:
            into.setdefault(target, set()).add(source)
        run._checked_sources = into  # type: ignore[attr-defined]
    if found != set().union(*map(into.get, targets, repeat(()))):
        raise AssertionError(f"{run.type.value} edges' sources found alone are not those of the edges made at once: "
                             f"{sorted(targets)[:3]}")


class _EdgeMap:
    """A graph's edges by key as made (``made``), and the runs of edges not made yet (``pending``, in the order they
    were deferred), each belonging after the first ``position`` of the made ones (deferred later, after those of an
    earlier run at the same position); shared by the views of one graph (``GroupedGraph``)."""

    __slots__ = ("made", "pending")

    def __init__(self, made: dict[tuple[str, str, str], Edge]):
        self.made = made
        self.pending: list[PendingEdges] = []

    def make_pending(self, types: Collection[str] | None = None, keep: bool = False) -> None:
        """Make the pending runs of ``types`` (type values; None: every run), or with ``keep`` of every type but those,
        and put their edges where they were deferred (the edges added since then after them)."""
        runs = self.pending
        if types is None:
            chosen = runs
        else:
            chosen = [run for run in runs if (run.type._value_ in types) is not keep]
        if not chosen:
            return
        made = self.made
        start = chosen[0].position
        self.pending = left = [run for run in runs if run not in chosen] if chosen is not runs else []
        # the made edges from the first chosen run's place on, taken out and put back after each run in turn
        after = list(islice(made.items(), start, None)) if start < len(made) else []
        for key, _ in after:
            del made[key]
        at = start
        for run in chosen:
            if run.position > at:
                made.update(after[at - start:run.position - start])
                at = run.position
            keys, edges = run.make()
            made.update(zip(keys, edges))
        made.update(after[at - start:])
        # the runs left: each moved on by the edges now made before it (a run deferred after another at the same
        # place goes after it)
        for run in left:
            ahead = runs.index(run)
            run.position += sum(len(made_run) for made_run in chosen if made_run.position < run.position
                                or (made_run.position == run.position and runs.index(made_run) < ahead))


class RepoGraph:
    """The whole graph of one repository, in memory.

    This is what ingest produces, what a store persists and what analyses read:
    queries compute on it in Python, so every analysis has one implementation
    whatever the store.

    ``edges`` holds every edge by key. Runs of edges, each of one type, may be held unmade instead (``defer_edges``:
    after a commit, the IMPORTS and the KNOWS edges, which the save and the answers read a few of): reading ``edges``
    makes them and puts them in their places first, as if they had been added when they were deferred. The readers
    that name what they read (``of_type``, ``edge``, ``has_edge``, ``sources_into``, ``edges_of``, ``edges_except``,
    ``edges_into``, ``counts``, ``len``, ``add_edge``) make them only when they read that type.
    """

    def __init__(self, repo: str):
        self.repo = repo
        self.nodes: dict[str, Node] = {}
        self._map = _EdgeMap({})
        self._held_props: Callable[[Collection[str] | None], None] | None = None

    def hold_props(self, make: Callable[[Collection[str] | None], None]) -> None:
        """Hold a property of some nodes unmade (a placeholder in its place, so the properties keep their order) until
        a reader of whole nodes asks for it (``make_props``): ``make(ids)`` puts it on those of the nodes ``ids``
        (None: on every node). Readers of named properties never ask; a store about to serialise or digest nodes does.
        After a commit, a save reads a few hundred of 50,000 File nodes: their ``change_days`` alone are made
        (``ingest.cochange.add_change_counts``)."""
        if self._held_props is not None:
            raise ValueError("the graph holds properties unmade already")
        self._held_props = make

    def make_props(self, ids: Collection[str] | None = None) -> None:
        """Make the held properties (``hold_props``) of the nodes ``ids`` (None: of every node; none are held then)."""
        make = self._held_props
        if make is None:
            return
        if ids is None:
            self._held_props = None
        make(ids)

    @property
    def edges(self) -> dict[tuple[str, str, str], Edge]:
        held = self._map
        if held.pending:
            held.make_pending()
        return held.made

    @edges.setter
    def edges(self, value: dict[tuple[str, str, str], Edge]) -> None:
        self._map = _EdgeMap(value)

    def defer_edges(self, pending: PendingEdges) -> None:
        """Hold ``pending`` (edges of one type the graph has none of, made or pending, to go after every edge it holds:
        ``pending.position`` is the number of those made) instead of making them: they are made when first read (see
        the class docstring)."""
        held = self._map
        if pending.position != len(held.made):
            raise ValueError("deferred edges go after every edge the graph holds")
        if any(run.type is pending.type for run in held.pending):
            raise ValueError(f"the graph holds {pending.type.value} edges already (deferred)")
        held.pending.append(pending)

    def _pending_of(self, rel: Rel) -> PendingEdges | None:
        for run in self._map.pending:
            if run.type is rel:
                return run
        return None

    # -- building -------------------------------------------------------------
    def add_node(self, label: Label, key: str, **props: Any) -> Node:
        """Add a node, or merge ``props`` into the existing node with that key."""
        if label.__class__ is not Label:
            label = Label(label)
        nid = node_id(label, self.repo, key)
        node = self.nodes.get(nid)
        if node is None:
            props.setdefault(KEY_PROPERTY[label], key if label is not Label.REPOSITORY else self.repo)
            node = Node(label, self.repo, key, props)
            self.nodes[nid] = node
        else:
            node.props.update(props)
        return node

    def add_edge(self, type: Rel, source: Node | str, target: Node | str, **props: Any) -> Edge:
        """Add an edge, or merge ``props`` into the existing edge of that type between the two."""
        s = source.id if isinstance(source, Node) else source
        t = target.id if isinstance(target, Node) else target
        if s not in self.nodes or t not in self.nodes:
            raise KeyError(f"edge {type.value} {s} -> {t}: both ends must be nodes of the graph")
        rel = type if type.__class__ is Rel else Rel(type)
        key = (rel._value_, s, t)
        edges = self.edges_of((rel._value_,))
        edge = edges.get(key)
        if edge is None:
            edge = Edge(rel, s, t, props)
            edges[key] = edge
        else:
            edge.props.update(props)
        return edge

    def remove_node(self, nid: str) -> None:
        """Remove a node and every edge at it."""
        self.nodes.pop(nid, None)
        for key in [k for k in self.edges if k[1] == nid or k[2] == nid]:
            del self.edges[key]

    # -- reading --------------------------------------------------------------
    @property
    def repository(self) -> Node | None:
        return self.nodes.get(node_id(Label.REPOSITORY, self.repo, self.repo))

    def node(self, label: Label, key: str) -> Node | None:
        return self.nodes.get(node_id(label, self.repo, key))

    def of_label(self, label: Label) -> list[Node]:
        nodes = self.nodes.values()  # (read twice side by side, in C: no list of every node made first)
        return list(compress(nodes, map(is_, map(_LABEL_OF, nodes), repeat(Label(label)))))

    def of_type(self, type: Rel) -> list[Edge]:
        rel = Rel(type)
        edges = self.edges_of((rel._value_,)).values()
        return list(compress(edges, map(is_, map(_TYPE_OF, edges), repeat(rel))))

    def edge(self, key: tuple[str, str, str], default: Edge | None = None) -> Edge | None:
        """The edge of ``key`` (type value, source id, target id), or ``default``; a pending one is made alone."""
        found = self._map.made.get(key)
        if found is None:
            for run in self._map.pending:
                if key[0] == run.type._value_:
                    found = run.get(key)
                    break
        return default if found is None else found

    def has_edge(self, key: tuple[str, str, str]) -> bool:
        """Whether the graph holds an edge of ``key`` (made or pending: none is made)."""
        if key in self._map.made:
            return True
        return any(key[0] == run.type._value_ and run.has(key) for run in self._map.pending)

    def sources_into(self, type: Rel, targets: Collection[str], among: Collection[str]) -> set[str]:
        """Those of ``among`` (node ids) that are the source of an edge of ``type`` into one of ``targets`` (node ids);
        looked up by edge key, or among pending edges of ``type`` (none made: a type's edges are all made or all
        pending, see ``defer_edges`` and ``edges_of``)."""
        rel = Rel(type)
        pending = self._pending_of(rel)
        if pending is not None:
            return pending.sources_into(targets).intersection(among) if among else set()
        made, value = self._map.made, rel._value_
        return {source for source in among if any((value, source, target) in made for target in targets)}

    def edges_of(self, types: Collection[str]) -> dict[tuple[str, str, str], Edge]:
        """A map holding every edge of ``types`` (type values), and maybe others: ``edges``, without making pending
        edges of another type. For reading, and for adding edges of those types (never for taking one out)."""
        held = self._map
        if held.pending:
            held.make_pending(types)
        return held.made

    def edges_except(self, types: Collection[str]) -> dict[tuple[str, str, str], Edge]:
        """A map holding every edge whose type is not among ``types`` (type values), and maybe others (``edges_of``)."""
        held = self._map
        if held.pending:
            held.make_pending(types, keep=True)
        return held.made

    def edges_into(self, type: Rel, targets: Collection[str]) -> list[Edge]:
        """The edges of ``type`` whose target is among ``targets`` (node ids), in the graph's order; pending ones
        are made alone when they are a few of them."""
        rel = Rel(type)
        pending = self._pending_of(rel)
        if pending is not None and len(targets) * 8 < len(pending):
            return pending.into(targets)
        edges = self.of_type(rel)
        return list(compress(edges, map(targets.__contains__, map(_TARGET_OF, edges))))

    def counts(self) -> dict[str, int]:
        """How many nodes of each label and edges of each type (counted in C: a large graph has a million)."""
        out = {label.value: n for label, n in Counter(map(attrgetter("label"), self.nodes.values())).items()}
        made, pending = self._map.made, self._map.pending
        if not pending:
            out.update(Counter(map(itemgetter(0), made)))  # an edge's key starts with its type's value
            return out
        # (in the order the types would come with the pending edges in their place)
        counted: Counter[str] = Counter()
        at = 0
        for run in pending:
            counted.update(map(itemgetter(0), islice(made, at, run.position)))
            counted[run.type._value_] += len(run)
            at = max(at, run.position)
        counted.update(map(itemgetter(0), islice(made, at, None)))
        out.update(counted)
        return out

    def edges_apart(self) -> dict[tuple[str, str, str], Edge]:
        """Every edge by key, pending ones made apart (the graph keeps them unmade): for the checks of
        ``CAIRN_VERIFY_SKIPS``, which must not change the path they check."""
        held = self._map
        if not held.pending:
            return held.made
        every = dict(held.made)
        for run in held.pending:
            keys, edges = run.apart()
            every.update(zip(keys, edges))
        return every

    def shares_maps(self, other: "RepoGraph") -> bool:
        """Whether ``other`` holds the very nodes and edges of this graph (a view of it: ``GroupedGraph``)."""
        return self.nodes is other.nodes and self._map is other._map

    def extend(self, nodes: Iterable[Node], edges: Iterable[Edge]) -> None:
        for n in nodes:
            self.nodes[n.id] = n
        for e in edges:
            self.edges[e.key] = e

    def __len__(self) -> int:
        return len(self.nodes) + len(self._map.made) + sum(map(len, self._map.pending))


_LABEL_OF, _TYPE_OF, _TARGET_OF = attrgetter("label"), attrgetter("type"), attrgetter("target")


class GroupedGraph(RepoGraph):
    """``graph`` read through its nodes and edges grouped by label and by type on the first ``of_label``/``of_type``
    (one walk each instead of one per call: the stored answers make some thirty, and a graph can hold a million
    edges). It shares the graph's maps, so it is built and changed like the graph itself; a node or an edge
    added or removed since the grouping (their number differs) is seen, by grouping again. For readers that
    change nothing, or only add: a node replaced by another in place keeps its old group.
    """

    def __init__(self, graph: RepoGraph):
        super().__init__(graph.repo)
        self.nodes, self._map = graph.nodes, graph._map  # (its pending edges too, made for both when first read)
        self._labels: tuple[int, dict[Label, list[Node]]] | None = None
        self._types: tuple[int, dict[Rel, list[Edge]]] | None = None
        self._grouped = graph

    def hold_props(self, make: Callable[[Collection[str] | None], None]) -> None:
        self._grouped.hold_props(make)

    def make_props(self, ids: Collection[str] | None = None) -> None:
        self._grouped.make_props(ids)

    def of_label(self, label: Label) -> list[Node]:
        self._labels = _regrouped(self._labels, self.nodes, attrgetter("label"))
        return list(self._labels[1].get(Label(label), ()))

    def of_type(self, type: Rel) -> list[Edge]:
        rel = Rel(type)
        self._types = _regrouped(self._types, self.edges_of((rel._value_,)), attrgetter("type"))
        return list(self._types[1].get(rel, ()))


def _regrouped(cached: tuple[int, dict[Any, list[Any]]] | None, items: Mapping[Any, Any],
               group_of: Callable[[Any], Any]) -> tuple[int, dict[Any, list[Any]]]:
    """``items`` (the nodes or the edges) by ``group_of``, in their order, with their number: ``cached`` while
    their number is still the one it was grouped at."""
    if cached is not None and cached[0] == len(items):
        return cached
    grouped: dict[Any, list[Any]] = defaultdict(list)
    # (an ingest adds nodes and edges a kind at a time: a million edges at 50k files are 8 runs of one type, each
    # appended in C)
    for group, run in groupby(items.values(), group_of):
        grouped[group].extend(run)
    return len(items), grouped

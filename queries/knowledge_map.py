"""The knowledge map: the file tree with its size and who knows it, for a zoomable treemap.

The tree a reader drills down is *component → directory → file*:

* the root holds the top-level components and, beside them, the directories of
  files that belong to no component;
* a component holds its nested components first (``storage/remote`` inside
  ``storage``: the longest slash-separated prefix of the name that is itself a
  component, or the component's ``parent`` property when it has one), then the
  directories of its own files, starting at the directory all of them share;
* a chain of directories holding nothing but one directory is one node
  (``src/shop``), so every drill-down shows a choice.

Every node carries its size (``lines``, summed over the subtree; ``files``) and
its knowledge, computed with the truck-factor functions of
``queries.ownership`` over the files of its subtree: ``truck_factor`` (Avelino
et al.'s greedy algorithm on the DOA authors), ``orphaned_files`` (files with
no author left once departed, inactive and ``leaving`` people are removed),
the ``holders`` (authors and how many files they author, active or gone) and
the ``last_human_change`` (the newest touch by a person on a KNOWS edge:
agents and bots never have one). ``agent_share`` is the share of changes made
by agents when the File nodes record ``changes`` and ``agent_changes``; the
answer says whether they do (``agent_share_known``).

Answers are bounded: a request names one node (``component``/``path``) and a
``depth``; each node lists at most ``limit`` children (the largest; the rest
are summed into one ``more`` node) and the whole answer at most ``max_nodes``
nodes (nodes past that keep their ``child_count`` and no ``children``), so a
50,000-file repository answers in about half a megabyte at most.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from cairn.graph.errors import InvalidQuery, UnknownName
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.people import PersonIndex
from cairn.graph.threshold_model import Thresholds
from cairn.queries.ownership import file_authors, gone_people, greedy_truck_factor, resolve_people

MAX_DEPTH = 4
DEFAULT_LIMIT = 150
DEFAULT_MAX_NODES = 800
HOLDERS_PER_NODE = 3
HOLDERS_AT_TOP = 100


@dataclass
class _File:
    path: str
    component: str | None
    lines: int | None
    language: str | None
    authors: list[str] = field(default_factory=list)  # person node ids, DOA authors
    last_touch: str | None = None
    last_person: str | None = None
    changes: int | None = None
    agent_changes: int | None = None


@dataclass
class KnowledgeIndex:
    """What the map needs from a graph, read once; reusable for any number of requests on the same graph."""

    repo: str
    files: dict[str, _File]
    names: dict[str, str]  # person node id -> display name
    person_keys: dict[str, str]  # person node id -> person key (the id users see)
    rank: dict[str, int]
    gone: dict[str, str]
    people: PersonIndex  # resolves the names given as leaving=
    components: list[str]
    parent: dict[str, str | None]
    at_risk_truck_factor: int
    orphaned_share_limit: float
    size_measure: str = "files"  # "lines" when every file has its line count (ingests before line counts have none)
    agent_share_known: bool = False  # whether File nodes record changes and agent_changes

    def __post_init__(self) -> None:
        self.size_measure = "lines" if self.files and all(f.lines is not None for f in self.files.values()) else "files"
        self.agent_share_known = any(f.changes is not None and f.agent_changes is not None for f in self.files.values())


def index_knowledge(graph: RepoGraph) -> KnowledgeIndex:
    """Read files, authors, last human touches, people and the component nesting from ``graph``."""
    files: dict[str, _File] = {}
    for node in graph.of_label(Label.FILE):
        lines = node.get("lines")
        changes, agent_changes = node.get("changes"), node.get("agent_changes")
        files[node.key] = _File(
            node.key, node.get("component"), int(lines) if isinstance(lines, (int, float)) else None, node.get("language"),
            changes=int(changes) if isinstance(changes, (int, float)) else None,
            agent_changes=int(agent_changes) if isinstance(agent_changes, (int, float)) else None,
        )
    candidates: dict[str, dict[str, tuple[float, bool]]] = {}
    for edge in graph.of_type(Rel.KNOWS):
        target = graph.nodes.get(edge.target)
        facts = files.get(target.key) if target is not None else None
        if facts is None:
            continue
        if edge.get("doa") is not None:
            candidates.setdefault(facts.path, {})[edge.source] = (float(edge.get("doa")), bool(edge.get("first_authorship")))
        touched = edge.get("last_touch")
        if touched and (facts.last_touch is None or str(touched) > facts.last_touch):
            facts.last_touch, facts.last_person = str(touched), edge.source
    for path, found in candidates.items():
        files[path].authors = file_authors(found)
    people = graph.of_label(Label.PERSON)
    names = {p.id: str(p.get("name") or p.key) for p in people}
    components = sorted(c.key for c in graph.of_label(Label.COMPONENT))
    declared_parent = {c.key: c.get("parent") for c in graph.of_label(Label.COMPONENT)}
    thresholds = Thresholds.of(graph)
    index = PersonIndex(people)
    return KnowledgeIndex(
        repo=graph.repo, files=files, names=names, person_keys={p.id: p.key for p in people},
        rank={p.id: int(p.get("commits") or 0) for p in people}, gone=gone_people(graph, index)[0], people=index,
        components=components,
        parent={name: _parent_of(name, declared_parent.get(name), set(components)) for name in components},
        at_risk_truck_factor=thresholds.at_risk_truck_factor, orphaned_share_limit=thresholds.orphaned_share,
    )


def _parent_of(name: str, declared: Any, known: set[str]) -> str | None:
    if isinstance(declared, str) and declared in known and declared != name:
        return declared
    parts = name.split("/")
    for cut in range(len(parts) - 1, 0, -1):
        prefix = "/".join(parts[:cut])
        if prefix in known:
            return prefix
    return None


# -- the tree ----------------------------------------------------------------------------------------


@dataclass
class _Spec:
    """A node before it is measured: what it is and the files of its subtree."""

    kind: str  # repository, component, directory, file, more
    name: str
    component: str | None
    path: str | None
    files: list[str]
    base: str = ""  # directory the children are grouped below
    own: list[str] = field(default_factory=list)  # files grouped into directories (not in nested components)
    count: int = 0  # for "more": how many children it sums up


class _Tree:
    def __init__(self, index: KnowledgeIndex):
        self.index = index
        self.own_files: dict[str | None, list[str]] = {}
        for f in sorted(index.files):
            self.own_files.setdefault(index.files[f].component, []).append(f)
        self.children_of: dict[str | None, list[str]] = {}
        for name in index.components:
            self.children_of.setdefault(index.parent[name], []).append(name)
        self._subtree: dict[str, list[str]] = {}

    def component_files(self, name: str) -> list[str]:
        if name not in self._subtree:
            out = list(self.own_files.get(name, []))
            for child in self.children_of.get(name, []):
                out.extend(self.component_files(child))
            self._subtree[name] = sorted(out)
        return self._subtree[name]

    def root(self) -> _Spec:
        own = self.own_files.get(None, [])
        return _Spec("repository", self.index.repo, None, None, sorted(self.index.files), base="", own=own)

    def component(self, name: str) -> _Spec:
        own = self.own_files.get(name, [])
        return _Spec("component", name, name, None, self.component_files(name), base=_common_dir(own), own=own)

    def at(self, component: str | None, path: str | None) -> _Spec:
        """The node a request names; ``UnknownName`` when it holds no file."""
        if component is not None and component not in self.index.parent:
            known = ", ".join(self.index.components) or "none"
            raise UnknownName(f"no component named {component!r} (components: {known})", kind="component", name=component,
                              suggestions=self.index.components)
        if path is None:
            return self.component(component) if component is not None else self.root()
        path = path.strip("/")
        own = self.own_files.get(component, [])
        where = f"component {component!r}" if component is not None else "no component"
        if path in self.index.files:
            if self.index.files[path].component != component:
                raise UnknownName(f"{path} is not a file of {where}", kind="path", name=path)
            return self._file(path)
        below = [f for f in own if f.startswith(path + "/")]
        if not below:
            raise UnknownName(f"no file of {where} under {path!r}", kind="path", name=path)
        return _Spec("directory", path.rsplit("/", 1)[-1], component, path, below, base=path, own=below)

    def _file(self, path: str) -> _Spec:
        return _Spec("file", path.rsplit("/", 1)[-1], self.index.files[path].component, path, [path])

    def children(self, spec: _Spec) -> list[_Spec]:
        out: list[_Spec] = []
        if spec.kind == "repository":
            out.extend(self.component(c) for c in self.children_of.get(None, []))
        elif spec.kind == "component":
            out.extend(self.component(c) for c in self.children_of.get(spec.component, []))
        if spec.kind in ("repository", "component", "directory"):
            out.extend(self._grouped(spec.own, spec.base, spec.component))
        return [c for c in out if c.files]

    def _grouped(self, files: list[str], base: str, component: str | None) -> list[_Spec]:
        prefix = base + "/" if base else ""
        groups: dict[str, list[str]] = {}
        out: list[_Spec] = []
        for f in files:
            rest = f[len(prefix):]
            head, sep, _ = rest.partition("/")
            if sep:
                groups.setdefault(head, []).append(f)
            else:
                out.append(self._file(f))
        for head, members in groups.items():
            path = prefix + head
            while True:  # a directory holding only one directory is the same drill-down step
                nexts = [m[len(path) + 1:].partition("/") for m in members]
                heads = {n[0] for n in nexts}
                if len(heads) == 1 and all(n[1] for n in nexts):
                    path = path + "/" + heads.pop()
                    continue
                break
            out.append(_Spec("directory", path[len(prefix):], component, path, members, base=path, own=members))
        return out


def _common_dir(files: list[str]) -> str:
    if not files:
        return ""
    dirs = [f.split("/")[:-1] for f in files]
    common: list[str] = []
    for parts in zip(*dirs):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common)


# -- measuring -------------------------------------------------------------------------------------


class _Measure:
    def __init__(self, index: KnowledgeIndex, leaving: set[str]):
        self.index = index
        self.leaving = leaving
        self.gone = leaving | set(index.gone)
        self.authors = {p: [a for a in f.authors if a not in leaving] for p, f in index.files.items()}

    def person(self, pid: str) -> dict[str, Any]:
        return {"person": self.index.names.get(pid, pid), "id": self.index.person_keys.get(pid, pid)}

    def __call__(self, spec: _Spec, holders: int) -> dict[str, Any]:
        index, files = self.index, spec.files
        tf_people = greedy_truck_factor(files, self.authors, self.index.rank)
        orphaned = sum(1 for f in files if not any(a not in self.gone for a in self.authors[f]))
        authored: dict[str, int] = {}
        newest: _File | None = None
        changes = agent_changes = 0
        for f in files:
            facts = index.files[f]
            for a in self.authors[f]:
                authored[a] = authored.get(a, 0) + 1
            if facts.last_touch and (newest is None or facts.last_touch > (newest.last_touch or "")):
                newest = facts
            changes += facts.changes or 0
            agent_changes += facts.agent_changes or 0
        ranked = sorted(authored.items(), key=lambda item: (-item[1], index.names.get(item[0], item[0]), item[0]))
        size = len(files)
        node: dict[str, Any] = {
            "kind": spec.kind, "name": spec.name, "component": spec.component, "path": spec.path,
            "files": size, "lines": sum(index.files[f].lines or 0 for f in files),
            "truck_factor": len(tf_people),
            "orphaned_files": orphaned, "orphaned_share": round(orphaned / size, 4) if size else 0.0,
            "at_risk": bool(size) and (len(tf_people) <= index.at_risk_truck_factor or orphaned / size > index.orphaned_share_limit),
            "holders": [{**self.person(p), "files": n, "active": p not in self.gone} for p, n in ranked[:holders]],
            "holder_count": len(ranked),
            "last_human_change": None if newest is None else {
                **self.person(newest.last_person or ""), "date": newest.last_touch, "path": newest.path},
            "agent_share": round(agent_changes / changes, 4) if index.agent_share_known and changes else None,
        }
        if spec.kind == "file":
            facts = index.files[spec.path or ""]
            node["language"] = facts.language
            node["authors"] = [{**self.person(a), "active": a not in self.gone} for a in self.authors[spec.path or ""]]
        if spec.kind == "more":
            node["count"] = spec.count
        if holders > HOLDERS_PER_NODE:  # the node asked for: who would have to leave
            node["truck_factor_people"] = [index.names.get(p, p) for p in tf_people]
        return node


def knowledge_map(
    graph: RepoGraph,
    *,
    component: str | None = None,
    path: str | None = None,
    depth: int = 2,
    leaving: Iterable[str] = (),
    limit: int = DEFAULT_LIMIT,
    max_nodes: int = DEFAULT_MAX_NODES,
    index: KnowledgeIndex | None = None,
) -> dict[str, Any]:
    """The subtree at ``component``/``path`` down to ``depth`` levels, measured as if ``leaving`` had left.

    ``index`` (from ``index_knowledge(graph)``) may be passed to skip reading the graph again.
    Raises ``UnknownName`` for a node without files or a name in ``leaving`` that matches nobody,
    ``AmbiguousName`` for a name that matches several people, ``InvalidQuery`` for a depth or limit out of range.
    """
    if not 0 <= depth <= MAX_DEPTH:
        raise InvalidQuery(f"depth must be between 0 and {MAX_DEPTH}")
    if limit < 1 or max_nodes < 1:
        raise InvalidQuery("limit and max_nodes must be at least 1")
    index = index or index_knowledge(graph)
    leaving_ids = set(resolve_people(index.people, leaving))
    tree = _Tree(index)
    measure = _Measure(index, leaving_ids)
    top = tree.at(component, path)
    root = measure(top, HOLDERS_AT_TOP)
    budget = max_nodes - 1
    level = [(root, top)]
    for level_depth in range(depth + 1):
        next_level = []
        for node, spec in level:
            kids = _ranked(tree.children(spec), index)
            node["child_count"] = len(kids)  # also below the requested depth: whether there is more to drill into
            if level_depth < depth and kids and budget > 0:
                shown, rest = _limited(kids, min(limit, budget), index)
                node["children"] = [measure(k, HOLDERS_PER_NODE) for k in shown]
                budget -= len(node["children"])
                next_level.extend(zip(node["children"], shown))
        level = next_level
    return {
        "repository": index.repo,
        "component": component,
        "path": top.path,
        "depth": depth,
        "size_measure": index.size_measure,
        "agent_share_known": index.agent_share_known,
        "leaving": sorted(index.names.get(p, p) for p in leaving_ids),
        "thresholds": {"at_risk_truck_factor": index.at_risk_truck_factor, "orphaned_share": index.orphaned_share_limit},
        "breadcrumbs": _breadcrumbs(index, top),
        "root": root,
    }


def _size(spec: _Spec, index: KnowledgeIndex) -> int:
    return sum(index.files[f].lines or 0 for f in spec.files) if index.size_measure == "lines" else len(spec.files)


def _ranked(specs: list[_Spec], index: KnowledgeIndex) -> list[_Spec]:
    return sorted(specs, key=lambda s: (-_size(s, index), s.kind != "component", s.name))


def _limited(specs: list[_Spec], limit: int, index: KnowledgeIndex) -> tuple[list[_Spec], list[_Spec]]:
    if len(specs) <= limit:
        return specs, []
    keep, rest = specs[: max(limit - 1, 0)], specs[max(limit - 1, 0):]
    files = sorted(f for s in rest for f in s.files)
    more = _Spec("more", f"{len(rest)} more", rest[0].component, None, files, count=len(rest))
    return keep + [more], rest


def _breadcrumbs(index: KnowledgeIndex, top: _Spec) -> list[dict[str, Any]]:
    """The nodes above ``top`` (not ``top`` itself), from the root, each with what to request to get back there."""
    crumbs: list[dict[str, Any]] = [{"kind": "repository", "name": index.repo, "component": None, "path": None}]
    chain: list[str] = []
    name = top.component
    while name is not None:
        chain.insert(0, name)
        name = index.parent.get(name)
    for comp in chain:
        crumbs.append({"kind": "component", "name": comp, "component": comp, "path": None})
    if top.path:
        own = [f for f in index.files if index.files[f].component == top.component]
        base = _common_dir(own) if top.component is not None else ""
        parts = top.path.split("/")
        for cut in range(1, len(parts) + 1):
            sub = "/".join(parts[:cut])
            if len(sub) > len(base) and (not base or sub.startswith(base + "/")):
                crumbs.append({"kind": "file" if sub in index.files else "directory", "name": sub.rsplit("/", 1)[-1],
                               "component": top.component, "path": sub})
    return crumbs[:-1]  # the last one is ``top`` itself

"""The import graph indexed for the contracts: modules, their components, and import edges both ways.

Module ids are the model's module names; an external package ``requests`` is
``external:requests``. Subjects of a rule (``component:api``,
``module:shop.db``, ``external:requests``, a bare word, wildcards) resolve
here to groups of module ids (see ``graph.rules`` for the subject language).
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from typing import Collection, NamedTuple

from cairn.graph.model import ImportsEdge, Label, Rel, RepoGraph, node_id

EXTERNAL = "external:"


class ImportEdge(NamedTuple):
    """An import between two modules: its kind (runtime, dynamic, type_only) and where it is (a tuple: an index
    makes one per IMPORTS edge, tens of thousands)."""

    kind: str
    file: str | None
    line: int | None


class ImportIndex:
    """Modules, components and IMPORTS edges of one graph, indexed both ways."""

    def __init__(self, graph: RepoGraph):
        self.graph = graph
        self.component_modules: dict[str, set[str]] = {}
        self.externals: set[str] = set()
        # Read through ``of_label``/``of_type``: on a ``GroupedGraph`` (the stored answers') that is the groups its
        # other readers share, not one more walk of every node and edge. A node's id is its label's prefix and
        # its key (``node_id``), so the ids are made, not looked up.
        repo = graph.repo
        prefix = node_id(Label.MODULE, repo, "")
        component_of: dict[str, str | None] = {node.key: node.props.get("component") for node in graph.of_label(Label.MODULE)}
        self.component_of = component_of
        ids: dict[str, str] = {prefix + key: key for key in component_of}
        component_modules = self.component_modules
        for key, comp in component_of.items():
            if comp:
                found = component_modules.get(comp)
                if found is None:
                    component_modules[comp] = {key}
                else:
                    found.add(key)
        prefix = node_id(Label.EXTERNAL, repo, "")
        for node in graph.of_label(Label.EXTERNAL):
            ids[prefix + node.key] = EXTERNAL + node.key
            self.externals.add(node.key)
        components = graph.of_label(Label.COMPONENT)
        self.component_nodes = len(components)
        #: component -> the components nested directly in it (their ``parent``)
        self.nested: dict[str, list[str]] = {}
        for node in components:
            self.component_modules.setdefault(node.key, set())
            parent = node.props.get("parent")
            if isinstance(parent, str) and parent != node.key:
                self.nested.setdefault(parent, []).append(node.key)
        self.modules = sorted(self.component_of)
        succ: dict[str, dict[str, ImportEdge]] = {m: {} for m in self.modules}
        pred: dict[str, dict[str, ImportEdge]] = {}
        make_edge = partial(tuple.__new__, ImportEdge)  # ImportEdge(...) without a Python call for each edge
        for e in graph.of_type(Rel.IMPORTS):
            a, b = ids.get(e.source), ids.get(e.target)
            if a is None or b is None or a == b or a.startswith(EXTERNAL):
                continue
            if e.__class__ is ImportsEdge:  # its properties in slots: read without making a dict of them
                kind, file, line = e.first_import
            else:
                props = e.props
                lines = props.get("lines")
                kind, file, line = props.get("kind"), props.get("file"), lines[0] if lines else None
            edge = make_edge((kind or "runtime", file, line))
            succ[a][b] = edge
            found = pred.get(b)
            if found is None:
                pred[b] = {a: edge}
            else:
                found[a] = edge
        self.succ, self.pred = succ, pred
        self._prefix_names: list[str] | None = None

    @classmethod
    def patched(cls, base: "ImportIndex", graph: RepoGraph, modules: Collection[str]) -> "ImportIndex":
        """``ImportIndex(graph)``, made from ``base`` when ``graph`` is ``base.graph`` with the imports of ``modules``
        changed only (``ingest.code_graph.patch_code_graph``'s head while the modules stay the same): the same Module
        nodes in the same components and the same Component nodes, maybe more external packages, and the same
        IMPORTS edges but those of ``modules``. Those modules' imports are read from ``graph``, the rest is
        ``base``'s, shared (an index is never changed once built). When ``graph`` is not such a patch of ``base``,
        it is indexed whole.

        Everything equals a whole index of ``graph``, down to the order of each module's imports and importers
        (a patched graph holds the edges it kept in ``base.graph``'s order, then those it wrote).
        """
        base_nodes = base.graph.nodes
        component_of, component_modules = base.component_of, base.component_modules
        externals = set(base.externals)
        modules_seen = components_seen = 0
        for nid, node in graph.nodes.items():
            label = node.label
            if label is Label.MODULE:
                modules_seen += 1
                if base_nodes.get(nid) is not node and (
                        node.key not in component_of or component_of[node.key] != node.get("component")):
                    return cls(graph)  # a module new to the base, or in another component
            elif label is Label.EXTERNAL:
                externals.add(node.key)
            elif label is Label.COMPONENT:
                components_seen += 1
                if node.key not in component_modules:
                    return cls(graph)
        if modules_seen != len(component_of) or components_seen != base.component_nodes:
            return cls(graph)

        index = cls.__new__(cls)
        index.graph, index.component_of, index.component_modules = graph, component_of, component_modules
        index.externals, index.component_nodes, index.modules = externals, base.component_nodes, base.modules
        index.nested = base.nested
        index._prefix_names = base._prefix_names
        changed = set(modules)
        succ, pred = dict(base.succ), dict(base.pred)
        copied: set[str] = set()  # importers whose entry was copied from base's (base's own is never changed)
        for a in changed:
            for b in base.succ.get(a, {}):
                if b not in copied:
                    pred[b] = dict(pred[b])
                    copied.add(b)
                del pred[b][a]
            if a in succ:
                succ[a] = {}
        nodes = graph.nodes
        for e in graph.edges.values():
            if e.type is not Rel.IMPORTS:
                continue
            src = nodes[e.source]
            if src.label is not Label.MODULE or src.key not in changed:
                continue
            a, tgt = src.key, nodes[e.target]
            b = tgt.key if tgt.label is Label.MODULE else EXTERNAL + tgt.key if tgt.label is Label.EXTERNAL else None
            if b is None or a == b:
                continue
            lines = e.get("lines") or []
            edge = ImportEdge(e.get("kind") or "runtime", e.get("file"), lines[0] if lines else None)
            succ[a][b] = edge
            if b not in copied:
                pred[b] = dict(pred.get(b, {}))
                copied.add(b)
            pred[b][a] = edge
        for b in copied:
            if not pred[b]:
                del pred[b]  # as a whole index has it: no entry for a module nothing imports
        index.succ, index.pred = succ, pred
        return index

    def prefix_names(self) -> list[str]:
        """Every module name and every package prefix implied by one (for wildcard expansion)."""
        if self._prefix_names is None:
            names: set[str] = set()
            for m in self.modules:
                sep = "/" if "/" in m else "."
                parts = m.split(sep)
                for i in range(1, len(parts) + 1):
                    names.add(sep.join(parts[:i]))
            self._prefix_names = sorted(names)
        return self._prefix_names

    def under(self, prefix: str, as_packages: bool = True) -> set[str]:
        if not as_packages:
            return {prefix} if prefix in self.component_of else set()
        dotted, slashed = prefix + ".", prefix + "/"
        return {m for m in self.modules if m == prefix or m.startswith(dotted) or m.startswith(slashed)}

    def resolve(self, subject: str, as_packages: bool = True) -> list[tuple[str, set[str]]]:
        """Groups of module ids a subject names: one group, or one per wildcard match."""
        subject = subject.strip()
        if subject.startswith("component:"):
            name = subject.split(":", 1)[1]
            return [(name, self.component_tree(name))]
        if subject.startswith(EXTERNAL):
            name = subject.split(":", 1)[1]
            return [(subject, {EXTERNAL + name} if name in self.externals else set())]
        explicit_module = subject.startswith("module:")
        if explicit_module:
            subject = subject.split(":", 1)[1]
        elif subject in self.component_modules:
            return [(subject, self.component_tree(subject))]
        if "*" in subject:
            rx = wildcard(subject)
            return [(name, self.under(name, as_packages)) for name in self.prefix_names() if rx.fullmatch(name)]
        modules = self.under(subject, as_packages)
        if not modules and subject in self.externals:
            return [(EXTERNAL + subject, {EXTERNAL + subject})]
        return [(subject, modules)]

    def component_tree(self, name: str) -> set[str]:
        """The modules of component ``name`` and of the components nested in it, at any depth (cometbft's ``libs``
        holds ``libs/pubsub``, a component of its own; prometheus' ``storage`` holds ``storage/remote``): a rule
        about a component is about everything in its folder, as a module subject is about its descendants."""
        modules = set(self.component_modules.get(name, set()))
        seen, todo = {name}, list(self.nested.get(name, ()))
        while todo:
            child = todo.pop()
            if child not in seen:
                seen.add(child)
                modules |= self.component_modules.get(child, set())
                todo.extend(self.nested.get(child, ()))
        return modules

    def component(self, module: str) -> str | None:
        return self.component_of.get(module)


@lru_cache(maxsize=512)
def wildcard(pattern: str) -> re.Pattern[str]:
    """import-linter's wildcards as a regex: ``*`` one name segment, ``**`` one or more."""
    sep = "/" if "/" in pattern else "."
    seg = "[^/]+" if sep == "/" else "[^.]+"
    parts = []
    for part in pattern.split(sep):
        if part == "**":
            parts.append(f"{seg}(?:{re.escape(sep)}{seg})*")
        else:
            parts.append(re.escape(part).replace(r"\*", seg))
    return re.compile(re.escape(sep).join(parts))


def matches(pattern: str, module: str) -> bool:
    """Whether an exception pattern matches a module id (exactly, or by wildcards)."""
    if "*" not in pattern:
        return pattern == module or (module.startswith(EXTERNAL) and pattern == module[len(EXTERNAL):])
    name = module[len(EXTERNAL):] if module.startswith(EXTERNAL) else module
    return bool(wildcard(pattern).fullmatch(name))

"""The IMPORTS edges of a code graph held as the columns they are made from, until something reads them.

After a commit, an ingest builds every Module -IMPORTS-> Module/ExternalPackage edge of the repository (59,000 at 10k
modules), while the save writes those of the few modules the commit changed (``code_graph.import_changes``) and the
answers computed again read those of the components it touched. ``PendingImports`` holds what
``code_graph.import_edges`` makes them from, in their place in the graph (``RepoGraph.defer_edges``), as
``graph.lazy_knows`` holds the KNOWS edges: the first reader of them all (``RepoGraph.edges``, ``of_type(IMPORTS)``)
makes every one, as ``build_code_graph`` would have made them then; a reader of a few (``edge``, ``has_edge``,
``edges_into``) gets those made alone. ``CAIRN_VERIFY_SKIPS=1`` checks each edge made alone against making them all.
"""

from __future__ import annotations

from copy import deepcopy
from itertools import accumulate, compress, repeat
from typing import Any, Collection, Iterable, Sequence

from cairn.graph.model import (
    Edge,
    ImportsEdge,
    Rel,
    check_made_alone,
    check_sources_alone,
)
from cairn.graph.store import verifying_skips

#: One module's imports grouped one by one: target id -> (kind, line, file) of a target imported once (an
#: ``ImportsEdge``), or the properties of the edge to one imported again.
Group = dict[str, "tuple[str, int, str] | dict"]
#: A run of the edges, in their order: (start, end, None), the imports ``start:end`` of the columns each an edge of
#: their own; or (source id, 0, its ``Group``), a module whose imports were grouped.
Run = tuple[Any, int, "Group | None"]


class PendingImports:
    """IMPORTS edges not made yet (``graph.model.PendingEdges``): ``runs`` in order (``Run``), over the columns of the
    imports (source id, target id, kind, line, file of each), which hold each module's imports together:
    ``importers`` are the modules' ids in their order there, ``counts`` how many imports each has."""

    type = Rel.IMPORTS

    def __init__(self, position: int, sources: Sequence[str], targets: Sequence[str], kinds: Sequence[str],
                 lines: Sequence[int], files: Sequence[str], runs: list[Run], importers: Sequence[str],
                 counts: Sequence[int]):
        self.position = position
        self.sources, self.targets, self.kinds, self.lines, self.files = sources, targets, kinds, lines, files
        self.runs, self.importers, self.counts = runs, importers, counts
        self._len = sum(end - start if group is None else len(group) for start, end, group in runs)
        self._index: dict[str, tuple[int, int] | Group] | None = None  # source id -> its imports' range, or its group

    def __len__(self) -> int:
        return self._len

    def make(self) -> tuple[Iterable[tuple[str, str, str]], list[Edge]]:
        return self._made(False)

    def apart(self) -> tuple[Iterable[tuple[str, str, str]], list[Edge]]:
        return self._made(True)

    def _made(self, apart: bool) -> tuple[list[tuple[str, str, str]], list[Edge]]:
        """Every key and edge, in order; ``apart``: each edge's properties its own (the graph's share its group's)."""
        keys: list[tuple[str, str, str]] = []
        edges: list[Edge] = []
        imports = Rel.IMPORTS.value
        sources, targets = self.sources, self.targets
        for start, end, group in self.runs:
            if group is None:
                keys += zip(repeat(imports), sources[start:end], targets[start:end])
                edges += map(ImportsEdge, sources[start:end], targets[start:end], self.kinds[start:end],
                             self.lines[start:end], self.files[start:end])
                continue
            for tid, value in group.items():
                keys.append((imports, start, tid))
                edges.append(_grouped_edge(start, tid, value, apart))
        return keys, edges

    def _indexed(self) -> dict[str, tuple[int, int] | Group]:
        if self._index is None:
            starts = list(accumulate(self.counts, initial=0))
            index: dict[str, tuple[int, int] | Group] = dict(zip(self.importers, zip(starts, starts[1:])))
            index.update((start, group) for start, _, group in self.runs if group is not None)
            self._index = index
        return self._index

    def _find(self, key: tuple[str, str, str]) -> Edge | None:
        found = self._indexed().get(key[1])
        if found is None:
            return None
        if type(found) is dict:
            value = found.get(key[2])
            return None if value is None else _grouped_edge(key[1], key[2], value, True)
        start, end = found  # type: ignore[misc]
        try:
            at = self.targets.index(key[2], start, end)
        except ValueError:
            return None
        return ImportsEdge(key[1], key[2], self.kinds[at], self.lines[at], self.files[at])

    def get(self, key: tuple[str, str, str]) -> Edge | None:
        edge = self._find(key)
        if verifying_skips():
            check_made_alone(self, edge, (), key)
        return edge

    def has(self, key: tuple[str, str, str]) -> bool:
        found = self._find(key) is not None
        if verifying_skips() and found is not (key in set(self.apart()[0])):
            raise AssertionError(f"an IMPORTS edge looked up alone is not among those made at once: {key}")
        return found

    def sources_into(self, targets: Collection[str]) -> set[str]:
        sources, wanted = self.sources, (targets if isinstance(targets, (set, frozenset, dict)) else set(targets)).__contains__
        found: set[str] = set()
        for start, end, group in self.runs:
            if group is None:
                found.update(compress(sources[start:end], map(wanted, self.targets[start:end])))
            elif any(map(wanted, group)):
                found.add(start)
        if verifying_skips():
            check_sources_alone(self, found, targets)
        return found

    def into(self, targets: Collection[str]) -> list[Edge]:
        edges: list[Edge] = []
        sources, wanted = self.sources, targets.__contains__
        for start, end, group in self.runs:
            if group is None:
                edges += (ImportsEdge(sources[at], self.targets[at], self.kinds[at], self.lines[at], self.files[at])
                          for at in compress(range(start, end), map(wanted, self.targets[start:end])))
            else:
                edges += (_grouped_edge(start, tid, value, True) for tid, value in group.items() if wanted(tid))
        if verifying_skips():
            check_made_alone(self, edges, targets)
        return edges


def _grouped_edge(source: str, target: str, value: tuple[str, int, str] | dict, apart: bool) -> Edge:
    """The edge of a grouped module to ``target``: an ``ImportsEdge`` of (kind, line, file), or an edge of the
    properties ``value`` (``apart``: a copy of them, so that what is done to it leaves the graph's alone)."""
    if type(value) is dict:
        return Edge(Rel.IMPORTS, source, target, deepcopy(value) if apart else value)
    return ImportsEdge(source, target, *value)  # type: ignore[misc]

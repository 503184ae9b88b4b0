"""The KNOWS edges of a graph held as the columns they are made from, until something reads them.

After a commit, an ingest builds every Person -KNOWS-> File edge of the repository (143,000 at 10k files, 570,000
at 50k), while the save writes those of the few files the commit changed and the answers read those of the
components it touched. ``PendingKnows`` holds what ``ingest.knowledge`` makes them from (its memory's columns) in
their place in the graph (``RepoGraph.defer_edges``): the first reader of them all (``RepoGraph.edges``,
``of_type(KNOWS)``) makes every one, as ``knowledge`` would have made them then; a reader of a few (``edge``,
``edges_into``) gets those made alone. The bus factor's ``author`` flags (``set_authors``), given before they are
made, are set as they are made. ``CAIRN_VERIFY_SKIPS=1`` checks each edge made alone against making them all.
"""

from __future__ import annotations

from array import array
from itertools import accumulate, chain, repeat
from operator import attrgetter
from typing import Collection, Iterable

from cairn.graph.model import (
    KnowsEdge,
    Rel,
    check_made_alone,
    check_sources_alone,
    set_authors,
)
from cairn.graph.store import verifying_skips

_SOURCE, _TARGET = attrgetter("source"), attrgetter("target")


class PendingKnows:
    """KNOWS edges not made yet (``graph.model.PendingEdges``): entry ``i`` is the edge from ``node_of[person[i]]``
    to the file of ``file_ids`` whose ``count`` entries hold it, its first five properties ``values[shapes[i]]``,
    its last touch ``touch[i]``."""

    type = Rel.KNOWS

    def __init__(self, position: int, node_of: list[str], person: array, file_ids: list[str], count: array,
                 values: list[tuple], shapes: array, touch: list[str | None]):
        self.position = position
        self.node_of, self.person, self.file_ids, self.count = node_of, person, file_ids, count
        self.values, self.shapes, self.touch = values, shapes, touch
        self.flags: list[bool] | None = None  # the ``author`` of each, once given
        self.made: list[KnowsEdge] | None = None
        self._starts: dict[str, tuple[int, int]] | None = None  # file id -> (first entry, how many)
        self._people: dict[str, dict[str, int]] = {}  # file id -> Person node id -> its entry, of the files looked up
        self._keys: set[tuple[str, str, str]] | None = None  # every key, for the check of ``has``

    def __len__(self) -> int:
        return len(self.person)

    def make(self) -> tuple[Iterable[tuple[str, str, str]], list[KnowsEdge]]:
        keys, self.made = self.apart()
        return keys, self.made

    def apart(self) -> tuple[Iterable[tuple[str, str, str]], list[KnowsEdge]]:
        # the keys read off the edges made, not from lists of the sources and targets beside them (at 50k files, 570k
        # edges: 9 MB more at the peak of the knowledge's step)
        made = list(map(KnowsEdge, map(self.node_of.__getitem__, self.person),
                        chain.from_iterable(map(repeat, self.file_ids, self.count)),
                        map(self.values.__getitem__, self.shapes), self.touch))
        if self.flags is not None:
            set_authors(made, self.flags)
        return zip(repeat(Rel.KNOWS.value), map(_SOURCE, made), map(_TARGET, made)), made

    def set_authors(self, flags: list[bool]) -> None:
        """``author`` of each edge, in order: set on the edges made, or as they are made."""
        if self.made is not None:
            set_authors(self.made, flags)
        else:
            self.flags = flags

    def _entry(self, at: int, source: str, target: str) -> KnowsEdge:
        edge = KnowsEdge(source, target, self.values[self.shapes[at]], self.touch[at])
        if self.flags is not None:
            edge.set("author", self.flags[at])
        return edge

    def _ranges(self) -> dict[str, tuple[int, int]]:
        if self._starts is None:
            self._starts = dict(zip(self.file_ids, zip(accumulate(self.count, initial=0), self.count)))
        return self._starts

    def _entry_of(self, key: tuple[str, str, str]) -> int | None:
        """The entry of the edge of ``key``, or None (the entries of its file indexed when first looked up)."""
        people = self._people.get(key[2])
        if people is None:
            found = self._ranges().get(key[2])
            if found is None:
                return None
            start, n = found
            people = self._people[key[2]] = dict(zip(map(self.node_of.__getitem__, self.person[start:start + n]),
                                                     range(start, start + n)))
        return people.get(key[1])

    def get(self, key: tuple[str, str, str]) -> KnowsEdge | None:
        at = self._entry_of(key)
        edge = None if at is None else self._entry(at, key[1], key[2])
        if verifying_skips():
            check_made_alone(self, edge, (), key)
        return edge

    def has(self, key: tuple[str, str, str]) -> bool:
        found = self._entry_of(key) is not None
        if verifying_skips():
            if self._keys is None:
                self._keys = set(self.apart()[0])
            if found is not (key in self._keys):
                raise AssertionError(f"a KNOWS edge looked up alone is not among those made at once: {key}")
        return found

    def sources_into(self, targets: Collection[str]) -> set[str]:
        ranges, person = self._ranges(), self.person
        found: set[int] = set()
        for start, n in filter(None, map(ranges.get, targets)):
            found.update(person[start:start + n])
        sources = set(map(self.node_of.__getitem__, found))
        if verifying_skips():
            check_sources_alone(self, sources, targets)
        return sources

    def into(self, targets: Collection[str]) -> list[KnowsEdge]:
        ranges = self._ranges()
        node_of, person = self.node_of, self.person
        edges = [self._entry(at, node_of[person[at]], target)
                 for start, n, target in sorted((*ranges[t], t) for t in targets if t in ranges)
                 for at in range(start, start + n)]
        if verifying_skips():
            check_made_alone(self, edges, targets)
        return edges

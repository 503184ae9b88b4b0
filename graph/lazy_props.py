"""Edges whose properties are decoded from their stored JSON when first read, a run of rows at a time.

A store that reads many edges a caller may never look into (the PR check reads
every component dependency of a 50,000-module repository, 90,000 DEPENDS_ON
edges, and looks at the properties of a handful) keeps each run of rows' JSON
text undecoded: the first edge of the run whose ``props`` is read decodes the
whole run with one ``loads`` call (as an eager read does), and every edge of
it becomes a plain ``Edge`` again. Until then an edge is a ``LazyEdge``, an
``Edge`` in every respect (its fields, ``get``, equality with a plain edge,
``repr``, ``dataclasses.replace``): nothing can tell a lazy edge from a
decoded one but its type, and reading it makes it a decoded one.
"""

from __future__ import annotations

from typing import Any, Iterable

from cairn.graph.errors import StoreError
from cairn.graph.model import Edge, Rel
from cairn.graph.values import loads

#: The ``props`` slot of ``Edge`` itself, under ``LazyEdge``'s property of the same name.
_PROPS = Edge.__dict__["props"]


class _Run:
    """The undecoded properties of a run of edges read together: their JSON texts, decoded at once when asked."""

    __slots__ = ("edges", "texts")

    def __init__(self, texts: list[str]):
        self.edges: list[LazyEdge] = []
        self.texts = texts

    def decode(self) -> None:
        edges, texts = self.edges, self.texts
        try:
            decoded = loads("[" + ",".join(texts) + "]")
        except ValueError as exc:  # read after the store's read ended: its damage is said here, as the store says it
            raise StoreError(f"a stored relationship's properties are damaged ({exc}); re-ingest the repository "
                             "(or move the store away)") from exc
        self.edges, self.texts = [], []
        for edge, props in zip(edges, decoded):
            if _PROPS.__get__(edge) is self:  # not set by someone meanwhile
                _PROPS.__set__(edge, props)
            edge.__class__ = Edge  # a plain edge from now on: no property between a reader and its props


class LazyEdge(Edge):
    """An ``Edge`` whose ``props`` slot holds its run (``_Run``) until they are first read (see the module docstring)."""

    __slots__ = ()

    @property  # type: ignore[override]
    def props(self) -> dict[str, Any]:
        value = _PROPS.__get__(self)
        if type(value) is _Run:
            value.decode()
            value = _PROPS.__get__(self)
        return value

    @props.setter
    def props(self, value: dict[str, Any] | _Run) -> None:
        _PROPS.__set__(self, value)

    def __eq__(self, other: object) -> bool:
        """As a decoded edge compares (a plain ``Edge`` compares only with its own type)."""
        if isinstance(other, Edge):
            self.props, other.props  # noqa: B018 - decoded: plain edges both, unless set before decoding
            return (self.type, self.source, self.target, self.props) == (other.type, other.source, other.target, other.props)
        return NotImplemented

    def __repr__(self) -> str:
        self.props  # noqa: B018 - decoded: a plain edge, printed as one
        return Edge.__repr__(self) if type(self) is Edge else repr(Edge(self.type, self.source, self.target, self.props))

    __hash__ = None  # type: ignore[assignment]  # as Edge's: a mutable dataclass


def lazy_edges(runs: Iterable[list[tuple[str, str, str, str]]], rels: dict[str, Rel],
               edges: dict[tuple[str, str, str], Edge]) -> None:
    """Add to ``edges`` an edge per row ``(type, source id, target id, props as JSON text)`` of each run of ``runs``,
    the properties of a run decoded together when one of its edges' is first read."""
    plain, lazy = Edge, LazyEdge
    for rows in runs:
        run = _Run([row[3] for row in rows])
        made = run.edges
        for type_, source, target, _ in rows:
            edge = plain(rels[type_], source, target, run)  # made plain and turned lazy: cheaper than through the setter
            edge.__class__ = lazy
            made.append(edge)
            edges[(type_, source, target)] = edge


def lazy_edge_columns(type_: str, rel: Rel, sources: list[str], targets: list[str], texts: list[str],
                      edges: dict[tuple[str, str, str], Edge], run_size: int) -> None:
    """``lazy_edges`` for edges of one type given as columns (source ids, target ids, props as JSON texts), in runs of
    ``run_size``."""
    plain, lazy = Edge, LazyEdge
    for start in range(0, len(sources), run_size):
        end = start + run_size
        run = _Run(texts[start:end])
        made = run.edges
        for source, target in zip(sources[start:end], targets[start:end]):
            edge = plain(rel, source, target, run)  # made plain and turned lazy: cheaper than through the setter
            edge.__class__ = lazy
            made.append(edge)
            edges[(type_, source, target)] = edge

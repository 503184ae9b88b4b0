"""Edges whose properties are decoded when first read (graph.lazy_props): an Edge in every respect."""

from __future__ import annotations

import dataclasses

from cairn.graph.lazy_props import LazyEdge, lazy_edges
from cairn.graph.model import Edge, Rel
from cairn.graph.values import dumps

RELS = {rel.value: rel for rel in Rel}


def made(*runs: list[tuple[str, str, str, dict]]) -> dict:
    edges: dict = {}
    lazy_edges(([(t, s, d, dumps(p)) for t, s, d, p in run] for run in runs), RELS, edges)
    return edges


def test_a_run_is_decoded_whole_when_one_of_its_edges_is_read_and_its_edges_become_plain():
    edges = made([("DEPENDS_ON", "a", "b", {"count": 1, "kinds": {"runtime": 1}}), ("DEPENDS_ON", "b", "c", {"count": 2})],
                 [("IMPORTS", "x", "y", {"lines": [3]})])
    assert all(type(e) is LazyEdge for e in edges.values())
    assert edges[("DEPENDS_ON", "a", "b")].get("kinds") == {"runtime": 1}
    assert type(edges[("DEPENDS_ON", "a", "b")]) is Edge and type(edges[("DEPENDS_ON", "b", "c")]) is Edge
    assert edges[("DEPENDS_ON", "b", "c")].props == {"count": 2}
    assert type(edges[("IMPORTS", "x", "y")]) is LazyEdge  # another run: still as read
    assert edges[("IMPORTS", "x", "y")].props["lines"] == [3]


def test_a_lazy_edge_compares_prints_and_copies_as_a_plain_one():
    plain = Edge(Rel.DEPENDS_ON, "a", "b", {"count": 1})
    for compare in (lambda e: e == plain, lambda e: plain == e, lambda e: not (e != plain)):
        edge = made([("DEPENDS_ON", "a", "b", {"count": 1})])[("DEPENDS_ON", "a", "b")]
        assert compare(edge)
    other = made([("DEPENDS_ON", "a", "b", {"count": 2})])[("DEPENDS_ON", "a", "b")]
    assert other != plain and plain != other and other != "DEPENDS_ON"
    edge = made([("DEPENDS_ON", "a", "b", {"count": 1})])[("DEPENDS_ON", "a", "b")]
    assert repr(edge) == repr(plain)
    edge = made([("DEPENDS_ON", "a", "b", {"count": 1})])[("DEPENDS_ON", "a", "b")]
    assert dataclasses.replace(edge, target="c") == Edge(Rel.DEPENDS_ON, "a", "c", {"count": 1})
    assert isinstance(edge, Edge) and edge.type is Rel.DEPENDS_ON and edge.key == ("DEPENDS_ON", "a", "b")


def test_properties_set_before_the_run_is_decoded_are_kept():
    edges = made([("DEPENDS_ON", "a", "b", {"count": 1}), ("DEPENDS_ON", "b", "c", {"count": 2})])
    edges[("DEPENDS_ON", "a", "b")].props = {"count": 9}
    assert edges[("DEPENDS_ON", "b", "c")].props == {"count": 2}  # decodes the run
    assert edges[("DEPENDS_ON", "a", "b")].props == {"count": 9}

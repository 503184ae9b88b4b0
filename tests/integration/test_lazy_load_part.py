"""The embedded store's ``load_part``: edges decoded when first read, equal to those of a whole load.

Its edges are ``graph.lazy_props.LazyEdge`` until read; with nodes read in the
same call their ends' ids come from those nodes and others are looked up (no
join), without nodes from the join: either way each edge is the one ``load``
gives, in the same order.
"""

from __future__ import annotations

from cairn.graph.lazy_props import LazyEdge
from cairn.graph.model import Edge, Label, Rel
from cairn.graph.sqlite_store import SqliteStore
from test_neo4j_store import tricky_graph


def test_edges_read_in_part_are_lazy_and_equal_those_of_a_whole_load(tmp_path):
    store = SqliteStore(tmp_path / "store")
    store.save(tricky_graph("part"))
    whole = store.load("part")
    for labels, rels in (((Label.COMPONENT,), (Rel.PART_OF, Rel.DEPENDS_ON)),  # PART_OF from modules not read
                         ((), (Rel.IMPORTS, Rel.KNOWS)),
                         ((Label.PERSON, Label.FILE), (Rel.KNOWS,))):
        part = store.load_part("part", labels, rels)
        assert part.edges and all(type(e) is LazyEdge for e in part.edges.values())
        expected = [k for k in whole.edges if whole.edges[k].type in rels]
        assert [k for k in part.edges] == [k for k in sorted(part.edges, key=expected.index)]  # the stored order
        assert set(part.edges) == set(expected)
        assert all(part.edges[k] == whole.edges[k] for k in expected)
        assert all(type(e) is Edge for e in part.edges.values())  # read, hence decoded


def test_a_damaged_stored_value_is_a_store_error_wherever_it_is_read(tmp_path):
    """A row damaged outside Cairn is reported as the store's damage, never as a JSON error from deep inside."""
    import contextlib
    import sqlite3

    import pytest

    from cairn.graph.errors import StoreError

    store = SqliteStore(tmp_path / "store")
    store.save(tricky_graph("part"))
    store.save_answers("part", {"a1/components": {"ok": True}})
    assert store.load_answer("part", "a1/components") == {"ok": True}
    with contextlib.closing(sqlite3.connect(tmp_path / "store" / "cairn.db")) as db, db:
        db.execute("UPDATE relationships SET props = '{\"count\": 1, bad' WHERE type = 'IMPORTS'")
        db.execute("UPDATE answers SET value = '[1,'")
    with pytest.raises(StoreError, match="a stored value is damaged"):
        store.load("part")
    part = store.load_part("part", (), (Rel.IMPORTS,))  # read lazily: the damage shows when a property is
    with pytest.raises(StoreError, match="properties are damaged"):
        next(iter(part.edges.values())).props
    with pytest.raises(StoreError, match="a stored value is damaged"):
        store.load_answer("part", "a1/components")
    with contextlib.closing(sqlite3.connect(tmp_path / "store" / "cairn.db")) as db, db:
        db.execute("UPDATE repositories SET props = 'nope'")
    with pytest.raises(StoreError, match="a stored value is damaged"):
        store.repositories()

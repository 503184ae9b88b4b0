"""The cold save of the embedded store: a database built aside and linked in whole (graph.sqlite_first), rows inserted
many to a statement, property maps encoded a column at a time — the rows a save into an existing database stores;
and schema 3 (no index of relationships by source), to which a store of schema 2 is migrated."""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import time
from pathlib import Path

import cairn.graph.sqlite_first as sqlite_first
import cairn.graph.sqlite_write as sqlite_write
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.sqlite_store import SCHEMA_VERSION, SqliteStore
from cairn.graph.store import GraphChanges
from cairn.graph.values import dumps

from test_embedded_store import graph_state, schema, small_graph, writer_halfway



class _Knows:
    """Properties made as an instance's attributes: ``vars`` of it is a key-sharing dict (as ingest makes KNOWS')."""

    def __init__(self, i: int, shared_score: float):
        self.first_authorship = i % 3 == 0
        self.deliveries = i * 7
        self.acceptances = -i
        self.doa = shared_score if i > 40 else None  # batches of floats only, and of floats and nulls
        self.reviews = 10**30 + i if i % 5 == 0 else i
        self.last_touch = f"2024-0{i % 9 + 1}-01T00:00:00+00:00 é – 中 \"q\" \\ \t %s {i}"


def odd_graph(repo: str, people: int = 7, files: int = 90) -> RepoGraph:
    """Nodes and edges whose properties hold what JSON makes hard: non-ASCII, escapes, floats, big ints, None,
    nested lists and maps; KNOWS properties share their keys, as ingest's do."""
    g = RepoGraph(repo)
    g.add_node(Label.REPOSITORY, repo, head="abc", weird=["é", 1.5, None, {"x": [1, [2]]}])
    comp = g.add_node(Label.COMPONENT, "core", paths=["core/**"], share=1 / 3)
    scores = [0.1, 2.5, 1e300, 5e-324, -0.0, 123456789.125]  # a few float objects, each used many times
    persons = [g.add_node(Label.PERSON, f"p{i}@x", name=f"Zoë {i}", kind="human", commits=i) for i in range(people)]
    for f in range(files):
        node = g.add_node(Label.FILE, f"core/f{f}.py", lines=f, change_days=[f, f + 1], owner=None,
                          note=f"line\nbreak {f} % \u2028", ratio=f / 7)
        g.add_edge(Rel.PART_OF, node, comp)
        if f:
            g.add_edge(Rel.IMPORTS, g.node(Label.FILE, f"core/f{f - 1}.py"), node, kind="runtime", lines=[f],
                       kinds={"runtime": [f], "type_only": []} if f % 2 else {"runtime": [f]}, file=f"core/f{f}.py")
        for p, person in enumerate(persons):
            if (f + p) % 3:
                g.add_edge(Rel.KNOWS, person, node).props = vars(_Knows(f * people + p, scores[(f + p) % len(scores)]))
    edge = g.edges[(Rel.KNOWS.value, persons[1].id, g.node(Label.FILE, "core/f1.py").id)]
    edge.props = dict(edge.props, doa=math.inf)  # one that dumps writes as Infinity
    return g


def stored_texts(root: Path, repo: str) -> tuple[dict, dict]:
    with contextlib.closing(sqlite3.connect(root / "cairn.db")) as db:
        rid = db.execute("SELECT rid FROM repositories WHERE repo = ?", (repo,)).fetchone()[0]
        nodes = dict(db.execute("SELECT id, props FROM nodes WHERE rid = ?", (rid,)))
        edges = {(t, s, d): p for t, s, d, p in db.execute("SELECT type, src, dst, props FROM relationships_by_id "
                                                           "WHERE repo = ?", (repo,))}
    return nodes, edges


def all_rows(root: Path) -> dict[str, list]:
    with contextlib.closing(sqlite3.connect(root / "cairn.db")) as db:
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
                for table in ("nodes", "relationships", "digests")}


def test_a_cold_save_stores_for_every_property_map_the_text_dumps_gives(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_write, "ROWS_PER_INSERT", 7)  # statements of 7 rows and a shorter last one
    monkeypatch.setattr(sqlite_write, "BATCH", 50)  # maps encoded 50 at a time: columns of every kind
    graph = odd_graph("shop")
    SqliteStore(tmp_path / "s").save(graph)
    nodes, edges = stored_texts(tmp_path / "s", "shop")
    assert nodes == {node_id: dumps(node.props) for node_id, node in graph.nodes.items()}
    assert edges == {key: dumps(edge.props) for key, edge in graph.edges.items()}
    assert graph_state(SqliteStore(tmp_path / "s").load("shop")) == graph_state(graph)


def test_a_first_save_stores_the_rows_a_save_into_an_existing_database_stores(tmp_path):
    graph = odd_graph("shop")
    hint = frozenset({Rel.KNOWS, Rel.IMPORTS})
    SqliteStore(tmp_path / "new").save_changes(GraphChanges(graph, patched_next=hint))
    existing = SqliteStore(tmp_path / "existing")
    existing.save_reviews("shop", [])  # the database exists: the save goes into it, in WAL mode
    existing.save_changes(GraphChanges(graph, patched_next=hint))
    assert all_rows(tmp_path / "new") == all_rows(tmp_path / "existing")
    assert schema(tmp_path / "new") == schema(tmp_path / "existing")
    with contextlib.closing(sqlite3.connect(tmp_path / "new" / "cairn.db")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == [".gitignore", "cairn.db"]  # no temporary left
    # the mode SQLite gives a database it creates (0666 less the umask), which other users of a store may need
    mode = (tmp_path / "new" / "cairn.db").stat().st_mode & 0o777
    assert mode == (tmp_path / "existing" / "cairn.db").stat().st_mode & 0o777 and mode & 0o044
    again = SqliteStore(tmp_path / "new")  # and it is an ordinary store from then on
    again.save(small_graph("other", 4))
    assert graph_state(again.load("other")) == graph_state(small_graph("other", 4))


def test_a_first_save_in_many_batches_stores_what_one_batch_stores(tmp_path, monkeypatch):
    graph = odd_graph("shop")
    SqliteStore(tmp_path / "one").save_changes(GraphChanges(graph))
    monkeypatch.setattr(sqlite_write, "BATCH", 3)  # nodes and relationships cut into many batches
    SqliteStore(tmp_path / "many").save_changes(GraphChanges(graph))
    assert len(graph.nodes) > 9 and all_rows(tmp_path / "many") == all_rows(tmp_path / "one")


def test_a_first_save_in_a_cache_smaller_than_the_database_stores_what_the_usual_cache_stores(tmp_path, monkeypatch):
    """The first save builds its database in a small page cache (``FIRST_SAVE_CACHE_KIB``, which also bounds the
    memory each index is sorted in once the tables are full): pages leave the cache as the rows go in and the indexes
    are sorted in runs merged from temporary files; the rows and indexes are those a store's 32 MiB cache makes."""
    graph = odd_graph("shop", people=30, files=400)
    monkeypatch.setattr(sqlite_first, "FIRST_SAVE_CACHE_KIB", 32768)
    SqliteStore(tmp_path / "usual").save_changes(GraphChanges(graph))
    monkeypatch.setattr(sqlite_first, "FIRST_SAVE_CACHE_KIB", 64)  # 16 pages: every table and index spills
    SqliteStore(tmp_path / "small").save_changes(GraphChanges(graph))
    assert (tmp_path / "small" / "cairn.db").stat().st_size > 10 * 64 * 1024  # ten times the cache
    assert all_rows(tmp_path / "small") == all_rows(tmp_path / "usual")
    assert schema(tmp_path / "small") == schema(tmp_path / "usual")
    with contextlib.closing(sqlite3.connect(tmp_path / "small" / "cairn.db")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA cache_size").fetchone()[0] == -2000  # the setting is the connection's, not kept
        indexed = db.execute("SELECT count(*) FROM relationships INDEXED BY relationships_by_dst WHERE rid > 0")
        assert indexed.fetchone()[0] == len(graph.edges)


def test_a_database_made_meanwhile_is_saved_into_and_the_one_built_aside_dropped(tmp_path):
    root = tmp_path / "s"
    made = []

    def meanwhile(done, total):
        if not made:  # another writer creates the database while this first save builds its own
            SqliteStore(root).save(small_graph("other", 3))
            made.append(True)

    SqliteStore(root).save(small_graph("shop", 40), progress=meanwhile)
    store = SqliteStore(root)
    assert graph_state(store.load("shop")) == graph_state(small_graph("shop", 40))
    assert graph_state(store.load("other")) == graph_state(small_graph("other", 3))
    assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]


def test_a_first_save_killed_midway_leaves_no_database_and_readers_never_wait(tmp_path):
    root = tmp_path / "s"
    with writer_halfway(root, 20000):
        reader = SqliteStore(root)
        started = time.monotonic()
        assert reader.repositories() == [] and not (root / "cairn.db").exists()
        assert time.monotonic() - started < 60  # not the writer's time: it sleeps ten minutes
    assert not (root / "cairn.db").exists()
    leftovers = [p for p in root.iterdir() if p.name.startswith(".cairn.db.") and p.name.endswith(".tmp")]
    assert len(leftovers) == 1
    old = time.time() - 3600
    os.utime(leftovers[0], (old, old))  # a killed writer's, by its age
    store = SqliteStore(root)
    store.save(small_graph("shop", 5))
    assert graph_state(store.load("shop")) == graph_state(small_graph("shop", 5))
    assert not leftovers[0].exists()
    reference = tmp_path / "reference"
    SqliteStore(reference).save(small_graph("shop", 2))
    assert schema(root) == schema(reference)


def test_a_store_of_schema_2_loses_the_index_by_source_and_reads_and_saves_as_before(tmp_path):
    root = tmp_path / "s"
    graph = odd_graph("shop", people=3, files=20)
    SqliteStore(root).save(graph)
    with contextlib.closing(sqlite3.connect(root / "cairn.db")) as db, db:  # as a version 2 build left it
        db.execute("CREATE INDEX relationships_by_src ON relationships (rid, src)")
        db.execute("PRAGMA user_version = 2")
    store = SqliteStore(root)
    assert graph_state(store.load("shop")) == graph_state(graph)
    with contextlib.closing(sqlite3.connect(root / "cairn.db")) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'relationships_by_src'").fetchone()[0] == 0
    smaller = odd_graph("shop", people=2, files=15)
    store.save(smaller)
    fresh = tmp_path / "fresh"
    SqliteStore(fresh).save(smaller)
    assert stored_texts(root, "shop") == stored_texts(fresh, "shop")
    around = store.load_around("shop", [smaller.node(Label.FILE, "core/f3.py").id], rels=[Rel.KNOWS, Rel.IMPORTS])
    assert {k for k in around.edges} == {k for k in smaller.edges if k[0] in ("KNOWS", "IMPORTS")
                                         and smaller.node(Label.FILE, "core/f3.py").id in k[1:]}

"""The embedded store's chunk digests: a save skips the chunks stored as they are, and ends exactly as a full merge."""

import contextlib
import json
import random
import sqlite3
from operator import itemgetter
from pathlib import Path

import pytest

import cairn.graph.sqlite_chunks as sqlite_chunks
import cairn.graph.sqlite_write as sqlite_write
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.sqlite_store import SCHEMA_VERSION, SqliteStore
from cairn.graph.store import GraphChanges


def graph_of(repo: str, modules: int, seed: int = 0) -> RepoGraph:
    rng = random.Random(seed)
    g = RepoGraph(repo)
    g.add_node(Label.REPOSITORY, repo, path=f"/src/{repo}")
    comps = [g.add_node(Label.COMPONENT, f"c{i}", paths=[f"c{i}/**"], files=i) for i in range(5)]
    mods = []
    for i in range(modules):
        m = g.add_node(Label.MODULE, f"c{i % 5}.m{i}", path=f"c{i % 5}/m{i}.py", lines=rng.randrange(500),
                       days=[rng.randrange(9000) for _ in range(rng.randrange(4))], share=rng.random())
        g.add_edge(Rel.PART_OF, m, comps[i % 5])
        mods.append(m)
    for i, m in enumerate(mods):
        for other in rng.sample(mods, min(3, len(mods))):
            if other is not m:
                g.add_edge(Rel.IMPORTS, m, other, lines=[rng.randrange(99)], kind="runtime")
    return g


def copy_of(graph: RepoGraph) -> RepoGraph:
    g = RepoGraph(graph.repo)
    g.nodes = {k: type(n)(n.label, n.repo, n.key, dict(n.props)) for k, n in graph.nodes.items()}
    g.edges = {k: type(e)(e.type, e.source, e.target, dict(e.props)) for k, e in graph.edges.items()}
    return g


def changed(graph: RepoGraph, rng: random.Random, step: int) -> RepoGraph:
    """A few nodes and edges changed, added and removed, now here, now there (at the ends too)."""
    g = copy_of(graph)
    nodes = sorted(g.nodes)
    for node_id in rng.sample(nodes, 3) + [nodes[0], nodes[-1]]:
        g.nodes[node_id].props["step"] = step
    for node_id in rng.sample([n for n in nodes if n.startswith("Module|")], 2):
        del g.nodes[node_id]
        g.edges = {k: e for k, e in g.edges.items() if node_id not in (k[1], k[2])}
    comp = g.node(Label.COMPONENT, "c1")
    for i in range(rng.randrange(0, 4)):
        m = g.add_node(Label.MODULE, f"c1.new{step}_{i}", path=f"c1/new{step}_{i}.py")
        g.add_edge(Rel.PART_OF, m, comp)
    edges = sorted(g.edges)
    for key in rng.sample(edges, 3):
        g.edges[key].props["step"] = step
    for key in rng.sample(edges, 2):
        g.edges.pop(key, None)
    return g


def rows(root: Path, repo: str) -> tuple[dict, list]:
    with contextlib.closing(sqlite3.connect(root / "cairn.db")) as db:
        rid = db.execute("SELECT rid FROM repositories WHERE repo = ?", (repo,)).fetchone()[0]
        nodes = dict(db.execute("SELECT id, label || ' ' || key || ' ' || props FROM nodes WHERE rid = ?", (rid,)))
        edges = sorted(db.execute("SELECT type, src, dst, props FROM relationships_by_id WHERE repo = ?", (repo,)))
    return nodes, edges


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of about four rows and pages of three: every kind has many chunks, every range several pages."""
    monkeypatch.setattr(sqlite_chunks, "_MASK", 3)
    monkeypatch.setattr(sqlite_write, "BATCH", 3)


def test_saves_that_skip_unchanged_chunks_store_what_a_fresh_save_stores(tmp_path, small_chunks):
    store = SqliteStore(tmp_path / "kept")
    rng = random.Random(7)
    graph = graph_of("shop", 80)
    store.save(graph_of("other", 10, seed=3))
    for step in range(12):
        store.save(graph)
        fresh = tmp_path / f"fresh{step}"
        SqliteStore(fresh).save(graph)
        assert rows(tmp_path / "kept", "shop") == rows(fresh, "shop")
        graph = changed(graph, rng, step)
    other = tmp_path / "other-fresh"  # the other repository was left alone
    SqliteStore(other).save(graph_of("other", 10, seed=3))
    assert rows(tmp_path / "kept", "other") == rows(other, "other")


def test_a_save_that_changes_a_few_rows_serialises_only_their_chunks(tmp_path, monkeypatch):
    store = SqliteStore(tmp_path / "s")
    graph = graph_of("shop", 2000)
    store.save(graph)
    new = copy_of(graph)
    new.node(Label.MODULE, "c3.m1003").props["lines"] = -1
    key = sorted(k for k in new.edges if k[0] == Rel.IMPORTS.value)[500]
    new.edges[key].props["kind"] = "dynamic"
    calls = []
    real = sqlite_write.dumps
    monkeypatch.setattr(sqlite_write, "dumps", lambda value: calls.append(1) or real(value))
    conn = store._connection(create=False)
    before = conn.total_changes
    store.save(new)
    # two chunks of about 32 rows each (and the repository's summary), not the ~8,000 rows of the graph
    assert len(calls) < 200, len(calls)
    assert conn.total_changes - before == 5  # the node, the edge, two chunk lists, the repository row
    assert rows(tmp_path / "s", "shop") == rows(_fresh(tmp_path, new), "shop")


def _fresh(tmp_path: Path, graph: RepoGraph) -> Path:
    root = tmp_path / "fresh"
    SqliteStore(root).save(graph)
    return root


def test_a_tuple_or_a_set_for_a_list_costs_a_comparison_never_a_wrong_row(tmp_path, small_chunks):
    store = SqliteStore(tmp_path / "s")
    graph = graph_of("shop", 30)
    store.save(graph)
    again = copy_of(graph)
    for node in again.nodes.values():
        if "days" in node.props:
            node.props["days"] = tuple(node.props["days"])
    conn = store._connection(create=False)
    before = conn.total_changes
    store.save(again)
    assert conn.total_changes - before == 2  # the same JSON text: no row written; the new chunk list, the repository
    changed_set = copy_of(graph)
    changed_set.node(Label.MODULE, "c2.m7").props["days"] = {3, 1, 2}
    store.save(changed_set)
    assert store.load("shop").node(Label.MODULE, "c2.m7").props["days"] == [1, 2, 3]
    assert rows(tmp_path / "s", "shop") == rows(_fresh(tmp_path, changed_set), "shop")


def test_values_marshal_does_not_take_are_digested_as_json(tmp_path, small_chunks):
    import datetime

    store = SqliteStore(tmp_path / "s")
    graph = graph_of("shop", 20)
    graph.node(Label.COMPONENT, "c1").props["at"] = datetime.date(2024, 5, 1)
    store.save(graph)
    later = copy_of(graph)
    later.node(Label.COMPONENT, "c1").props["at"] = datetime.date(2024, 5, 2)
    store.save(later)
    assert store.load("shop").node(Label.COMPONENT, "c1").props["at"] == "2024-05-02"


def test_a_patched_type_loses_its_chunks_and_is_merged_whole_next_time(tmp_path, small_chunks):
    store = SqliteStore(tmp_path / "s")
    graph = graph_of("shop", 40)
    store.save(graph)
    new = copy_of(graph)
    key = sorted(k for k in new.edges if k[0] == Rel.IMPORTS.value)[5]
    new.edges[key].props["kind"] = "dynamic"
    store.save_changes(GraphChanges(new, frozenset({Rel.IMPORTS}), frozenset({key})))
    with contextlib.closing(sqlite3.connect(tmp_path / "s" / "cairn.db")) as db:
        assert {k for (k,) in db.execute("SELECT kind FROM digests")} == {"nodes", "PART_OF"}
    third = copy_of(new)
    third.edges[key].props["kind"] = "typing"
    store.save(third)
    assert rows(tmp_path / "s", "shop") == rows(_fresh(tmp_path, third), "shop")


def test_a_type_to_be_patched_next_gets_no_chunk_list_and_is_merged_whole(tmp_path, small_chunks):
    store = SqliteStore(tmp_path / "s")
    graph = graph_of("shop", 40)
    hint = frozenset({Rel.IMPORTS})
    store.save_changes(GraphChanges(graph, patched_next=hint))
    with contextlib.closing(sqlite3.connect(tmp_path / "s" / "cairn.db")) as db:
        assert {k for (k,) in db.execute("SELECT kind FROM digests")} == {"nodes", "PART_OF"}
    new = copy_of(graph)
    key = sorted(k for k in new.edges if k[0] == Rel.IMPORTS.value)[5]
    new.edges[key].props["kind"] = "dynamic"
    del new.edges[sorted(k for k in new.edges if k[0] == Rel.IMPORTS.value)[9]]
    store.save_changes(GraphChanges(new, patched_next=hint))
    assert rows(tmp_path / "s", "shop") == rows(_fresh(tmp_path, new), "shop")
    store.save(graph)  # without the hint: IMPORTS gets its chunk list again
    with contextlib.closing(sqlite3.connect(tmp_path / "s" / "cairn.db")) as db:
        assert {k for (k,) in db.execute("SELECT kind FROM digests")} == {"nodes", "PART_OF", "IMPORTS"}
    assert rows(tmp_path / "s", "shop") == rows(_fresh(tmp_path, graph), "shop")


def test_damaged_or_missing_chunk_lists_mean_a_whole_merge(tmp_path, small_chunks):
    root = tmp_path / "s"
    store = SqliteStore(root)
    graph = graph_of("shop", 40)
    store.save(graph)
    with contextlib.closing(sqlite3.connect(root / "cairn.db")) as db, db:
        db.execute("UPDATE digests SET chunks = '[[1' WHERE kind = 'nodes'")
        db.execute("UPDATE digests SET chunks = '[[[\"x\", 2], \"d\"]]' WHERE kind = 'PART_OF'")
        db.execute("DELETE FROM digests WHERE kind = 'IMPORTS'")
    new = changed(graph, random.Random(1), 1)
    SqliteStore(root).save(new)
    assert rows(root, "shop") == rows(_fresh(tmp_path, new), "shop")


def test_a_store_of_schema_1_gets_the_table_and_saves_as_before(tmp_path):
    root = tmp_path / "s"
    graph = graph_of("shop", 30)
    SqliteStore(root).save(graph)
    with contextlib.closing(sqlite3.connect(root / "cairn.db")) as db, db:
        db.execute("DROP TABLE digests")
        db.execute("PRAGMA user_version = 1")
    new = changed(graph, random.Random(2), 1)
    store = SqliteStore(root)
    assert store.load("shop").counts() == graph.counts()
    store.save(new)
    assert rows(root, "shop") == rows(_fresh(tmp_path, new), "shop")
    with contextlib.closing(sqlite3.connect(root / "cairn.db")) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("SELECT count(*) FROM digests").fetchone()[0] == 3


def test_deleting_a_repository_deletes_its_chunk_lists(tmp_path):
    store = SqliteStore(tmp_path / "s")
    store.save(graph_of("a", 5))
    store.save(graph_of("b", 5))
    store.delete("a")
    store.save(graph_of("c", 6))  # may get a's number again: none of a's chunks may pass for its own
    with contextlib.closing(sqlite3.connect(tmp_path / "s" / "cairn.db")) as db:
        assert db.execute("SELECT count(DISTINCT rid) FROM digests").fetchone()[0] == 2
    assert rows(tmp_path / "s", "c") == rows(_fresh(tmp_path, graph_of("c", 6)), "c")


def test_equal_rows_get_the_same_digests_in_another_process():
    """The digests are compared with those an earlier process stored: strings built or interned differently, floats
    and shared objects must not change a chunk's bytes."""
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from operator import itemgetter\n"
        "from cairn.graph.sqlite_chunks import cut\n"
        "rows = json.loads(sys.stdin.read())\n"
        "rows = [(key, props) for key, props in rows]\n"
        "print(json.dumps([c[2] for _, c in cut(rows, [2, 4], itemgetter(0), json.dumps)]))\n"
    )
    shared = [1, 2]
    label = "".join(["File", "|r|", "a.py"])  # built at run time: not interned, as the compiled constants below are
    rows = [
        (label, {"kind": "runtime", "lines": shared, "share": 0.1 + 0.2, "days": [19000, 19001], "x": None}),
        ("File|r|b.py", {"kind": "runtime", "lines": shared, "share": -0.0, "big": 2 ** 70, "flag": True}),
        ("File|r|c.py", {"component": "core", "ratio": 1e-300, "names": ["a", "é", "\U0001f600"]}),
        ("File|r|d.py", {"nested": {"a": {"b": [1.5, 2.5]}}, "empty": {}}),
        ("File|r|e.py", {}),
    ]
    here = [c[2] for _, c in sqlite_chunks.cut(rows, [2, 4], itemgetter(0), lambda i: "")]
    text = json.dumps([[k, p] for k, p in rows])
    there = subprocess.run([sys.executable, "-c", script], input=text, capture_output=True, text=True, check=True)
    assert json.loads(there.stdout) == here
    assert len(set(here)) == len(here)

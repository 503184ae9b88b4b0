"""The embedded store (SQLite): round trips, several repositories, crash safety, concurrency, migration."""

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Iterator

import pytest

import cairn.graph.sqlite_store as sqlite_store
from cairn.api.bootstrap import open_store
from cairn.api.services.workspace import Workspace
from cairn.graph.errors import RepositoryRequired, StoreError, UnknownRepository
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.sqlite_store import SqliteStore

TESTS = Path(__file__).resolve().parent


def small_graph(repo: str, modules: int = 3, generation: int = 0) -> RepoGraph:
    g = RepoGraph(repo)
    g.add_node(Label.REPOSITORY, repo, path=f"/src/{repo}", head=f"abc{generation}")
    comp = g.add_node(Label.COMPONENT, "core", paths=["core/**"], inferred=False)
    prev = None
    for i in range(modules):
        m = g.add_node(Label.MODULE, f"core.m{i}", path=f"core/m{i}.py", language="python", component="core")
        g.add_edge(Rel.PART_OF, m, comp)
        if prev:
            g.add_edge(Rel.IMPORTS, prev, m, kind="runtime", lines=[i], kinds={"runtime": [i]})
        prev = m
    return g


def graph_state(graph: RepoGraph) -> tuple[dict, dict]:
    return ({n.id: (n.label, n.key, n.props) for n in graph.nodes.values()},
            {e.key: (e.type, e.props) for e in graph.edges.values()})


def row_counts(root: Path) -> dict[str, int]:
    db = sqlite3.connect(root / "cairn.db")
    try:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("nodes", "relationships", "repositories")}
    finally:
        db.close()


def test_round_trip_is_exact(tmp_path):
    store = SqliteStore(tmp_path / "s")
    g = small_graph("shop")
    g.node(Label.COMPONENT, "core").props["knowledge_holders"] = [{"person": "Zoë", "share": 0.5}]
    g.node(Label.COMPONENT, "core").props["nothing"] = None
    store.save(g)
    assert graph_state(store.load("shop")) == graph_state(g)
    assert graph_state(SqliteStore(tmp_path / "s").load("shop")) == graph_state(g)


def test_a_new_store_is_one_database_ignored_by_git(tmp_path):
    root = tmp_path / "s"
    store = open_store(str(root))
    assert isinstance(store, SqliteStore)
    assert store.repositories() == [] and not root.exists()  # reading creates nothing
    store.save(small_graph("shop"))
    assert (root / ".gitignore").read_text().splitlines()[-1] == "*"
    with sqlite3.connect(root / "cairn.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_several_repositories_do_not_leak(tmp_path):
    store = open_store(str(tmp_path / "s"))
    store.save(small_graph("a", 2))
    store.save(small_graph("b", 5))
    assert [r.repo for r in store.repositories()] == ["a", "b"]
    assert store.load("a").counts()["Module"] == 2
    assert store.load("b").counts()["Module"] == 5
    store.save(small_graph("a", 1))  # replacing a leaves b alone
    assert store.load("a").counts()["Module"] == 1
    assert store.load("b").counts()["Module"] == 5
    store.save_reviews("a", [{"reviewer": "ada"}])
    store.delete("a")
    assert [r.repo for r in store.repositories()] == ["b"]
    assert store.load_reviews("a") == []
    with pytest.raises(UnknownRepository):
        store.load("a")
    with pytest.raises(UnknownRepository):
        store.delete("a")
    assert row_counts(tmp_path / "s") == {"nodes": len(small_graph("b", 5).nodes),
                                          "relationships": len(small_graph("b", 5).edges), "repositories": 1}


def test_repository_resolution_rules(tmp_path):
    store = open_store(str(tmp_path / "s"))
    cli = Workspace(store, naming_hint="choose one with --repo", cwd=tmp_path)
    with pytest.raises(UnknownRepository, match="cairn ingest"):
        cli.repository(None)
    store.save(small_graph("a"))
    assert cli.repository(None).repo == "a"
    store.save(small_graph("b"))
    with pytest.raises(RepositoryRequired, match="--repo") as several:
        cli.repository(None)
    assert several.value.known == ("a", "b")
    inside_b = Workspace(store, naming_hint="choose one with --repo", cwd=Path("/src/b/sub"))
    assert inside_b.repository(None).repo == "b"
    with pytest.raises(UnknownRepository, match="holds: a, b") as unknown:
        cli.repository("c")
    assert unknown.value.repository == "c"
    server = Workspace(store, naming_hint="name one with ?repository=NAME")  # no working directory: never guessed
    with pytest.raises(RepositoryRequired, match=r"\?repository="):
        server.repository(None)
    assert Workspace(store, naming_hint="", default_repo="b").repository(None).repo == "b"


def test_the_graph_cache_follows_reingests(tmp_path):
    store = open_store(str(tmp_path / "s"))
    store.save(small_graph("a", 2))
    ws = Workspace(store, naming_hint="")
    first = ws.graph("a")
    assert ws.graph("a") is first  # loaded once per ingest
    again = small_graph("a", 3)
    again.repository.props["ingested_at"] = "2030-01-01T00:00:00+00:00"
    store.save(again)
    assert ws.graph("a").counts()["Module"] == 3


def mutated(graph: RepoGraph, rng: random.Random, generation: int) -> RepoGraph:
    """A copy of ``graph`` with some nodes removed, some added and some properties changed."""
    g = RepoGraph(graph.repo)
    g.nodes = {nid: type(n)(n.label, n.repo, n.key, dict(n.props)) for nid, n in graph.nodes.items()}
    g.edges = {k: type(e)(e.type, e.source, e.target, dict(e.props)) for k, e in graph.edges.items()}
    modules = [n for n in g.nodes.values() if n.label is Label.MODULE]
    for node in rng.sample(modules, len(modules) // 5):
        g.remove_node(node.id)
    for node in rng.sample(list(g.nodes.values()), len(g.nodes) // 4):
        node.props["generation"] = generation
    comp = g.node(Label.COMPONENT, "core")
    for i in range(rng.randrange(1, 40)):
        m = g.add_node(Label.MODULE, f"core.new{generation}_{i}", path=f"core/new{i}.py")
        g.add_edge(Rel.PART_OF, m, comp)
        g.add_edge(Rel.IMPORTS, m, rng.choice(list(g.nodes.values())), kind="dynamic")
    return g


def test_saves_write_only_what_changed_and_end_equal_to_the_graph(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_store, "BATCH", 7)  # many pages, so page boundaries fall everywhere
    store = SqliteStore(tmp_path / "s")
    rng = random.Random(14)
    graph = small_graph("shop", 120)
    store.save(small_graph("other", 30))
    for generation in range(1, 8):
        store.save(graph)
        assert graph_state(store.load("shop")) == graph_state(graph)
        graph = mutated(graph, rng, generation)
    assert row_counts(tmp_path / "s")["nodes"] == len(store.load("shop").nodes) + len(small_graph("other", 30).nodes)
    assert graph_state(store.load("other")) == graph_state(small_graph("other", 30))
    # Saving the same graph again rewrites no row: only the repository's generation changes.
    conn = store._connection(create=False)
    before = conn.total_changes
    store.save(store.load("shop"))
    assert conn.total_changes - before == 1


def test_progress_reaches_the_total(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_store, "BATCH", 10)
    graph = small_graph("p", 40)
    seen = []
    SqliteStore(tmp_path / "s").save(graph, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(graph), len(graph))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_load_part_reads_only_the_labels_and_types_asked_for(tmp_path):
    store = SqliteStore(tmp_path / "s")
    graph = small_graph("shop", 6)
    store.save(graph)
    part = store.load_part("shop", labels=[Label.COMPONENT, "Repository"], rels=[Rel.PART_OF])
    assert set(part.counts()) == {"Component", "Repository", "PART_OF"}
    assert {n.id: n.props for n in part.nodes.values()} == {
        n.id: n.props for n in graph.nodes.values() if n.label in (Label.COMPONENT, Label.REPOSITORY)}
    assert set(part.edges) == {k for k, e in graph.edges.items() if e.type is Rel.PART_OF}
    assert len(store.load_part("shop")) == 0
    with pytest.raises(UnknownRepository):
        store.load_part("nope", labels=[Label.MODULE])
    with pytest.raises(ValueError):
        store.load_part("shop", labels=["NoSuchLabel"])


def test_answers_belong_to_the_saved_graph(tmp_path):
    root = tmp_path / "s"
    store = SqliteStore(root)
    assert store.load_answer("shop", "truck_factor") is None  # no database yet
    with pytest.raises(UnknownRepository):
        store.save_answers("shop", {"truck_factor": 1})
    store.save(small_graph("shop"))
    store.save_answers("shop", {"truck_factor": {"repository": 2, "holders": ["Zoë"]}, "components": ["core"]})
    store.save_answers("shop", {"components": ["core", "api"]})  # names not given keep their answers
    reader = SqliteStore(root)
    assert reader.load_answer("shop", "truck_factor") == {"repository": 2, "holders": ["Zoë"]}
    assert reader.load_answer("shop", "components") == ["core", "api"]
    assert reader.load_answer("shop", "nothing") is None
    # A save makes every answer of the previous version unreadable.
    store.save(small_graph("shop", 4))
    assert reader.load_answer("shop", "truck_factor") is None
    # Answers computed from a version another writer replaced meanwhile are never read.
    stale = SqliteStore(root)
    stale.load("shop")
    SqliteStore(root).save(small_graph("shop", 5))
    stale.save_answers("shop", {"truck_factor": 9})
    assert reader.load_answer("shop", "truck_factor") is None
    with pytest.raises(StoreError, match="cannot store answer 'bad'"):
        store.save_answers("shop", {"bad": object()})


def test_answers_larger_than_their_page_cache_are_kept_whole_and_the_connection_gets_its_cache_back(tmp_path):
    """``save_answers`` writes in a small page cache (``ANSWERS_CACHE_KIB``): the pages of answers larger than it are
    written as they fill it; the connection has its usual cache again for what follows."""
    import cairn.graph.sqlite_store as sqlite_store

    store = SqliteStore(tmp_path / "s")
    store.save(small_graph("shop"))
    big = {f"a{i}": {"rows": [f"{i}-{j} é" for j in range(6_000)]} for i in range(60)}
    assert sum(map(len, map(json.dumps, big.values()))) > sqlite_store.ANSWERS_CACHE_KIB * 1024
    store.save_answers("shop", big)
    conn = store._connection(create=False)
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == -sqlite_store.CACHE_KIB
    assert SqliteStore(tmp_path / "s").load_answers("shop", list(big)) == big


def test_a_writer_killed_mid_save_leaves_the_previous_version_and_readers_never_wait(tmp_path):
    """SIGKILL a writer in the middle of its transaction: the old graph stays whole, the next save works."""
    root = tmp_path / "s"
    SqliteStore(root).save(small_graph("shop", 2))
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from cairn.graph.sqlite_store import SqliteStore
        from test_embedded_store import small_graph

        def halfway(done, total):
            if done > total // 2:
                print("writing", flush=True)
                time.sleep(600)

        SqliteStore(Path({str(root)!r})).save(small_graph("shop", 20000, generation=1), progress=halfway)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    writer = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "writing\n", writer.stderr.read()
        # The writer holds the write transaction with thousands of rows written; readers see the previous version.
        reader = SqliteStore(root)
        assert reader.load("shop").counts()["Module"] == 2
        assert reader.repositories()[0].props["head"] == "abc0"
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == -signal.SIGKILL
    after = SqliteStore(root)
    assert graph_state(after.load("shop")) == graph_state(small_graph("shop", 2))
    with sqlite3.connect(root / "cairn.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after.save(small_graph("shop", 300, generation=2))
    assert graph_state(SqliteStore(root).load("shop")) == graph_state(small_graph("shop", 300, generation=2))


def test_a_property_that_cannot_be_stored_names_its_node_or_edge_and_saves_nothing(tmp_path):
    store = SqliteStore(tmp_path / "s")
    store.save(small_graph("shop", 2))
    bad_edge = small_graph("shop", 3)
    bad_edge.edges[next(k for k in bad_edge.edges if k[0] == Rel.IMPORTS.value)].props["blob"] = object()
    with pytest.raises(StoreError, match=r"cannot store edge IMPORTS Module\|shop\|core\.m0 -> Module\|shop\|core\.m1: "):
        store.save(bad_edge)
    bad_node = small_graph("shop", 3)
    bad_node.node(Label.COMPONENT, "core").props["blob"] = {1, object()}
    with pytest.raises(StoreError, match=r"cannot store node Component\|shop\|core: "):
        store.save(bad_node)
    assert graph_state(store.load("shop")) == graph_state(small_graph("shop", 2))


def relationship_rows(root: Path, repo: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(root / "cairn.db")) as db:
        return sorted(db.execute("SELECT type, src, dst, props FROM relationships_by_id WHERE repo = ?", (repo,)))


def test_a_type_saved_the_first_time_is_stored_as_a_merge_would_store_it(tmp_path, monkeypatch):
    """A relationship type the repository has no row of is inserted without the merge: the same rows, in batches."""
    import cairn.graph.sqlite_write as sqlite_write

    monkeypatch.setattr(sqlite_write, "BATCH", 7)  # batch boundaries fall inside every type
    graph = small_graph("shop", 60)
    inserted, merged = tmp_path / "inserted", tmp_path / "merged"
    seen: list[tuple[int, int]] = []
    SqliteStore(inserted).save(graph, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(graph), len(graph)) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    store = SqliteStore(merged)
    partial = small_graph("shop", 60)
    for key in [k for k in partial.edges if k[1].endswith(("m3", "m40", "m59"))]:
        del partial.edges[key]  # every type stored, some of its rows missing: the next save merges
    store.save(partial)
    store.save(graph)
    assert relationship_rows(inserted, "shop") == relationship_rows(merged, "shop")
    assert graph_state(SqliteStore(inserted).load("shop")) == graph_state(graph)


def test_an_edge_that_cannot_be_stored_in_a_first_save_is_named(tmp_path):
    bad = small_graph("shop", 30)
    key = sorted(k for k in bad.edges if k[0] == Rel.IMPORTS.value)[-1]
    bad.edges[key].props["blob"] = object()
    with pytest.raises(StoreError, match=rf"cannot store edge IMPORTS {key[1]} -> {key[2]}: ".replace("|", r"\|")):
        SqliteStore(tmp_path / "s").save(bad)
    assert SqliteStore(tmp_path / "s").repositories() == []


def schema(root: Path) -> list[tuple[str, str, str, str]]:
    with contextlib.closing(sqlite3.connect(root / "cairn.db")) as db:
        return sorted(db.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master"))


def test_a_first_save_into_empty_tables_ends_with_every_index_of_a_later_save(tmp_path):
    """The first save fills empty tables without their secondary indexes and builds them after: same schema."""
    first, later = tmp_path / "first", tmp_path / "later"
    SqliteStore(first).save(small_graph("shop", 50))
    SqliteStore(later).save(small_graph("other", 2))  # the tables hold rows: saved with the indexes in place
    SqliteStore(later).save(small_graph("shop", 50))
    assert schema(first) == schema(later)
    assert {name for kind, name, _, _ in schema(first) if kind == "index" and not name.startswith("sqlite_")} == {
        "nodes_by_id", "nodes_by_label", "relationships_by_dst"}  # schema 3: none by (rid, src)
    assert graph_state(SqliteStore(first).load("shop")) == graph_state(SqliteStore(later).load("shop"))
    with sqlite3.connect(first / "cairn.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM relationships INDEXED BY relationships_by_dst WHERE rid = 1 AND dst > 0"
                          ).fetchone()[0] == len(small_graph("shop", 50).edges)


@contextlib.contextmanager
def writer_halfway(root: Path, modules: int) -> Iterator[subprocess.Popen]:
    """Another process saving ``small_graph("shop", modules)`` into ``root``, asleep halfway through its save; killed
    (SIGKILL) when the block ends."""
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from cairn.graph.sqlite_store import SqliteStore
        from test_embedded_store import small_graph

        def halfway(done, total):
            if done > total // 2:
                print("writing", flush=True)
                time.sleep(600)

        SqliteStore(Path({str(root)!r})).save(small_graph("shop", {modules}), progress=halfway)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    writer = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "writing\n", writer.stderr.read()
        yield writer
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == -signal.SIGKILL


def test_a_first_save_killed_midway_leaves_the_indexes_in_place(tmp_path):
    root = tmp_path / "s"
    SqliteStore(root).save_reviews("other", [])  # a database with empty tables (a store with none: see below)
    with writer_halfway(root, 20000):
        pass
    reference = tmp_path / "reference"
    SqliteStore(reference).save(small_graph("shop", 2))
    assert schema(root) == schema(reference)
    assert row_counts(root)["relationships"] == 0


def test_concurrent_writers_take_turns_and_the_later_one_wins(tmp_path):
    root = tmp_path / "s"
    first, second = small_graph("shop", 200, generation=1), small_graph("shop", 50, generation=2)
    SqliteStore(root).save(small_graph("shop", 2))
    second_done = threading.Event()
    errors: list[BaseException] = []

    def save_second():
        try:
            SqliteStore(root).save(second)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        second_done.set()

    other = threading.Thread(target=save_second)

    def meanwhile(done, total):
        if not other.is_alive() and not second_done.is_set():
            other.start()  # a second writer starts while the first holds the write transaction
            assert not second_done.wait(0.5)  # it waits for the first to commit

    SqliteStore(root).save(first, progress=meanwhile)
    other.join(60)
    assert second_done.is_set() and not errors
    assert graph_state(SqliteStore(root).load("shop")) == graph_state(second)


def test_one_store_object_serves_several_threads(tmp_path):
    store = SqliteStore(tmp_path / "s")
    store.save(small_graph("shop", 30))
    results: list[int] = []

    def read():
        for _ in range(5):
            results.append(len(store.load("shop")))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [len(small_graph("shop", 30))] * 20
    store.close()
    assert len(store.load("shop")) == len(small_graph("shop", 30))  # a closed store opens again on use


def test_a_damaged_database_is_a_clear_error(tmp_path):
    root = tmp_path / "s"
    root.mkdir()
    (root / "cairn.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="damaged or not a Cairn database") as err:
        SqliteStore(root).repositories()
    assert "\n" not in str(err.value)


def test_a_newer_schema_is_refused(tmp_path):
    root = tmp_path / "s"
    SqliteStore(root).save(small_graph("shop"))
    with sqlite3.connect(root / "cairn.db") as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer Cairn"):
        SqliteStore(root).load("shop")


def test_store_path_that_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        SqliteStore(f)


def write_json_store(root: Path, graphs: list[RepoGraph], reviews: dict[str, list]) -> None:
    """A store directory as the JSON store of earlier versions wrote it."""
    (root / "graphs").mkdir(parents=True)
    (root / "reviews").mkdir()
    index = {"format": 1, "repositories": {}}
    for i, g in enumerate(graphs):
        payload = {"format": 1, "repo": g.repo,
                   "nodes": [[n.label.value, n.key, n.props] for n in g.nodes.values()],
                   "edges": [[e.type.value, e.source, e.target, e.props] for e in g.edges.values()]}
        (root / "graphs" / f"g{i}.json").write_text(json.dumps(payload))
        index["repositories"][g.repo] = {"file": f"graphs/g{i}.json", "props": g.repository.props}
    for i, (repo, records) in enumerate(reviews.items()):
        (root / "reviews" / f"r{i}.json").write_text(json.dumps({"format": 1, "repo": repo, "records": records}))
    (root / "store.json").write_text(json.dumps(index))
    (root / ".lock").write_text("")


def test_a_json_store_is_migrated_on_first_open(tmp_path):
    root = tmp_path / "s"
    shop, lib = small_graph("shop", 4), small_graph("lib", 2)
    write_json_store(root, [shop, lib], {"shop": [{"reviewer": "ada", "pr": 7}]})
    store = open_store(str(root))
    assert [r.repo for r in store.repositories()] == ["lib", "shop"]
    assert graph_state(store.load("shop")) == graph_state(shop)
    assert graph_state(store.load("lib")) == graph_state(lib)
    assert store.load_reviews("shop") == [{"reviewer": "ada", "pr": 7}]
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith("cairn.db")) == [".gitignore"]
    assert [r.repo for r in open_store(str(root)).repositories()] == ["lib", "shop"]


def test_an_unreadable_json_store_is_refused_with_a_re_ingest_message(tmp_path):
    root = tmp_path / "s"
    write_json_store(root, [small_graph("shop")], {})
    (root / "graphs" / "g0.json").write_text("{truncated")
    with pytest.raises(StoreError, match="re-ingest") as err:
        open_store(str(root)).repositories()
    assert "\n" not in str(err.value)
    assert (root / "store.json").exists()  # nothing was removed
    with sqlite3.connect(root / "cairn.db") as db:
        assert db.execute("SELECT count(*) FROM repositories").fetchone()[0] == 0


def test_stored_json_reads_back_exactly_and_nothing_after_it():
    from cairn.graph.values import dumps, loads

    value = {"title": "Prix déjà vus — 価格 🧾", "set": {3, 1}, "nested": [{"a": None}, 1.5, True], "empty": {}}
    text = dumps(value)
    assert " " not in text.replace("Prix déjà vus — 価格 🧾", "") and "\\u" not in text
    assert loads(text) == {**value, "set": [1, 3]}
    with pytest.raises(ValueError):
        loads(text + " {}")

"""The embedded store: round trips, several repositories, atomic replacement."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.workspace import Workspace
from cairn.graph.embedded import EmbeddedStore
from cairn.graph.errors import RepositoryRequired, StoreError, UnknownRepository
from cairn.graph.model import Label, Rel, RepoGraph


def small_graph(repo: str, modules: int = 3) -> RepoGraph:
    g = RepoGraph(repo)
    g.add_node(Label.REPOSITORY, repo, path=f"/src/{repo}", head="abc")
    comp = g.add_node(Label.COMPONENT, "core", paths=["core/**"], inferred=False)
    prev = None
    for i in range(modules):
        m = g.add_node(Label.MODULE, f"core.m{i}", path=f"core/m{i}.py", language="python", component="core")
        g.add_edge(Rel.PART_OF, m, comp)
        if prev:
            g.add_edge(Rel.IMPORTS, prev, m, kind="runtime", lines=[i], kinds={"runtime": [i]})
        prev = m
    return g


def test_round_trip_is_exact(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    g = small_graph("shop")
    g.node(Label.COMPONENT, "core").props["knowledge_holders"] = [{"person": "Zoë", "share": 0.5}]
    store.save(g)
    loaded = store.load("shop")
    assert {n.id: n.props for n in loaded.nodes.values()} == {n.id: n.props for n in g.nodes.values()}
    assert {e.key: e.props for e in loaded.edges.values()} == {e.key: e.props for e in g.edges.values()}


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
    store.delete("a")
    assert [r.repo for r in store.repositories()] == ["b"]
    with pytest.raises(UnknownRepository):
        store.load("a")


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
    inside_b = Workspace(store, naming_hint="choose one with --repo", cwd=__import__("pathlib").Path("/src/b/sub"))
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


def test_crash_during_save_leaves_previous_version(tmp_path):
    """A writer killed while writing leaves the old graph whole and readable."""
    root = tmp_path / "s"
    EmbeddedStore(root).save(small_graph("shop", 2))
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {os.getcwd()!r})
        import cairn.graph.atomic as atomic
        import cairn.graph.embedded as emb
        from tests_helper import small_graph
        def die(*a, **k):
            os._exit(9)  # the process dies after writing the temp file, before the rename
        atomic.os.replace = die  # every write of the store goes through graph.atomic
        emb.EmbeddedStore(emb.Path({str(root)!r})).save(small_graph("shop", 50))
    """)
    helper = tmp_path / "tests_helper.py"
    helper.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {os.getcwd()!r})
    """) + "from test_embedded_store import small_graph\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.path.dirname(__file__), os.getcwd()])}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True)
    assert proc.returncode == 9, proc.stderr.decode()
    loaded = EmbeddedStore(root).load("shop")
    assert loaded.counts()["Module"] == 2


def test_corrupt_index_is_a_clear_error(tmp_path):
    root = tmp_path / "s"
    EmbeddedStore(root).save(small_graph("shop"))
    (root / "store.json").write_text("{not json")
    with pytest.raises(StoreError, match="unreadable"):
        EmbeddedStore(root).repositories()


def test_store_path_that_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        EmbeddedStore(f)


def test_store_files_are_json(tmp_path):
    root = tmp_path / "s"
    EmbeddedStore(root).save(small_graph("shop"))
    index = json.loads((root / "store.json").read_text())
    assert index["repositories"]["shop"]["props"]["head"] == "abc"

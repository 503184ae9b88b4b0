"""The edges a save after a commit takes as stored without looking at them (``GraphChanges.edges_changed``).

An ingest names the PART_OF and DEPENDS_ON edges that may differ from the stored graph (those of the File and Module
nodes whose code changed; the pairs of components an import that changed joins) when the stored graph is the one it
compared with; the embedded store merges only the stored chunks that hold a named edge, or an edge at a node that
goes, and keeps the others' digests unread. Every test runs with ``CAIRN_VERIFY_SKIPS=1`` (tests/conftest.py): a
chunk kept as stored that differs from the new graph fails the save. Here: the skip is taken (few edge chunks
digested) and stores what a save of the whole graph stores; a wrong promise is kept where the check is off and
refused where it is on; and an ingest after commits that move files between components and change imports across
them stores what a cold one does.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

import cairn.graph.sqlite_chunks as chunks_module
from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.errors import StoreError
from cairn.graph.model import Label, Rel, RepoGraph, node_id
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphChanges
from fixtures.gitrepo import GitRepo
from test_incremental_parity import Recording, assert_same_rows

ADA, BOB = ("Ada Lovelace", "ada@example.com"), ("Bob Builder", "bob@example.com")


def _graph(files: dict[str, str], depends: dict[tuple[str, str], int] | None = None) -> RepoGraph:
    """Files (path -> component) PART_OF their components, and DEPENDS_ON edges with a count."""
    graph = RepoGraph("r")
    graph.add_node(Label.REPOSITORY, "r")
    for name in sorted(set(files.values()) | {c for pair in depends or {} for c in pair}):
        graph.add_node(Label.COMPONENT, name)
    for path, component in files.items():
        graph.add_node(Label.FILE, path, path=path, component=component)
        graph.add_edge(Rel.PART_OF, node_id(Label.FILE, "r", path), node_id(Label.COMPONENT, "r", component))
    for (a, b), count in (depends or {}).items():
        graph.add_edge(Rel.DEPENDS_ON, node_id(Label.COMPONENT, "r", a), node_id(Label.COMPONENT, "r", b), count=count)
    return graph


def _part_of(path: str, component: str) -> tuple[str, str, str]:
    return ("PART_OF", node_id(Label.FILE, "r", path), node_id(Label.COMPONENT, "r", component))


def _stored(store_dir: Path) -> tuple[dict, dict, dict]:
    """Every node, relationship and chunk list stored for ``r``."""
    with contextlib.closing(sqlite3.connect(store_dir / "cairn.db")) as db:
        nodes = dict(db.execute("SELECT id, props FROM nodes"))
        edges = {(t, a, b): p for t, a, b, p in db.execute("SELECT type, src, dst, props FROM relationships_by_id")}
        digests = dict(db.execute("SELECT kind, chunks FROM digests"))
    return nodes, edges, digests


def _counting_edge_digests(monkeypatch) -> list[int]:
    """Count the chunks of relationships digested (their rows' keys are node numbers)."""
    counted: list[int] = []
    digest = chunks_module._digest

    def counting(rows, start, end, as_json):
        if rows and isinstance(rows[0][0], int):
            counted.append(end - start)
        return digest(rows, start, end, as_json)

    monkeypatch.setattr(chunks_module, "_digest", counting)
    return counted


def test_only_the_chunks_holding_a_named_edge_are_merged_and_the_rows_are_a_whole_save_s(tmp_path, monkeypatch):
    before = {f"f{i:04d}.py": ("a", "b", "c")[i % 3] for i in range(900)}
    old = _graph(before, {("a", "b"): 3, ("b", "c"): 1})
    after = {**before, "f0100.py": "c", "f0300b.py": "a"}  # one moved, one added
    del after["f0200.py"]  # one gone: the store sees its edges go unnamed
    new = _graph(after, {("a", "b"): 4, ("c", "a"): 1})  # one count changed, one pair gone, one added
    named = {Rel.PART_OF: frozenset({_part_of("f0100.py", before["f0100.py"]), _part_of("f0100.py", "c"),
                                     _part_of("f0300b.py", "a")}),
             Rel.DEPENDS_ON: frozenset({("DEPENDS_ON", "Component|r|a", "Component|r|b"),
                                        ("DEPENDS_ON", "Component|r|b", "Component|r|c"),
                                        ("DEPENDS_ON", "Component|r|c", "Component|r|a")})}
    whole = SqliteStore(tmp_path / "whole")
    whole.save(old)
    whole.save(new)
    store = SqliteStore(tmp_path / "named")
    store.save(old)

    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")  # (the check digests every chunk)
    counted = _counting_edge_digests(monkeypatch)
    store.save_changes(GraphChanges(new, edges_changed=named))
    assert 0 < len(counted) <= 10  # 900 PART_OF edges make about 28 chunks: the few holding a change were cut again
    assert sum(counted) < 300
    assert _stored(tmp_path / "named") == _stored(tmp_path / "whole")  # rows and chunk lists alike

    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    back = {**named, Rel.PART_OF: named[Rel.PART_OF] | {_part_of("f0200.py", before["f0200.py"])}}  # (added again)
    store.save_changes(GraphChanges(old, edges_changed=back))  # and back
    whole.save(old)
    assert _stored(tmp_path / "named") == _stored(tmp_path / "whole")


def test_an_edge_left_unnamed_is_kept_stale_only_where_the_promise_is_trusted(tmp_path, monkeypatch):
    before = {f"f{i:04d}.py": "a" if i % 2 else "b" for i in range(600)}
    store = SqliteStore(tmp_path / "s")
    store.save(_graph(before))
    moved = _graph({**before, "f0101.py": "b"})

    def components() -> dict[str, str]:
        graph = store.load("r")
        return {graph.nodes[e.source].key: graph.nodes[e.target].key for e in graph.of_type(Rel.PART_OF)}

    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    store.save_changes(GraphChanges(moved, edges_changed={Rel.PART_OF: frozenset()}))
    assert components()["f0101.py"] == "a"  # the promise was wrong, and trusted: the stale edge stays

    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    again = _graph({**before, "f0103.py": "b"})
    with pytest.raises(StoreError, match="not named in edges_changed"):
        store.save_changes(GraphChanges(again, edges_changed={Rel.PART_OF: frozenset({_part_of("f0101.py", "a")})}))
    assert components()["f0101.py"] == "a" and components()["f0103.py"] == "a"  # the failed save wrote nothing
    store.save_changes(GraphChanges(again))  # unknown: every edge compared
    assert components()["f0101.py"] == "a" and components()["f0103.py"] == "b"


def test_a_promise_naming_a_patched_type_or_an_edge_of_another_type_is_refused():
    graph = _graph({"f.py": "a"})
    with pytest.raises(ValueError):
        GraphChanges(graph, edges_changed={Rel.DEPENDS_ON: frozenset({_part_of("f.py", "a")})})
    with pytest.raises(ValueError):
        GraphChanges(graph, frozenset({Rel.PART_OF}), edges_changed={Rel.PART_OF: frozenset()})


def test_after_commits_across_components_the_named_edges_store_what_a_cold_ingest_stores(tmp_path):
    repo = GitRepo(tmp_path / "app")
    files = {"README.md": "# app\n", "cairn.toml": '[components]\ncore = "core/**"\nweb = "web/**"\ncli = "cli/**"\n'}
    for package in ("core", "web", "cli"):
        files[f"{package}/__init__.py"] = ""
        for i in range(40):
            files[f"{package}/m{i:02d}.py"] = f"from {package} import m{(i + 1) % 40:02d}\n"
    files["web/m00.py"] = "from core import m00\nfrom web import m01\n"
    repo.commit(files, message="initial", author=ADA)
    warm = Recording(tmp_path / "warm")
    ingest_into_store(warm, repo.root)
    steps = [
        ("a body change", lambda: repo.commit({"core/m05.py": "from core import m06\n\nX = 1\n"}, author=BOB),
         0),
        ("an import across components", lambda: repo.commit({"cli/m03.py": "from core import m01\nimport web.m02\n"},
                                                            author=ADA), 2),
        ("the only import across two dropped", lambda: repo.commit({"web/m00.py": "from web import m01\n"}, author=BOB),
         1),
        ("a file added", lambda: repo.commit({"web/new.py": "from cli import m00\n"}, author=ADA), None),
        ("a file gone", lambda: repo.commit({}, delete=["cli/m10.py"], author=BOB), None),
    ]
    # (what, the change, how many DEPENDS_ON edges are named: None when every one is compared)
    for number, (what, change, depends_on) in enumerate(steps, 1):
        change()
        ingest_into_store(warm, repo.root)
        named = warm.saved[-1].edges_changed
        if depends_on is not None:  # the PART_OF edges of the files changed (and of those counted again)
            assert 0 < len(named[Rel.PART_OF]) <= 3 and len(named[Rel.DEPENDS_ON]) == depends_on, what
        else:  # files added or gone: the history is counted again (no edge named), or a module's component may differ
            assert Rel.DEPENDS_ON not in named, what
        cold = open_store(str(tmp_path / f"cold-{number}"))
        ingest_into_store(cold, repo.root)
        assert_same_rows(tmp_path / "warm", tmp_path / f"cold-{number}", "app")

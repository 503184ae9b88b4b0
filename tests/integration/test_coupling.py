"""Change coupling on real git repositories, against code-maat's counts worked out by hand (see change_fixtures)."""

from __future__ import annotations

import json

import pytest
from fixtures.cli import CliRunner

from cairn.api.cli import app
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.changes import CouplingSettings
from cairn.graph.model import Label, Rel
from cairn.api.bootstrap import open_store
from cairn.ingest.cochange import coupled
from cairn.ingest.history import mine_history
from cairn.queries.coupling import CouplingUnavailable, coupling, partners
from fixtures.changes import ADA, build_coupled


@pytest.fixture(scope="module")
def coupled_store(tmp_path_factory):
    base = tmp_path_factory.mktemp("coupling")
    build_coupled(base / "repo")
    store = base / "store"
    ingest_into_store(open_store(str(store)), base / "repo")
    return store, open_store(str(store)).load("repo")


def test_the_pair_with_six_shared_of_eight_and_six_revisions_has_degree_85_7_and_no_import(coupled_store):
    _, graph = coupled_store
    report = coupling(graph)
    pairs = {(p["a"], p["b"]): p for p in report["pairs"]}
    assert set(pairs) == {("a/x.py", "b/y2.py"), ("pkg/m.py", "pkg/n.py")}
    xy = pairs[("a/x.py", "b/y2.py")]
    assert (xy["shared"], xy["revs_a"], xy["revs_b"]) == (6, 8, 6)  # y's revisions before its rename count for y2
    assert xy["degree"] == 85.7
    assert xy["imports"] is False and xy["components"] == ["a", "b"]
    mn = pairs[("pkg/m.py", "pkg/n.py")]
    assert (mn["shared"], mn["revs_a"], mn["revs_b"], mn["degree"], mn["imports"]) == (5, 5, 5, 100.0, True)
    assert [p["a"] for p in report["pairs"]] == ["pkg/m.py", "a/x.py"]  # strongest first
    assert report["components"] == [
        {"a": "a", "b": "b", "degree": 85.7, "shared": 6, "revs_a": 8, "revs_b": 6, "imports": False}
    ]


def test_a_forty_file_commit_produces_no_pair_and_no_revision(coupled_store):
    _, graph = coupled_store
    bulk = graph.node(Label.FILE, "bulk/q00.py")
    assert bulk.get("revisions") == 0 and bulk.get("changes") == 6  # counted as changes, never as coupling
    assert not any(graph.nodes[e.source].key.startswith("bulk/") for e in graph.of_type(Rel.CO_CHANGES))
    assert graph.node(Label.FILE, "a/x.py").get("revisions") == 8


def test_raising_max_changeset_to_forty_couples_the_bulk_files(tmp_path):
    build_coupled(tmp_path / "repo", max_changeset=40)
    ingest_into_store(open_store(str(tmp_path / "store")), tmp_path / "repo")
    graph = open_store(str(tmp_path / "store")).load("repo")
    bulk = [p for p in coupling(graph)["pairs"] if p["a"].startswith("bulk/")]
    assert len(bulk) == 40 * 39 // 2
    assert {(p["shared"], p["revs_a"], p["revs_b"], p["degree"]) for p in bulk} == {(6, 6, 6, 100.0)}


def test_the_change_log_sees_every_commit_of_the_one_pass_and_skips_nothing(tmp_path):
    repo = build_coupled(tmp_path / "repo")
    observed = []
    history = mine_history(repo.root, observer=observed.append)
    log = history.log
    assert len(log) == len(observed) == history.commits == 19
    assert observed[0].sha == repo.head()  # the stream: newest first, HEAD first
    assert log.sha_of(len(log) - 1) == repo.head()  # the log: oldest first, HEAD last
    assert [log.sha_of(p) for p in range(len(log))] == [r.sha for r in reversed(observed)]
    renamed = [c for p in range(len(log)) for c in log.change_tuples(p) if c[0] == "R"]
    assert renamed == [("R", "b/y2.py", "b/y.py")]
    assert sorted(len(log.changes_of(p)) for p in range(len(log)))[-6:] == [40] * 6


def test_degree_follows_code_maat_thresholds_on_the_average():
    s = CouplingSettings()
    assert coupled(6, 8, 6, s) == pytest.approx(600 / 7)
    assert coupled(4, 8, 6, s) is None  # fewer than 5 shared
    assert coupled(5, 5, 4, s) is None  # the average, 4.5, is below min_revs 5 (code-maat compares the average)
    assert coupled(5, 5, 4, s.model_copy(update={"min_revs": 4})) == pytest.approx(500 / 4.5)
    assert coupled(5, 20, 20, s) is None  # 25 % < 30 %


def cli(*args):
    return CliRunner().invoke(app, list(args))


def test_cli_json_has_the_issue_shape_and_filters_by_path_and_component(coupled_store):
    store, _ = coupled_store
    result = cli("coupling", "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"pairs", "components"}
    assert set(data["pairs"][0]) >= {"a", "b", "degree", "shared", "revs_a", "revs_b", "imports", "components"}
    only_y = json.loads(cli("coupling", "--store", str(store), "--format", "json", "--path", "b/y2.py").output)
    assert [(p["a"], p["b"]) for p in only_y["pairs"]] == [("a/x.py", "b/y2.py")] and only_y["components"] == []
    under_pkg = json.loads(cli("coupling", "--store", str(store), "--format", "json", "--path", "pkg/").output)
    assert [(p["a"], p["b"]) for p in under_pkg["pairs"]] == [("pkg/m.py", "pkg/n.py")]
    in_b = json.loads(cli("coupling", "--store", str(store), "--format", "json", "--component", "b").output)
    assert [(p["a"], p["b"]) for p in in_b["pairs"]] == [("a/x.py", "b/y2.py")] and len(in_b["components"]) == 1
    stricter = json.loads(cli("coupling", "--store", str(store), "--format", "json", "--min-degree", "90").output)
    assert [(p["a"], p["b"]) for p in stricter["pairs"]] == [("pkg/m.py", "pkg/n.py")] and stricter["components"] == []
    table = cli("coupling", "--store", str(store))
    assert table.exit_code == 0 and "hidden" in table.output and "85.7%" in table.output


def test_thresholds_below_the_stored_ones_and_unknown_components_are_one_line_errors(coupled_store):
    store, graph = coupled_store
    result = cli("coupling", "--store", str(store), "--min-degree", "10")
    assert result.exit_code == 2
    assert "min-degree 10 is below the 30" in result.output and "re-ingest" in result.output
    result = cli("coupling", "--store", str(store), "--component", "nope")
    assert result.exit_code == 2 and "no component named 'nope'" in result.output
    with pytest.raises(CouplingUnavailable):
        coupling(graph, min_shared=2)


def test_partners_of_a_file_in_both_directions(coupled_store):
    _, graph = coupled_store
    assert [(p["path"], p["shared"], p["revs"], p["revs_partner"]) for p in partners(graph, "b/y2.py")] == [("a/x.py", 6, 6, 8)]
    assert [(p["path"], p["revs"]) for p in partners(graph, "a/x.py")] == [("b/y2.py", 8)]
    assert partners(graph, "a/z.py") == []


def test_pairs_with_a_test_file_are_left_out_and_counted_unless_asked_for(tmp_path):
    """eslint's 229 pairs were 204 of a test and, most of them, the rule it tests: its 25 others (``id-blacklist`` and
    ``id-denylist``, 88 %, no import between them) were buried. As hotspots do, the listing leaves tests out and says so."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"lib/__init__.py": "", "lib/rule.py": "R = 0\n", "lib/twin.py": "T = 0\n",
                 "tests/test_rule.py": "from lib import rule\n\nassert rule.R == 0\n"}, message="start", author=ADA)
    for i in range(1, 6):
        repo.commit({"lib/rule.py": f"R = {i}\n", "lib/twin.py": f"T = {i}\n",
                     "tests/test_rule.py": f"from lib import rule\n\nassert rule.R == {i}\n"}, message=f"rule {i}", author=ADA)
    store = tmp_path / "store"
    ingest_into_store(open_store(str(store)), repo.root)
    data = json.loads(cli("coupling", "--store", str(store), "--format", "json").output)
    assert [(p["a"], p["b"]) for p in data["pairs"]] == [("lib/rule.py", "lib/twin.py")]
    assert data["tests"] is False and data["left_out"] == {"tests": 2}
    table = cli("coupling", "--store", str(store)).output
    assert "left out: 2 pairs with a test file (--tests lists them)" in " ".join(table.split())
    everything = json.loads(cli("coupling", "--store", str(store), "--format", "json", "--tests").output)
    assert len(everything["pairs"]) == 3 and everything["left_out"] == {"tests": 0}
    assert ("lib/rule.py", "tests/test_rule.py") in {(p["a"], p["b"]) for p in everything["pairs"]}


def test_files_of_one_go_package_are_one_module_not_hidden_coupling(tmp_path):
    """caddy's coupling table marked 17 of its 21 pairs "hidden" (admin.go and caddy.go): files of one Go package never
    import each other, so no import between them hides nothing."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"go.mod": "module example.com/srv\n\ngo 1.22\n", "srv/admin.go": "package srv\n\nvar A = 0\n",
                 "srv/server.go": "package srv\n\nvar S = 0\n"}, message="start", author=ADA)
    for i in range(1, 6):
        repo.commit({"srv/admin.go": f"package srv\n\nvar A = {i}\n", "srv/server.go": f"package srv\n\nvar S = {i}\n"},
                    message=f"srv {i}", author=ADA)
    store = tmp_path / "store"
    ingest_into_store(open_store(str(store)), repo.root)
    data = json.loads(cli("coupling", "--store", str(store), "--format", "json").output)
    assert [(p["a"], p["b"], p["imports"], p.get("same_module")) for p in data["pairs"]] == [
        ("srv/admin.go", "srv/server.go", False, True)]
    table = " ".join(cli("coupling", "--store", str(store)).output.split())
    assert "hidden" not in table.replace("hidden: none does", "") and "one module" in table
    assert "one module: they are one module, a Go package, whose files need none" in table

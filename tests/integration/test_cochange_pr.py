"""The PR check names the usual partner a change leaves out (co-change), in JSON, Markdown and SARIF."""

from __future__ import annotations

import json

import pytest
from fixtures.cli import CliRunner

from cairn.api.bootstrap import open_store
from cairn.api.cli import app
from cairn.api.render.pr_comment import pr_markdown
from cairn.api.render.sarif import sarif_report
from cairn.api.services.ingesting import ingest_into_store
from cairn.ingest.change import change_from_refs
from cairn.queries.cochange import cochange_findings
from cairn.queries.pr_check import analyse
from fixtures.changes import BOB, CLAUDE, build_coupled


@pytest.fixture(scope="module")
def coupled(tmp_path_factory):
    base = tmp_path_factory.mktemp("cochange")
    repo = build_coupled(base / "repo")
    store = base / "store"
    ingest_into_store(open_store(str(store)), repo.root)
    main = repo.head()
    branches = {}
    for name, files, author in [
        ("x-alone", {"a/x.py": "X = 100\n"}, BOB),
        ("m-alone", {"pkg/m.py": "from pkg import n\n\nM = 100\n"}, BOB),
        ("m-by-agent", {"pkg/m.py": "from pkg import n\n\nM = 200\n"}, CLAUDE),
        ("both", {"a/x.py": "X = 300\n", "b/y2.py": "Y = 300\n"}, BOB),
    ]:
        repo.git("checkout", "-q", "-b", name, main)
        repo.commit(files, message=f"change {name}", author=author)
        branches[name] = repo.head()
    repo.git("checkout", "-q", "main")
    return {"repo": repo, "store": store, "graph": open_store(str(store)).load("repo"), "main": main, **branches}


def check_refs(stored, root, base, head):
    """The pure PR check over the change between two refs, as JSON."""
    return analyse(stored, change_from_refs(stored, root, base, head)).to_json()


def check_report(stored, root, base, head):
    return analyse(stored, change_from_refs(stored, root, base, head))


def cochange(report):
    return [f for f in report["findings"] if f["kind"] == "co-change"]


def test_a_change_that_leaves_out_its_usual_partner_in_another_component_names_it(coupled):
    report = check_refs(coupled["graph"], coupled["repo"].root, coupled["main"], coupled["x-alone"])
    found = cochange(report)
    assert len(found) == 1
    f = found[0]
    assert f["message"].startswith("a/x.py changed with b/y2.py in 6 of 8 commits; y2.py is untouched")
    assert "it is in component b" in f["message"] and "no import connects them" in f["message"]
    assert (f["rule"], f["severity"], f["file"], f["source"], f["target"]) == ("cairn/co-change", "warn", "a/x.py", "a/x.py", "b/y2.py")
    assert "coupling 85.7%" in f["message"]
    assert report["verdict"] == "warn"


def test_a_partner_in_the_same_component_is_info_unless_an_agent_made_the_change(coupled):
    human = cochange(check_refs(coupled["graph"], coupled["repo"].root, coupled["main"], coupled["m-alone"]))
    assert [(f["severity"], f["message"].split(" (")[0]) for f in human] == [
        ("info", "pkg/m.py changed with pkg/n.py in 5 of 5 commits; n.py is untouched")]
    agent = check_refs(coupled["graph"], coupled["repo"].root, coupled["main"], coupled["m-by-agent"])
    assert agent["agent"]["detected"]
    assert [f["severity"] for f in cochange(agent)] == ["warn"]


def test_changing_both_partners_is_quiet(coupled):
    assert cochange(check_refs(coupled["graph"], coupled["repo"].root, coupled["main"], coupled["both"])) == []


def test_markdown_and_sarif_show_the_finding(coupled):
    report = check_report(coupled["graph"], coupled["repo"].root, coupled["main"], coupled["x-alone"])
    markdown = pr_markdown(report)
    assert "`cairn/co-change`" in markdown and "a/x.py changed with b/y2.py in 6 of 8 commits" in markdown
    sarif = sarif_report(report.findings)
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "cairn/co-change"]
    assert len(results) == 1 and results[0]["level"] == "warning"
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a/x.py"
    assert results[0]["properties"]["target"] == "b/y2.py"
    rule = next(d for d in sarif["runs"][0]["tool"]["driver"]["rules"] if d["id"] == "cairn/co-change")
    assert "usually changes together" in rule["shortDescription"]["text"]


def test_the_cli_pr_check_json_carries_it(coupled):
    result = CliRunner().invoke(app, ["pr-check", "--repo", str(coupled["repo"].root), "--base", coupled["main"],
                                      "--head", coupled["x-alone"], "--store", str(coupled["store"]), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [f["target"] for f in json.loads(result.output)["findings"] if f["kind"] == "co-change"] == ["b/y2.py"]


def test_the_pure_function_keeps_the_strongest_partners(coupled):
    graph = coupled["graph"]
    assert cochange_findings(graph, [], agent=False) == []
    assert [f.target for f in cochange_findings(graph, ["b/y2.py"], agent=False)] == ["a/x.py"]
    assert cochange_findings(graph, ["a/z.py"], agent=True) == []


def test_the_strongest_coupling_comes_first_whatever_the_paths(coupled):
    """A report cut to its first findings (the agent tool's ten) keeps the strongest: they came in path order."""
    graph = coupled["graph"]
    found = cochange_findings(graph, ["a/x.py", "pkg/m.py"], agent=False)
    degrees = [next(e.props["degree"] for e in graph.of_type("CO_CHANGES")
                    if {graph.nodes[e.source].key, graph.nodes[e.target].key} == {f.source, f.target}) for f in found]
    assert len(found) >= 2 and degrees == sorted(degrees, reverse=True)
    assert [f.source for f in found] != sorted(f.source for f in found) or len(set(degrees)) == 1


def test_an_untouched_test_in_a_tests_component_is_no_boundary_crossed():
    """poetry: http_repository.py warned of tests/repositories/test_legacy_repository.py, "it is in component tests": the
    file's own test, named (info), not coupling across a boundary; a partner of code in another component still warns."""
    from cairn.graph.model import Label, Rel, RepoGraph
    from cairn.graph.severity import Severity

    graph = RepoGraph("poetry")
    changed = graph.add_node(Label.FILE, "src/poetry/repositories/http_repository.py", component="repositories")
    for path, component, degree in (("tests/repositories/test_legacy_repository.py", "tests", 60),
                                    ("src/poetry/utils/authenticator.py", "utils", 40)):
        partner = graph.add_node(Label.FILE, path, component=component)
        graph.add_edge(Rel.CO_CHANGES, changed, partner, degree=degree, shared=18, revs_a=48, revs_b=30, imports=False)
    found = {f.target: f for f in cochange_findings(graph, [changed.key], agent=False)}
    test = found["tests/repositories/test_legacy_repository.py"]
    assert test.severity is Severity.INFO and "in component" not in test.message
    code = found["src/poetry/utils/authenticator.py"]
    assert code.severity is Severity.WARN and "it is in component utils" in code.message


def test_a_change_gets_a_few_findings_its_warnings_first():
    # Loki: a PR of eight source files raised sixteen co-change findings, mostly each file and its own test
    from cairn.graph.model import Label, Rel, RepoGraph
    from cairn.graph.severity import Severity
    from cairn.queries.cochange import MAX_PER_CHANGE

    graph = RepoGraph("loki")
    changed = [f"pkg/logs/f{i}.go" for i in range(5)]
    for i, path in enumerate(changed):
        graph.add_node(Label.FILE, path, component="logs")
        for j in range(3):
            partner = graph.add_node(Label.FILE, f"pkg/logs/f{i}_{j}_test.go", component="logs")
            graph.add_edge(Rel.CO_CHANGES, graph.node(Label.FILE, path), partner, degree=90 - i - j, shared=9, revs_a=10,
                           revs_b=10, imports=True)
    other = graph.add_node(Label.FILE, "pkg/ruler/r.go", component="ruler")  # the weakest, across a boundary
    graph.add_edge(Rel.CO_CHANGES, graph.node(Label.FILE, changed[4]), other, degree=40, shared=4, revs_a=10, revs_b=10,
                   imports=False)
    found = cochange_findings(graph, changed, agent=False)
    assert len(found) == MAX_PER_CHANGE < 16
    assert found[-1].target == "pkg/ruler/r.go" and found[-1].severity is Severity.WARN
    assert [f.target for f in found[:-1]] == ["pkg/logs/f0_0_test.go", "pkg/logs/f0_1_test.go", "pkg/logs/f1_0_test.go",
                                              "pkg/logs/f0_2_test.go", "pkg/logs/f1_1_test.go"]


def test_a_file_only_moved_changes_nothing_its_partners_should_follow(coupled):
    """vue's 6a5b2098e moved its private packages: four warnings that a moved test's usual partner was untouched."""
    repo = coupled["repo"]
    repo.git("checkout", "-q", "-b", "x-moved", coupled["main"])
    moved = repo.rename("a/x.py", "a/sub/x.py", message="move x", author=BOB)
    repo.git("checkout", "-q", "-b", "x-moved-and-changed", coupled["main"])
    repo.git("mv", "a/x.py", "a/x2.py")
    changed = repo.commit({"a/x2.py": "X = 400\n"}, message="move and change x", author=BOB)
    repo.git("checkout", "-q", "main")
    graph, root = coupled["graph"], repo.root
    assert cochange(check_refs(graph, root, coupled["main"], moved)) == []
    assert [f["target"] for f in cochange(check_refs(graph, root, coupled["main"], changed))] == ["b/y2.py"]

"""Truck factor (Avelino et al.), human-knowledge truck factor, orphaned files, --leaving, and the CLI.

Expectations are hand-computed in ``fixtures.ownership`` (DOA per file) and
below (the greedy removals).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.cli import CliRunner

from cairn.graph.errors import CairnError, UnknownName
from cairn.graph.model import Label, Rel
from cairn.graph.people import KnowledgeHolder
from cairn.ingest.codeowners import add_ownership, read_codeowners
from cairn.ingest.config import IdentitySettings
from cairn.ingest.history import mine_history
from cairn.ingest.knowledge import add_knowledge
from cairn.graph.authorship import is_author
from cairn.queries.leaving import leaving_impact
from cairn.queries.ownership import annotate_bus_factor, bus_factor, file_authors, greedy_truck_factor
from fixtures.ownership import build_team_repo, hand_built_graph


@pytest.fixture(scope="module")
def team_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("team")
    build_team_repo(root)
    return root


def team_graph(root: Path, **repo_props):
    graph = hand_built_graph(**repo_props)
    add_knowledge(graph, mine_history(root, IdentitySettings()))
    add_ownership(graph, read_codeowners(root))
    return graph


def component(report, name):
    return next(c for c in report["components"] if c["name"] == name)


# -- the algorithm on its own ---------------------------------------------------------------------------


def test_author_rule():
    assert is_author(4.0, 4.0, False)  # the best, above 3.293
    assert not is_author(3.0, 4.0, False)  # ratio 0.75 is not > 0.75
    assert is_author(3.2, 3.2, True)  # below 3.293 but the creator
    assert not is_author(3.2, 3.2, False)  # below 3.293 and not the creator
    assert file_authors({"a": (4.1685, True), "b": (3.457, False), "c": (3.1, False)}) == ["a", "b"]
    assert file_authors({}) == []


def test_exactly_half_covered_needs_one_more_removal():
    knowers = {"f1": ["a"], "f2": ["a"], "f3": ["b"], "f4": ["b"]}
    # after removing "a", 2 of 4 files (exactly 50 %) still have an author: not yet "more than 50 % orphaned"
    assert greedy_truck_factor(knowers, knowers, rank={"a": 2, "b": 1}) == ["a", "b"]
    assert greedy_truck_factor(knowers, knowers, rank={"a": 1, "b": 2}) == ["b", "a"]  # tie broken by rank
    assert greedy_truck_factor(knowers, knowers) == ["a", "b"]  # then by id
    knowers["f5"] = []
    assert greedy_truck_factor(knowers, knowers) == ["a"]  # 2 of 5 covered after one removal: stop
    assert greedy_truck_factor([], {}) == []
    assert greedy_truck_factor(["x", "y"], {}) == []


def test_remove_by_files_authored_in_scope_not_remaining():
    # a authors 3 files, b 2 of them plus one: a goes first even though b would then cover more
    knowers = {"f1": ["a", "b"], "f2": ["a", "b"], "f3": ["a"], "f4": ["b"], "f5": ["c"], "f6": []}
    assert greedy_truck_factor(knowers, knowers, rank={"b": 9}) == ["b", "a"]  # tie 3-3: rank decides
    assert greedy_truck_factor(knowers, knowers) == ["a", "b"]


# -- the team repository ----------------------------------------------------------------------------------


def test_team_truck_factors(team_root):
    report = bus_factor(team_graph(team_root))
    repo = report["repository"]
    # authors: Alice {c1, c2, w2}, Bob {c3, c4}, Carol {w1}, Dave {w2}; w3 (agent only) has none.
    # 6/7 covered -> remove Alice (3 files) -> 4/7 -> remove Bob -> 2/7 < 50 %: TF 2.
    assert (repo["truck_factor"], repo["truck_factor_people"]) == (2, ["Alice", "Bob"])
    assert repo["files"] == 7
    assert repo["orphaned_files"] == 1  # w3: nobody wrote it but the agent (Dave is inactive, but Alice co-authors w2)
    assert repo["shallow"] is False and repo["commits"] == 14

    core = component(report, "core")
    # Alice {c1, c2}, Bob {c3, c4}: tie broken by commits (4 vs 3); after Alice exactly 50 % is covered: remove Bob too.
    assert (core["truck_factor"], core["truck_factor_people"]) == (2, ["Alice", "Bob"])
    assert core["human_truck_factor"] == 2 and core["orphaned_files"] == 0 and core["at_risk"] is False
    assert [(h["person"], h["files_authored"], h["share"]) for h in core["knowledge_holders"]] == [
        ("Alice", 2, 0.5), ("Bob", 2, 0.5)]

    web = component(report, "web")
    # Alice {w2}, Carol {w1}, Dave {w2}: one file each, ranked by commits (4, 3, 1): Alice, then Carol -> 1/3 covered.
    assert (web["truck_factor"], web["truck_factor_people"]) == (2, ["Alice", "Carol"])
    # human knowledge (Dave inactive): Carol {w1, w3 (review)}, Alice {w2}, Bob {w3 (committed the agent's work)}
    assert (web["human_truck_factor"], web["human_truck_factor_people"]) == (2, ["Carol", "Alice"])
    assert web["orphaned_files"] == 1 and web["at_risk"] is False
    holders = {h["person"]: (h["files_authored"], h["active"]) for h in web["knowledge_holders"]}
    assert holders == {"Alice": (1, True), "Carol": (1, True), "Dave": (1, False)}


def test_team_people_and_declared_owner_drift(team_root):
    report = bus_factor(team_graph(team_root))
    people = {p["name"]: p for p in report["people"]}
    assert people["Alice"]["id"] == "alice@example.com" and people["Alice"]["kind"] == "human"
    assert people["copilot-swe-agent[bot]"]["kind"] == "agent" and people["dependabot[bot]"]["kind"] == "bot"
    assert people["Dave"]["active"] is False and people["Dave"]["gone"] == "inactive"
    assert people["Dave"]["last_active"] == "2024-01-05T12:00:00+00:00"
    assert set(people["Alice"]) >= {"id", "name", "kind", "aliases", "last_active"}
    core, web = component(report, "core"), component(report, "web")
    assert core["declared_owners"] == ["@alice-gh", "bob@example.com"]
    assert core["declared_owners_without_knowledge"] == []
    assert web["declared_owners"] == ["@zed"] and web["declared_owners_without_knowledge"] == ["@zed"]


def test_leaving(team_root):
    graph = team_graph(team_root)
    report = bus_factor(graph, leaving=["@alice-gh"])  # any alias works: here her GitHub login
    repo = report["repository"]
    assert repo["leaving"] == ["Alice"]
    # Bob {c3, c4}, Carol {w1}, Dave {w2}: 4/7 -> remove Bob -> 2/7: TF 1
    assert (repo["truck_factor"], repo["truck_factor_people"]) == (1, ["Bob"])
    assert repo["orphaned_files"] == 4  # c1, c2 (Alice), w2 (Dave inactive, Alice left), w3
    core, web = component(report, "core"), component(report, "web")
    assert (core["truck_factor"], core["at_risk"]) == (1, True)  # TF <= 1
    assert core["orphaned_files"] == 2
    assert (web["truck_factor"], web["truck_factor_people"], web["orphaned_files"]) == (1, ["Carol"], 2)
    assert web["at_risk"] is True
    assert all(h["person"] != "Alice" for c in report["components"] for h in c["knowledge_holders"])
    assert next(p for p in report["people"] if p["name"] == "Alice")["gone"] == "leaving"
    assert bus_factor(graph, leaving=["ALICE", "Bob"])["repository"]["leaving"] == ["Alice", "Bob"]
    assert bus_factor(graph, leaving=["alice@old.example"])["repository"]["leaving"] == ["Alice"]  # known via .mailmap


def test_what_leaving_changes(team_root):
    graph = team_graph(team_root)
    everyone = bus_factor(graph)
    impact = leaving_impact(everyone, bus_factor(graph, leaving=["Alice"]))
    # the numbers of test_leaving against those of everyone here (core: TF 2, none orphaned; w2's only author Dave is
    # inactive already)
    assert impact["repository"] == {"files": 7, "truck_factor_before": 2, "truck_factor": 1, "human_truck_factor_before": 2,
                                    "human_truck_factor": 1, "orphaned_files_before": 1, "orphaned_files": 4}
    core, web = impact["components"]  # both newly at risk; core loses more files (2 against 1)
    assert core == {"name": "core", "files": 4, "truck_factor_before": 2, "truck_factor": 1, "human_truck_factor_before": 2,
                    "human_truck_factor": 1, "orphaned_files_before": 0, "orphaned_files": 2, "at_risk_before": False,
                    "at_risk": True}
    assert (web["name"], web["orphaned_files_before"], web["orphaned_files"]) == ("web", 1, 2)
    assert impact["newly_at_risk"] == ["core", "web"] and impact["unchanged"] == 0
    # Carol knows web only: core keeps every number
    carol = leaving_impact(everyone, bus_factor(graph, leaving=["Carol"]))
    assert [c["name"] for c in carol["components"]] == ["web"] and carol["unchanged"] == 1
    assert (carol["components"][0]["truck_factor_before"], carol["components"][0]["truck_factor"]) == (2, 0)


def test_unknown_names_are_clear_errors(team_root):
    graph = team_graph(team_root)
    with pytest.raises(UnknownName, match="'Nobody'") as person:
        bus_factor(graph, leaving=["Nobody"])
    assert (person.value.kind, person.value.name) == ("person", "Nobody")
    with pytest.raises(UnknownName, match="core, web") as component:
        bus_factor(graph, component="nope")
    assert component.value.kind == "component" and isinstance(component.value, CairnError)
    only = bus_factor(graph, component="web")
    assert [c["name"] for c in only["components"]] == ["web"]


def test_inactive_threshold_and_departed(team_root):
    graph = team_graph(team_root, thresholds={"inactive_days": 30}, departed=[])
    report = bus_factor(graph)
    # 30 days before 2024-09-01 everybody but Mallory (who only merged) is inactive: every file orphaned.
    assert report["repository"]["orphaned_files"] == 7
    assert report["repository"]["truck_factor"] == 2  # the paper's number ignores recency
    assert report["repository"]["human_truck_factor"] == 0
    assert all(c["at_risk"] for c in report["components"])
    departed = bus_factor(team_graph(team_root, departed=["Bob", "Zoe Typo"]))
    assert any("'Zoe Typo'" in n and "matches nobody" in n for n in departed["repository"]["notes"])
    assert departed["repository"]["orphaned_files"] == 3  # c3, c4 (Bob's) and w3
    assert next(p for p in departed["people"] if p["name"] == "Bob")["gone"] == "departed"


def test_human_truck_factor_counts_review_credit(team_root):
    graph = team_graph(team_root)
    report = bus_factor(graph)
    # present holders: Alice {c1, c2, w2}, Bob {c3, c4, w3}, Carol {w1, w3}, Erin {c3}
    # remove Alice (3, more commits than Bob) -> 4/7 -> Bob -> {c3 Erin, w1, w3 Carol} 3/7: human TF 2
    assert report["repository"]["human_truck_factor"] == 2
    assert report["repository"]["human_truck_factor_people"] == ["Alice", "Bob"]
    # Carol leaving: only w2 keeps an author (Alice; Dave is inactive anyway), so the paper's TF of web is 0;
    # Bob's review credit on the agent-written w3 keeps 2 of 3 files known: remove Alice -> 1/3: human TF 1.
    web = component(bus_factor(graph, leaving=["Carol"]), "web")
    assert (web["truck_factor"], web["human_truck_factor"], web["human_truck_factor_people"]) == (0, 1, ["Alice"])


def test_annotate_writes_derived_properties(team_root):
    graph = team_graph(team_root)
    annotate_bus_factor(graph)
    core = graph.node(Label.COMPONENT, "core")
    assert core["truck_factor"] == 2 and core["truck_factor_people"] == ["Alice", "Bob"]
    assert core["human_truck_factor"] == 2 and core["orphaned_files"] == 0 and core["at_risk"] is False
    alice = graph.node(Label.PERSON, core["knowledge_holders"][0]["id"])
    assert KnowledgeHolder.of(core)[0] == KnowledgeHolder("Alice", alice.key, 2, 0.5) and alice["name"] == "Alice"
    assert graph.repository["truck_factor"] == 2 and graph.repository["human_truck_factor"] == 2
    author_flags = {(graph.nodes[e.source]["name"], graph.nodes[e.target].key): e.props["author"]
                    for e in graph.of_type(Rel.KNOWS)}
    assert author_flags[("Bob", "core/c4.py")] is True and author_flags[("Carol", "core/c4.py")] is False
    assert author_flags[("Erin", "core/c3.py")] is False


def test_annotate_flags_every_author_whatever_order_the_knows_edges_come_in():
    """The analysis reads the KNOWS edges grouped by file: edges of many files, interleaved and shuffled, each get
    the author flag the rule gives for their own file, and the report is the one of the same edges in file order."""
    import random

    from cairn.graph.model import RepoGraph

    rnd = random.Random(14)
    edges = []
    people_keys = [f"p{i}@x" for i in range(9)]
    for n in range(60):
        for person in rnd.sample(people_keys, rnd.randint(1, 5)):
            edges.append((person, f"core/f{n:02}.py", round(rnd.uniform(0.5, 9.0), 3), rnd.random() < 0.3,
                          rnd.choice([0, 0, 1])))

    def built(order):
        graph = RepoGraph("r")
        graph.add_node(Label.REPOSITORY, "r")
        graph.add_node(Label.COMPONENT, "core", paths=["core/**"])
        people = {k: graph.add_node(Label.PERSON, k, name=k.upper(), kind="human", commits=int(k[1]) + 1) for k in people_keys}
        files = {f: graph.add_node(Label.FILE, f, component="core", changes=1) for f in sorted({e[1] for e in edges})}
        for person, f, doa, first, reviews in order:
            graph.add_edge(Rel.KNOWS, people[person], files[f], doa=doa, first_authorship=first, reviews=reviews)
        return graph

    shuffled = edges[:]
    rnd.shuffle(shuffled)
    by_file = built(sorted(edges, key=lambda e: (e[1], e[0])))
    graph = built(shuffled)
    report = annotate_bus_factor(graph)
    expected_authors = {f: file_authors({p: (doa, first) for p, g, doa, first, _ in edges if g == f})
                        for f in {e[1] for e in edges}}
    flags = {(graph.nodes[e.source].key, graph.nodes[e.target].key): e.props["author"] for e in graph.of_type(Rel.KNOWS)}
    assert len(flags) == len(edges) and any(flags.values()) and not all(flags.values())
    for (person, f), flag in flags.items():
        assert flag is (person in expected_authors[f])
    assert report == annotate_bus_factor(by_file)


def test_empty_history_gives_no_truck_factor_without_error(tmp_path):
    from fixtures.gitrepo import GitRepo

    GitRepo(tmp_path / "empty")
    graph = hand_built_graph()
    add_knowledge(graph, mine_history(tmp_path / "empty"))
    report = bus_factor(graph)
    # files with no commit are left out, as the reference does ("No commits for <file>"): nothing is counted, so there
    # is no truck factor (None), not one of 0 (which would say every author is gone)
    assert report["repository"]["truck_factor"] is None and report["repository"]["human_truck_factor"] is None
    assert report["repository"]["files"] == 0 and report["repository"]["at_risk"] is False
    assert report["people"] == []
    assert any("no commits" in n for n in report["repository"]["notes"])
    assert any("7 counted file(s) have no commit" in n for n in report["repository"]["notes"])


# -- end to end through the CLI ----------------------------------------------------------------------------


def test_cli_end_to_end(team_root, tmp_path):
    from cairn.api.cli import app

    store = str(tmp_path / "store")
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(team_root), "--store", store, "--name", "team", "--format", "json"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["bus-factor", "--store", store, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["repository"]["truck_factor"], report["repository"]["truck_factor_people"]) == (2, ["Alice", "Bob"])
    assert component(report, "core")["truck_factor"] == 2
    assert component(report, "web")["declared_owners_without_knowledge"] == ["@zed"]

    result = runner.invoke(app, ["bus-factor", "--store", store, "--format", "json", "--leaving", "Alice",
                                 "--component", "core"])
    assert result.exit_code == 0, result.output
    one = json.loads(result.stdout)
    assert one["components"][0]["truck_factor"] == 1
    assert [c["name"] for c in one["impact"]["components"]] == ["core"] and one["impact"]["newly_at_risk"] == ["core"]

    result = runner.invoke(app, ["bus-factor", "--store", store])
    assert result.exit_code == 0 and "truck factor" in result.stdout and "core" in result.stdout
    assert "if " not in result.stdout and "What changes" not in result.stdout

    result = runner.invoke(app, ["bus-factor", "--store", store, "--leaving", "Carol"])
    assert result.exit_code == 0, result.output
    assert "if Carol left: truck factor 2 → 1" in result.stdout and "What changes (1 component; 1 unchanged)" in result.stdout
    web = next(line for line in result.stdout.splitlines() if line.startswith("│ web"))
    assert "2 → 0 (2 → 1)" in web and "1 → 2 of 3" in web and "newly" in web


def test_cli_subprocess_errors_and_shallow(team_root, tmp_path):
    cairn = str(Path(sys.executable).parent / "cairn")
    env = {**os.environ, "CAIRN_STORE": str(tmp_path / "store")}
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{team_root}", str(clone)], check=True, capture_output=True)
    done = subprocess.run([cairn, "ingest", str(clone), "--format", "json"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    out = subprocess.run([cairn, "bus-factor", "--format", "json"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["repository"]["shallow"] is True
    assert any("shallow" in n for n in report["repository"]["notes"])
    # depth 1: the merge commit becomes a root that adds every file, so Mallory "created" everything
    assert report["repository"]["truck_factor_people"] == ["Mallory"]
    bad = subprocess.run([cairn, "bus-factor", "--leaving", "Nobody"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "no person matches 'Nobody'" in bad.stderr and "Traceback" not in bad.stderr
    bad = subprocess.run([cairn, "bus-factor", "--component", "nope"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "no component named 'nope'" in bad.stderr
    table = subprocess.run([cairn, "bus-factor"], capture_output=True, text=True, env=env)
    assert table.returncode == 0 and "shallow clone" in table.stdout


def test_components_at_risk_are_listed_by_knowledge_lost_then_code_at_stake():
    """prometheus: ``template`` (3 of 3 files orphaned) led above web/ui (80 of 249) when the share decided; then,
    with as many orphaned, the bigger component first (temporal's history/queues, 64 files one person knows, below
    folders of two)."""
    from cairn.queries.ownership import _risk_order

    def comp(name, tf, orphaned, files, at_risk=True):
        return {"name": name, "truck_factor": tf, "orphaned_files": orphaned, "files": files, "at_risk": at_risk}

    listed = [comp("template", 1, 3, 3), comp("web/ui", 1, 80, 249), comp("tiny", 1, 0, 2), comp("queues", 1, 0, 64),
              comp("rules", 3, 6, 11), comp("tsdb", 7, 0, 300, at_risk=False), comp("aaa", 1, 0, 64),
              {**comp("tests", 1, 31, 81), "tests": True}]
    # the tests after the code (django-rest-framework's tests/, 31 of 81 orphaned, led its list)
    assert [c["name"] for c in sorted(listed, key=_risk_order)] == [
        "web/ui", "template", "aaa", "queues", "tiny", "rules", "tests", "tsdb"]

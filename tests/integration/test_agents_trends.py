"""The agent inventory and trends on a real repository whose quarters have, and have not, agent work.

Hand-computed (see change_fixtures.build_agents):

* 2024-Q1: 3 commits, no agent, humans Ada and Bob; Ada authors core, util and
  api, Bob views: removing Ada leaves 1 of 4 files covered -> truck factor 1;
* 2024-Q2: 5 commits, 4 agent-assisted (Claude by trailer, by "Generated with
  [Claude Code]", by "Coded with Claude", all authored by Ada; Cursor's agent
  committed by Carol), humans Ada, Carol, Bob; Ada authors 3 of 5 files ->
  truck factor 1; the trailer commit makes b import a (carried by b/api.py, which
  agents changed): 1 new coupling, from agents;
* 2024-Q3: 2 human commits (Bob, Carol); Ada and Bob author 3 files each
  (Ada first: more commits) -> truck factor 2; Carol's import of b in a
  closes a cycle: 1 new coupling, 1 new cycle, none from agents.
"""

from __future__ import annotations

import json

import pytest
from fixtures.cli import CliRunner

from cairn.api.bootstrap import open_store
from cairn.api.cli import app
from cairn.api.services import changes_over_time
from cairn.api.services.ingesting import ingest_into_store
from cairn.api.services.workspace import Workspace
from cairn.graph.changes import period_end, period_of, period_start
from cairn.graph.errors import UnknownName
from cairn.graph.model import Label
from cairn.ingest.agent_markers import MarkerMatcher
from cairn.ingest.config import load_config
from cairn.ingest.pipeline import ingest_repository
from cairn.queries.agents import agents
from cairn.queries.ownership import annotate_bus_factor, bus_factor
from cairn.queries.trends import TrendsUnavailable, pending_samples, trends, truck_factors_over_time
from fixtures.changes import build_agents


@pytest.fixture(scope="module")
def agents_store(tmp_path_factory):
    base = tmp_path_factory.mktemp("agents")
    build_agents(base / "repo")
    store = base / "store"
    ingest_into_store(open_store(str(store)), base / "repo")
    return store, open_store(str(store)).load("repo"), base / "repo"


def full_trends(store, **options):
    """Trends as the CLI, the API and MCP give them (the one service): with the code samples ingest left for later."""
    with Workspace(open_store(str(store)), naming_hint="-") as ws:
        return changes_over_time.trends(ws, "repo", **options)


def test_trailer_and_both_message_markers_count_for_one_agent_with_the_shepherding_human(agents_store):
    _, graph, _ = agents_store
    report = agents(graph)
    assert report["assisted_commits"] == 4
    by_name = {a["name"]: a for a in report["agents"]}
    assert set(by_name) == {"Claude", "Cursor Agent"}
    claude = by_name["Claude"]
    assert claude["id"] == "noreply@anthropic.com"
    assert claude["commits"] == 3
    assert claude["components"] == ["a", "b"]  # a twice (util, core), b once (api)
    assert claude["humans"] == ["Ada Lovelace"]
    assert (claude["first"], claude["last"]) == ("2024-04-10T12:00:00+00:00", "2024-05-20T12:00:00+00:00")
    cursor = by_name["Cursor Agent"]
    assert (cursor["commits"], cursor["components"], cursor["humans"]) == (1, ["b"], ["Carol Shaw"])
    assert [a["name"] for a in report["agents"]] == ["Claude", "Cursor Agent"]  # most commits first


def test_agent_share_per_component_over_the_recent_window(agents_store):
    _, graph, _ = agents_store
    # 180 days before the newest commit (2024-08-10): from 2024-02-12. a: util, core (Claude), core (Carol);
    # b: views (Bob, March), api (Claude), views (Cursor), forms, models (Bob).
    shares = {c["name"]: (c["agent_share"], c["agent_commits"], c["recent_commits"]) for c in agents(graph)["components"]}
    assert shares == {"a": (0.6667, 2, 3), "b": (0.4, 2, 5)}


def test_quarters_with_and_without_agents(agents_store):
    store, graph, _ = agents_store
    rows = {r["period"]: r for r in full_trends(store)["periods"]}
    assert list(rows) == ["2024-Q1", "2024-Q2", "2024-Q3"]
    q1, q2, q3 = rows["2024-Q1"], rows["2024-Q2"], rows["2024-Q3"]
    assert (q1["commits"], q1["agent_share"], q1["humans"], q1["truck_factor"], q1["human_truck_factor"]) == (3, 0.0, 2, 1, 1)
    assert (q2["commits"], q2["agent_share"], q2["humans"], q2["truck_factor"], q2["human_truck_factor"]) == (5, 0.8, 3, 1, 1)
    assert (q3["commits"], q3["agent_share"], q3["humans"], q3["truck_factor"], q3["human_truck_factor"]) == (2, 0.0, 2, 2, 2)
    assert q1["new_couplings"] is None  # the first sample is what the next one is compared with
    assert (q2["new_couplings"], q2["new_cycles"], q2["from_agents"]) == (1, 0, 1)
    assert q2["couplings"] == [{"source": "b", "target": "a", "from_agents": True}]
    assert (q3["new_couplings"], q3["new_cycles"], q3["from_agents"]) == (1, 1, 0)
    assert q3["cycles"] == [{"components": ["a", "b"], "from_agents": False}]


def test_the_current_period_equals_the_bus_factor_and_the_replay_agrees_with_it(agents_store):
    _, graph, root = agents_store
    report = bus_factor(graph)
    last = trends(graph)["periods"][-1]
    assert (last["truck_factor"], last["human_truck_factor"]) == (report["repository"]["truck_factor"],
                                                                  report["repository"]["human_truck_factor"])
    # the replayed knowledge at the last period's end, without the stored override, gives the same numbers
    result = ingest_repository(root, load_config(root))
    annotate_bus_factor(result.graph)
    replayed = truck_factors_over_time(result.trends.snapshots())["2024-Q3"]
    assert (replayed["truck_factor"], replayed["human_truck_factor"]) == (2, 2)
    stored = {c["name"]: [c["truck_factor"], c["human_truck_factor"]] for c in report["components"]}
    # b: Bob authors views, forms and models, Ada api, Carol reviewed views (she committed Cursor's commit):
    # Bob alone -> 1; for the human one, without Bob api and views are still known: Ada must go too -> 2
    assert replayed["components"] == stored == {"a": [1, 1], "b": [1, 2]}


def test_years_add_up_quarters_and_months_need_a_monthly_ingest(agents_store, tmp_path):
    _, graph, root = agents_store
    year = trends(graph, period="year")["periods"]
    assert len(year) == 1
    assert (year[0]["period"], year[0]["commits"], year[0]["agent_share"], year[0]["humans"], year[0]["truck_factor"]) == (
        "2024", 10, 0.4, 3, 2)
    with pytest.raises(TrendsUnavailable, match='set \\[trends\\] period = "month"'):
        trends(graph, period="month")
    (root / "cairn.toml").write_text((root / "cairn.toml").read_text() + '\n[trends]\nperiod = "month"\n')
    monthly = ingest_repository(root, load_config(root))
    annotate_bus_factor(monthly.graph)
    changes_over_time.annotate_trends(monthly.graph, monthly.trends)
    months = {r["period"]: r for r in trends(monthly.graph)["periods"]}
    assert list(months) == [f"2024-{m:02d}" for m in range(1, 9)]
    assert [months[f"2024-{m:02d}"]["commits"] for m in range(1, 9)] == [1, 1, 1, 1, 2, 2, 1, 1]
    assert months["2024-05"]["agent_share"] == 1.0 and months["2024-06"]["agent_share"] == 0.5
    quarters = {r["period"]: r["commits"] for r in trends(monthly.graph, period="quarter")["periods"]}
    assert quarters == {"2024-Q1": 3, "2024-Q2": 5, "2024-Q3": 2}


def test_component_trends(agents_store):
    store, graph, _ = agents_store
    rows = {r["period"]: r for r in full_trends(store, component="a")["periods"]}
    assert (rows["2024-Q2"]["commits"], rows["2024-Q2"]["agent_share"]) == (2, 1.0)
    assert (rows["2024-Q2"]["new_couplings"], rows["2024-Q3"]["new_couplings"], rows["2024-Q3"]["new_cycles"]) == (1, 1, 1)
    assert rows["2024-Q3"]["truck_factor"] == 1
    with pytest.raises(UnknownName, match="no component named 'zz'"):
        trends(graph, component="zz")


def test_a_sample_from_git_objects_equals_the_ingested_graph_at_head(agents_store):
    _, graph, root = agents_store
    from cairn.ingest.components import declared_components
    from cairn.ingest.trend_samples import component_dependencies, dependencies_at

    config = load_config(root)
    found = dependencies_at(root, "HEAD", declared_components(config.components), config=config)
    assert found == component_dependencies(graph) == {("a", "b"): ["a/core.py"], ("b", "a"): ["b/api.py"]}


def test_a_sample_leaves_out_tests_and_build_configuration_beside_code_as_the_graph_does(tmp_path):
    """A test (or a build configuration) beside a component's code imports another component: no dependency of the
    code in the ingested graph, so none in the periods' samples read from git objects either (they counted it: the
    trends' "new couplings" would have changed with no change to the code)."""
    from cairn.ingest.components import declared_components
    from cairn.ingest.trend_samples import component_dependencies, dependencies_at
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"cairn.toml": '[components]\na = ["a/**"]\nb = ["b/**"]\n', "a/__init__.py": "", "a/core.py": "X = 1\n",
                 "a/test_core.py": "import b.api\n", "a/setup.py": "import b.api\n", "b/__init__.py": "",
                 "b/api.py": "import a.core\n"}, message="a and b")
    store = tmp_path / "store"
    ingest_into_store(open_store(str(store)), repo.root)
    graph = open_store(str(store)).load("repo")
    config = load_config(repo.root)
    found = dependencies_at(repo.root, "HEAD", declared_components(config.components), config=config)
    assert found == component_dependencies(graph) == {("b", "a"): ["b/api.py"]}


def test_the_dependencies_among_some_files_are_every_pair_with_only_those_carriers(agents_store):
    store, _, _ = agents_store
    from cairn.graph.model import Edge, Rel
    from cairn.ingest.trend_samples import component_dependencies

    graph = open_store(str(store)).load("repo")  # changed below

    every = component_dependencies(graph)
    for among in (set(), {"a/core.py"}, {"b/api.py", "a/core.py", "elsewhere.py"}):
        assert component_dependencies(graph, among) == {pair: [f for f in files if f in among]
                                                        for pair, files in every.items()}
    # a module's component without its node: the pairs are not those of the DEPENDS_ON edges, every edge is read
    module = next(n for n in graph.of_label(Label.MODULE) if n.props.get("component") == "a")
    module.props["component"] = "nowhere"
    target = next(e.target for e in graph.of_type(Rel.IMPORTS) if graph.nodes.get(e.target) is not None
                  and graph.nodes[e.target].label is Label.MODULE and graph.nodes[e.target].props.get("component") == "b")
    graph.edges[("IMPORTS", module.id, target)] = Edge(Rel.IMPORTS, module.id, target, {"kind": "runtime"})
    every, among = component_dependencies(graph), set(module.props.get("files") or [module.props.get("path")])
    assert every[("nowhere", "b")] == sorted(among)
    assert component_dependencies(graph, among) == {pair: [f for f in files if f in among] for pair, files in every.items()}


def test_ingest_leaves_code_samples_to_trends_and_stores_them_once_extracted(tmp_path):
    build_agents(tmp_path / "repo")
    store = open_store(str(tmp_path / "store"))
    ingest_into_store(store, tmp_path / "repo")
    graph = store.load("repo")
    assert len(pending_samples(graph)) == 2  # the ends of 2024-Q1 and 2024-Q2; 2024-Q3 is the ingested head
    assert trends(graph)["periods"][1]["new_couplings"] is None  # not extracted yet: unknown, not zero
    q2 = graph.node(Label.PERIOD, "2024-Q2")
    assert q2.get("agent_commits") == 4 and q2.get("kind") == "quarter" and q2.get("sampled") and q2.get("dependencies") is None
    assert q2.get("components")["a"]["agent_commits"] == 2
    assert changes_over_time.trends(Workspace(store, naming_hint="-"), "repo")["periods"][1]["new_couplings"] == 1
    ingest_into_store(store, tmp_path / "repo")  # the next ingest finds the samples cached and stores them
    graph = store.load("repo")
    assert pending_samples(graph) == []
    q2 = graph.node(Label.PERIOD, "2024-Q2")
    assert (q2.get("new_couplings"), q2.get("from_agents"), q2.get("dependencies")) == (1, 1, {"b -> a": ["b/api.py"]})
    assert trends(graph)["periods"][1]["new_couplings"] == 1


def test_cli_agents_and_trends(agents_store):
    store, _, _ = agents_store
    runner = CliRunner()
    data = data_agents = json.loads(runner.invoke(app, ["agents", "--store", str(store), "--format", "json"]).output)
    assert set(data["agents"][0]) >= {"name", "commits", "components", "humans", "first", "last"}
    assert set(data["components"][0]) >= {"name", "agent_share"}
    data = json.loads(runner.invoke(app, ["trends", "--store", str(store), "--format", "json"]).output)
    assert set(data["periods"][0]) >= {"period", "commits", "agent_share", "humans", "truck_factor", "human_truck_factor",
                                       "new_couplings", "new_cycles", "from_agents"}
    table = runner.invoke(app, ["trends", "--store", str(store), "--period", "year"])
    assert table.exit_code == 0 and "2024" in table.output
    bad = runner.invoke(app, ["trends", "--store", str(store), "--period", "month"])
    assert bad.exit_code == 2 and "re-ingest" in bad.output
    shown = runner.invoke(app, ["agents", "--store", str(store)])
    assert shown.exit_code == 0
    # the share table lists the components agents touched; the others are counted, not listed at 0%
    touched = [c for c in data_agents["components"] if c["agent_commits"]]
    untouched = len(data_agents["components"]) - len(touched)
    assert touched and all(f"│ {c['name']} " in shown.output for c in touched)
    assert " 0% " not in shown.output
    assert untouched == 0 and "no agent-assisted commit" not in shown.output


def test_the_share_table_lists_the_components_agents_touched_and_counts_the_rest(tmp_path):
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"core/a.py": "A = 1\n", "web/b.py": "B = 1\n", "cli/c.py": "C = 1\n"}, message="start",
                author=("Ada Lovelace", "ada@example.com"), date="2024-05-01T12:00:00+00:00")
    repo.commit({"core/a.py": "A = 2\n"}, message="tune a\n\nCo-authored-by: Claude <noreply@anthropic.com>",
                author=("Ada Lovelace", "ada@example.com"), date="2024-05-02T12:00:00+00:00")
    store = tmp_path / "store"
    ingest_into_store(open_store(str(store)), repo.root)
    shown = CliRunner().invoke(app, ["agents", "--store", str(store)])
    assert shown.exit_code == 0, shown.output
    assert "│ core " in shown.output and "│ web " not in shown.output and "│ cli " not in shown.output
    assert "other 2 components: no agent-assisted commit in the last" in " ".join(shown.output.split())


def test_message_markers():
    matcher = MarkerMatcher.build()
    assert matcher.agents_in("fix\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)") == [("Claude", "noreply@anthropic.com")]
    assert matcher.agents_in("Coded with Claude") == [("Claude", "noreply@anthropic.com")]
    assert matcher.agents_in("see https://chatgpt.com/codex/tasks/task_e_123")[0][0] == "Codex"
    assert matcher.agents_in("Devin run: https://app.devin.ai/sessions/abc")[0][1].endswith("devin-ai-integration[bot]@users.noreply.github.com")
    assert matcher.agents_in("an ordinary commit about claudette and cursors") == []
    # oh-my-opencode's Sisyphus (bat's 844bfded: "Ultraworked with [Sisyphus](https://github.com/…/oh-my-opencode)")
    assert matcher.agents_in("Fix x\n\nUltraworked with [Sisyphus](https://github.com/x/oh-my-opencode)")[0][0] == "Sisyphus"
    assert matcher.agents_in("Like Sisyphus, we push the boulder") == []
    # flux2's "Assisted-by: AGENT/MODEL" trailers (its AGENTS.md asks for them instead of Co-authored-by)
    assisted = {"claude/opus-4.7": "Claude", "claude-code/claude-opus-4-6": "Claude", "Codex/gpt-5": "Codex",
                "GitHub Copilot/Claude Opus 4.7": "Copilot", "Claude Opus 4.8 <noreply@anthropic.com>": "Claude"}
    for trailer, agent in assisted.items():
        assert [name for name, _ in matcher.agents_in(f"Fix x\n\nWhy.\n\nAssisted-by: {trailer}\nSigned-off-by: A <a@b>")] == [agent]
    assert matcher.agents_in("Fix x\n\nThe Assisted-by: claude line is discussed here") == []  # (a trailer starts a line)
    assert matcher.agents_in("Fix x\n\nAssisted-by: Jane Doe <jane@example.com>") == []  # (a person assisting)
    # the line that marks each agent, first, for the PR check's evidence; a long one cut
    assert matcher.marks_in("Fix x\n\nCoded with Claude.\nAssisted-by: Cursor (Claude Opus 5)  \nAssisted-by: claude") == [
        (("Claude", "noreply@anthropic.com"), "Coded with Claude."),
        (("Cursor Agent", "cursoragent@cursor.com"), "Assisted-by: Cursor (Claude Opus 5)")]
    ((_, long_line),) = matcher.marks_in("x\n\nThis is entirely written by Codex" + " and more" * 40)
    assert long_line.startswith("This is entirely written by Codex and more") and len(long_line) == 160 and long_line[-1] == "…"
    from cairn.graph.changes import AgentMarker

    custom = MarkerMatcher.build([AgentMarker(text="Written by Robo", agent="Robo <robo@example.com>")])
    assert custom.agents_in("feat\n\nwritten BY robo") == [("Robo", "robo@example.com")]
    assert "Robo <robo@example.com>" in custom.identity_patterns


def test_periods():
    t = period_start("2024-Q2")
    assert period_of(t, "quarter") == "2024-Q2" and period_of(t, "month") == "2024-04" and period_of(t, "year") == "2024"
    assert period_of(period_end("2024-Q4") - 1, "quarter") == "2024-Q4" and period_of(period_end("2024-Q4"), "quarter") == "2025-Q1"
    assert period_end("2024-12") == period_start("2025-01") == period_start("2025")


def test_a_human_split_over_two_identities_is_told_apart_beside_an_agent(tmp_path):
    """ibc-go: "srdtrk, Gjermund Garaba, srdtrk" — one person committing from two e-mails under a one-word name is two
    Person nodes (one-word names never merge on their own), and both shepherded Copilot: named apart, not twice alike."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    copilot = ["Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>"]
    repo.commit({"a/x.py": "X = 1\n"}, author=("mkoval", "mk@a.example"), trailers=copilot)
    repo.commit({"a/y.py": "Y = 1\n"}, author=("mkoval", "mk@b.example"), trailers=copilot)
    repo.commit({"a/z.py": "Z = 1\n"}, author=("Gjermund Garaba", "gjermund@garaba.net"), trailers=copilot)
    graph = ingest_repository(repo.root).graph
    # the split stays (said in people), its second identity told apart by its address
    assert sorted(p.get("name") for p in graph.of_label(Label.PERSON) if p.get("name").startswith("mkoval")) == [
        "mkoval", "mkoval (mk@b.example)"]
    (row,) = agents(graph)["agents"]
    assert row["name"] == "Copilot" and sorted(row["humans"]) == ["Gjermund Garaba", "mkoval", "mkoval (mk@b.example)"]

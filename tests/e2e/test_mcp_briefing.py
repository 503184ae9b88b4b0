"""The agent tools on a 1,000-file repository: every default answer fits in 8 KB; who_knows and briefing say the right things.

Through the official MCP client over stdio (``cairn mcp``), and the same
service over HTTP (``/repositories/{name}/who-knows`` and ``/briefing``).
"""

from __future__ import annotations

import json

import httpx
import pytest

from cairn.api.bootstrap import open_store
from cairn.api.mcp.shape import drop_nulls
from cairn.graph.model import Label, Rel
from fixtures.explore import LiveServer
from fixtures.large_repo import COMPONENTS, MODULES_PER_COMPONENT, ingest_large_repo, module_text
from fixtures.mcp_client import McpSession

SMALL = 8 * 1024
BILLING_FILE = "src/big/billing/m00.py"
LEDGER_FILE = "src/big/ledger/m00.py"
BILLING_DIFF = ("diff --git a/src/big/billing/m02.py b/src/big/billing/m02.py\n--- a/src/big/billing/m02.py\n"
                "+++ b/src/big/billing/m02.py\n@@ -1,1 +1,2 @@\n \"\"\"billing module 2.\"\"\"\n+import big.gateway.m00\n")
BILLING_AFTER = {"src/big/billing/m02.py": module_text("billing", 2).replace('"""billing module 2."""\n',
                                                                              '"""billing module 2."""\nimport big.gateway.m00\n', 1)}

#: One default call per tool, about one component (billing) where the tool takes one. A new tool needs a line here.
DEFAULT_CALLS = {
    "list_repositories": {},
    "list_components": {},
    "component_card": {"component": "billing"},
    "bus_factor": {"component": "billing"},
    "decisions": {"component": "billing"},
    "rules": {"component": "billing"},
    "check_rules": {},
    "pr_check_diff": {"diff": BILLING_DIFF, "files": BILLING_AFTER, "author": "Claude <noreply@anthropic.com>"},
    "dependency_path": {"source": "billing", "target": "core"},
    "search": {"query": "billing"},
    "reading_list": {"component": "billing"},
    "who_knows": {"paths": ["src/big/billing"]},
    "briefing": {"component": "billing"},
    "people": {},
    "change_coupling": {"component": "billing"},
    "hotspots": {"component": "billing"},
    "agent_inventory": {"component": "billing"},
    "trends": {"component": "billing"},
    "cypher": {"query": "MATCH (m:Module {component: 'billing'}) RETURN m"},  # Neo4j only: measured in test_cypher_neo4j
}
#: Tools that need a Neo4j store: on this embedded store their default call is a one-line tool error.
NEO4J_ONLY = {"cypher"}


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    store_dir, root = ingest_large_repo(tmp_path_factory.mktemp("big"))
    store = open_store(str(store_dir))
    graph = store.load("big")
    assert len(graph.of_label(Label.FILE)) == len(COMPONENTS) * (MODULES_PER_COMPONENT + 1) + 1
    # billing/m00.py and ledger/m00.py changed together in six commits. When this ingest does not compute change
    # coupling, record the pair as it would (code-maat: six shared of six revisions each) so the briefing can be read.
    billing, ledger = graph.node(Label.FILE, BILLING_FILE), graph.node(Label.FILE, LEDGER_FILE)
    if not any(e.type is Rel.CO_CHANGES for e in graph.edges.values()):
        graph.add_edge(Rel.CO_CHANGES, billing, ledger, degree=100.0, shared=6, revs_a=6, revs_b=6, imports=False)
        graph.add_edge(Rel.CO_CHANGES, graph.node(Label.COMPONENT, "billing"), graph.node(Label.COMPONENT, "ledger"),
                       degree=100.0, shared=6, revs_a=6, revs_b=6, imports=False)
        store.save(graph)
    store.close()
    session = McpSession("--store", str(store_dir))
    yield {"store": store_dir, "root": root, "mcp": session}
    session.close()


def test_every_default_answer_for_one_component_fits_in_8_kb(big):
    mcp = big["mcp"]
    tools = mcp.tools()
    assert set(tools) <= set(DEFAULT_CALLS), f"add a default call for {set(tools) - set(DEFAULT_CALLS)}"
    sizes = {name: len(mcp.text(name, **args).encode()) for name, args in DEFAULT_CALLS.items() if name not in NEO4J_ONLY}
    assert all(size < SMALL for size in sizes.values()), sizes
    for name in NEO4J_ONLY:
        assert "Neo4j" in mcp.error(name, **DEFAULT_CALLS[name])
    # and the repository-wide defaults too, and a directory's drill-down
    for name, args in (("bus_factor", {}), ("decisions", {}), ("briefing", {"paths": ["."]}), ("who_knows", {"paths": ["."]}),
                       ("reading_list", {}), ("rules", {}), ("bus_factor", {"path": "src/big"})):
        assert len(mcp.text(name, **args).encode()) < SMALL, name


def test_more_is_there_when_asked_for(big):
    mcp = big["mcp"]
    small = mcp.json("component_card", component="billing")
    assert small["omitted"]["modules"] == MODULES_PER_COMPONENT + 1 - 5
    large = mcp.json("component_card", component="billing", limit=100)
    assert len(large["modules"]) == MODULES_PER_COMPONENT + 1 and "omitted" not in large
    first = mcp.json("bus_factor")
    assert len(first["components"]) == 5 and first["components_total"] == len(COMPONENTS)
    seen = [c["name"] for c in first["components"]]
    cursor = first["next_cursor"]
    while cursor:
        page = mcp.json("bus_factor", cursor=cursor)
        seen += [c["name"] for c in page["components"]]
        cursor = page.get("next_cursor")
    assert sorted(seen) == sorted(COMPONENTS)


def test_check_and_pr_check_name_file_and_line(big):
    mcp = big["mcp"]
    check = mcp.json("check_rules")
    assert check["verdict"] == "block"
    assert [f["where"] for f in check["findings"]] == ["src/big/core/m49.py:10"]
    pr = mcp.json("pr_check_diff", **DEFAULT_CALLS["pr_check_diff"])
    assert pr["verdict"] == "block"
    rule = next(f for f in pr["findings"] if f["rule"] == "billing-no-gateway")
    assert rule["where"] == "src/big/billing/m02.py:2" and rule["decision"] == "docs/adr/0002-money-in-cents.md"
    assert pr["touched_components"][0]["name"] == "billing" and pr["suggested_reviewers"]


def test_who_knows_names_holders_owners_and_components(big):
    answer = big["mcp"].json("who_knows", paths=["src/big/billing", "src/big/search/m01.py", "src/big/billing/new.py"])
    billing, search, new = answer["paths"]
    assert billing["kind"] == "directory" and billing["files"] == MODULES_PER_COMPONENT + 1
    assert billing["components"] == [{"name": "billing", "files": MODULES_PER_COMPONENT + 1}]
    grace, alan = billing["holders"][:2]
    assert (grace["person"], grace["authored"], grace["share"], grace["active"]) == ("Grace Hopper", 51, 1.0, True)
    assert (alan["person"], alan["touched"]) == ("Alan Turing", 10)
    assert billing["codeowners"][0]["owner"] == "@grace"
    assert billing["ask"][0]["person"] == "Grace Hopper" and "declared owner" in billing["ask"][0]["why"]
    linus = search["holders"][0]
    assert (linus["person"], linus["active"], linus["gone"]) == ("Linus Torvalds", False, "inactive")
    assert [a["person"] for a in search["ask"]] == ["@acme/platform"]  # nobody active knows it: the declared owner
    assert new["kind"] == "untracked" and new["nearest"] == "src/big/billing"
    assert new["components"][0]["name"] == "billing" and new["codeowners"][0]["owner"] == "@grace"


def test_briefing_before_changing_a_billing_file(big):
    brief = big["mcp"].json("briefing", paths=[BILLING_FILE])
    assert [c["name"] for c in brief["components"]] == ["billing"]
    assert brief["components"][0]["at_risk"] is True
    rule = brief["rules"][0]
    assert rule["id"] == "billing-no-gateway"
    assert rule["decision"] == {"path": "docs/adr/0002-money-in-cents.md", "title": "Money in integer cents", "status": "accepted"}
    titles = [(d["title"], d["in_force"]) for d in brief["decisions"]]
    assert titles == [("Money in integer cents", True), ("Money as floats", False)]
    assert brief["ask"][0]["person"] == "Grace Hopper"
    partner = brief["changes_with"]["files"][0]
    assert (partner["file"], partner["partner"], partner["partner_component"]) == (BILLING_FILE, LEDGER_FILE, "ledger")
    assert partner["degree"] >= 30 and partner["shared"] == 6 and partner["imports"] is False
    assert brief["changes_with"]["components"][0]["partner"] == "ledger"
    assert "Claude" in json.dumps(brief["agent_activity"])
    quoted = {i["path"]: i for i in brief["instructions"]}
    assert list(quoted) == ["AGENTS.md", "CLAUDE.md", "src/big/billing/AGENTS.md"]
    assert "Run `make test` before every commit" in quoted["AGENTS.md"]["text"]
    assert "Money is integer cents" in quoted["src/big/billing/AGENTS.md"]["text"]
    assert quoted["CLAUDE.md"]["references"] == ["AGENTS.md"]
    assert "repository-supplied" in brief["instructions_source"]


def test_briefing_for_a_component_somebody_left(big):
    brief = big["mcp"].json("briefing", component="search")
    assert brief["ask"] == [{"person": "@acme/platform", "why": "declared owner in CODEOWNERS"}]
    assert [i["path"] for i in brief["instructions"]] == ["AGENTS.md", "CLAUDE.md"]  # not billing's
    assert brief["changes_with"] == {"files": [], "components": []}
    core = big["mcp"].json("briefing", component="core")
    assert [r["id"] for r in core["rules"]] == ["core-stays-independent"]
    assert core["decisions"][0]["title"] == "Keep the core independent of the edges"


def test_the_http_api_serves_the_same_answers(big):
    with LiveServer(big["store"]) as server:
        base = f"{server.url}/api/v1/repositories/big"
        who = httpx.get(f"{base}/who-knows", params={"path": "src/big/billing"}).json()
        assert who["paths"][0]["holders"][0]["person"] == "Grace Hopper"
        brief = httpx.get(f"{base}/briefing", params={"path": BILLING_FILE}).json()
        assert drop_nulls(brief) == big["mcp"].json("briefing", paths=[BILLING_FILE])  # MCP leaves out null fields
        card = httpx.get(f"{server.url}/api/v1/components/billing").json()
        assert [i["path"] for i in card["agent_instructions"]] == ["AGENTS.md", "CLAUDE.md", "src/big/billing/AGENTS.md"]
        missing = httpx.get(f"{base}/briefing")
        assert missing.status_code == 422 and "either paths" in missing.json()["detail"]
        too_many = httpx.get(f"{base}/who-knows", params={"path": [f"f{i}" for i in range(21)]})
        assert too_many.status_code == 422

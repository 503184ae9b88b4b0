"""``cairn mcp``: the agent tools on the small ``shop`` repository, through the official MCP client over stdio."""

from __future__ import annotations

import json
import subprocess

import pytest

from fixtures.explore import ingest_shop
from fixtures.mcp_client import CAIRN, McpSession


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store_dir, _ = ingest_shop(tmp_path_factory.mktemp("mcp"))
    session = McpSession("--store", str(store_dir))
    yield session
    session.close()


def test_tools_are_listed_with_descriptions_for_an_agent(client):
    assert "briefing(paths=" in client.instructions and "component_card" in client.instructions
    tools = client.tools()
    assert {"list_repositories", "list_components", "component_card", "bus_factor", "decisions", "rules", "check_rules",
            "pr_check_diff", "dependency_path", "search", "reading_list", "who_knows", "briefing", "people", "cypher"} <= set(tools)
    card = tools["component_card"]
    assert card.input_schema["required"] == ["component"]
    assert "before you change it" in card.description and "\n" not in card.description
    assert tools["briefing"].description.startswith("Call this before changing files")
    for tool in tools.values():
        assert tool.annotations.read_only_hint is True
        if "limit" in tool.input_schema["properties"]:
            assert "omitted" in tool.input_schema["properties"]["limit"]["description"]


def test_read_tools_answer_compactly(client):
    components = client.json("list_components")
    core = next(c for c in components["components"] if c["name"] == "core")
    assert core["at_risk"] is True and core["used_by"] == ["api", "billing", "reports"]
    assert "system" not in core  # null fields are left out
    # what each is for, as its card says (inferred or declared without one, the list had none to give)
    assert core["description"] == "The domain model: orders, customers and prices."
    assert next(c for c in components["components"] if c["name"] == "reports")["description"] == \
        "Monthly sales reports for the finance team, built from the core's orders."
    text = client.text("component_card", component="billing")
    assert "\n  " not in text  # compact JSON, not indented
    card = json.loads(text)
    assert card["decisions"][0]["title"] == "Invoices live in billing"
    assert card["owners"][0]["owner"] == "@grace"
    path = client.json("dependency_path", source="api", target="core")
    assert path["path"] == ["api", "core"]
    hits = client.json("search", query="invoice")
    assert any(h["name"] == "shop.billing.invoices" for h in hits["results"])
    reading = client.json("reading_list", component="billing")
    assert reading["items"][0]["kind"] == "decision"
    # cut short, the list still holds each kind, in order (cut to its first items it was decisions only)
    whole = client.json("reading_list", limit=100)["items"]
    short = client.json("reading_list", limit=3)
    assert [i["kind"] for i in short["items"]] == ["decision", "module", "person"]
    assert short["items"] == [next(i for i in whole if i["kind"] == kind) for kind in ("decision", "module", "person")]
    assert short["omitted"] == {"items": len(whole) - 3} and short["more"]
    assert len(client.json("decisions")["decisions"]) == 3
    assert [d["title"] for d in client.json("decisions", status="superseded")["decisions"]] == ["Invoices live in the api"]


def test_lists_are_cut_to_limit_and_page_with_a_cursor(client):
    first = client.json("list_components", limit=3)
    assert len(first["components"]) == 3 and first["total"] == 4 and first["next_cursor"] == "3"
    rest = client.json("list_components", limit=3, cursor=first["next_cursor"])
    assert [c["name"] for c in rest["components"]] == ["reports"] and "next_cursor" not in rest
    card = client.json("component_card", component="core", limit=1)
    assert len(card["modules"]) == 1 and card["omitted"]["modules"] == 2 and "limit" in card["more"]
    assert "cursor 'x' is not one this tool gave out" in client.error("list_components", cursor="x")
    assert client.call("list_components", limit=0).is_error


def test_governance_tools(client):
    rules = client.json("rules", component="core")
    assert [r["id"] for r in rules["rules"]] == ["layers"]
    assert "transitive" not in rules["rules"][0]  # defaults say nothing
    assert client.json("rules", component="reports")["rules"] == []
    assert client.json("check_rules")["verdict"] == "pass"
    everyone = client.json("bus_factor")
    without_ada = client.json("bus_factor", leaving=["Ada Lovelace"])
    assert without_ada["repository"]["truck_factor"] < everyone["repository"]["truck_factor"]
    impact = without_ada["impact"]
    assert impact["repository"]["truck_factor_before"] == everyone["repository"]["truck_factor"]
    assert impact["repository"]["truck_factor"] == without_ada["repository"]["truck_factor"] and "impact" not in everyone
    assert "people" not in everyone
    people = client.json("bus_factor", people=True, limit=2)
    assert len(people["people"]) == 2 and people["people_total"] >= 4 and "aliases" not in people["people"][0]
    one = client.json("bus_factor", component="core")
    assert one["component"]["name"] == "core" and one["component"]["holders"][0]["person"] == "Ada Lovelace"
    # whom to ask now: said only of a component whose authors left (nobody else changed core's files)
    assert "ask_first" not in one["component"]
    assert client.json("bus_factor", component="core", leaving=["Ada Lovelace"])["component"]["ask_first"] == []


DIFF = ("diff --git a/src/shop/core/models.py b/src/shop/core/models.py\n"
        "--- a/src/shop/core/models.py\n+++ b/src/shop/core/models.py\n"
        "@@ -1,2 +1,3 @@\n+import shop.api.routes\n class Order:\n     total = 0\n")
AFTER = {"src/shop/core/models.py": "import shop.api.routes\nclass Order:\n    total = 0\n\n\nclass Customer:\n    pass\n"}


def test_pr_check_on_a_diff_is_compact_and_full_on_request(client):
    report = client.json("pr_check_diff", diff=DIFF, files=AFTER, author="Claude <noreply@anthropic.com>")
    assert report["verdict"] == "block" and report["agent_detected"] is True and report["rationale_present"] is False
    layers = next(f for f in report["findings"] if f["rule"] == "layers")
    assert layers["where"] == "src/shop/core/models.py:1" and layers["severity"] == "block"
    assert report["counts"]["block"] >= 1 and "changed_files" not in report
    full = client.json("pr_check_diff", diff=DIFF, files=AFTER, author="Claude <noreply@anthropic.com>", full=True)
    assert full["changed_files"] == [{"path": "src/shop/core/models.py", "status": "modified"}]
    assert len(full["findings"]) == report["findings_total"]


def test_pr_check_names_the_packages_a_change_adds_to_the_repository(client):
    diff = ("diff --git a/src/shop/core/models.py b/src/shop/core/models.py\n"
            "--- a/src/shop/core/models.py\n+++ b/src/shop/core/models.py\n"
            "@@ -1,2 +1,4 @@\n+import httpx\n+import json\n class Order:\n     total = 0\n")
    after = {"src/shop/core/models.py": "import httpx\nimport json\nclass Order:\n    total = 0\n\n\nclass Customer:\n    pass\n"}
    report = client.json("pr_check_diff", diff=diff, files=after, author="Ada Lovelace <ada@example.com>")
    assert report["new_packages"] == ["httpx"] and report["new_imports"] == 2  # json: the standard library
    assert "new_packages" not in client.json("pr_check_diff", diff=DIFF, files=AFTER)


def test_mistakes_are_tool_errors_with_a_message(client):
    assert "did you mean 'core'" in client.error("component_card", component="cor")
    assert "diff" in client.error("pr_check_diff", diff="not a diff", files={})
    assert "not in the store" in client.error("list_components", repository="elsewhere")
    assert client.call("component_card").is_error
    assert "either paths" in client.error("briefing")
    try:
        unknown = client.call("drop_database")
    except Exception as exc:  # the client may raise the protocol error instead
        assert "drop_database" in str(exc)
    else:
        assert unknown.is_error


def test_an_empty_store_says_what_to_do(tmp_path):
    session = McpSession("--store", str(tmp_path / "empty"))
    try:
        assert "cairn ingest" in session.error("list_components")
    finally:
        session.close()


def test_stdout_carries_nothing_but_protocol(tmp_path):
    proc = subprocess.Popen([str(CAIRN), "mcp", "--store", str(tmp_path / "empty")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    request = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    proc.stdin.write(json.dumps(request) + "\n")
    proc.stdin.flush()
    answer = json.loads(proc.stdout.readline())
    assert answer["id"] == 1 and "tools" in answer["result"]["capabilities"]
    proc.stdin.close()
    assert proc.wait(timeout=20) == 0
    assert proc.stdout.read() == ""


def test_an_agent_is_told_why_documentation_has_no_truck_factor(tmp_path):
    """Null fields are left out of the answers: without a word, a component with no truck factor read as one with no
    risk at all."""
    from fixtures.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit({"alpha/__init__.py": "", "alpha/one.py": "X = 1\n", "docs/examples/demo.py": "import alpha.one\n"},
                message="code and its documentation")
    store = tmp_path / "store"
    assert subprocess.run([str(CAIRN), "ingest", str(repo.root), "--store", str(store)], capture_output=True).returncode == 0
    session = McpSession("--store", str(store))
    try:
        listed = {c["name"]: c for c in session.json("list_components")["components"]}
        assert "truck_factor" not in listed["docs"] and listed["docs"]["truck_factor_note"].startswith("no truck factor: none of")
        assert listed["alpha"]["truck_factor"] == 1 and "truck_factor_note" not in listed["alpha"]
        card = session.json("component_card", component="docs")
        assert card["bus_factor"]["truck_factor_note"] == listed["docs"]["truck_factor_note"]
        briefing = session.json("briefing", paths=["docs/examples/demo.py"])
        assert briefing["components"][0]["truck_factor_note"] == listed["docs"]["truck_factor_note"]
    finally:
        session.close()


def test_a_component_says_the_crate_it_is_and_the_folder_it_is_nested_in(tmp_path):
    from cairn.api.bootstrap import open_store
    from cairn.api.services.ingesting import ingest_into_store
    from fixtures.maps import build_workspace

    build_workspace(tmp_path / "relay")
    ingest_into_store(open_store(str(tmp_path / "store")), tmp_path / "relay")
    session = McpSession("--store", str(tmp_path / "store"))
    try:
        rows = {c["name"]: c for c in session.json("list_components")["components"]}
    finally:
        session.close()
    assert (rows["test-framework"]["package"], rows["test-framework"]["parent"]) == ("ibc-test-framework", "tools")
    assert "package" not in rows["tools"] and "parent" not in rows["tools"]  # (null fields are left out)


def test_pr_check_names_no_package_only_a_build_configuration_imports(client):
    """nox's ``noxfile.py`` importing ``nox`` says how the project is tested, not what its code needs
    (``graph.buildconfig``): no new package of the repository."""
    diff = ("diff --git a/noxfile.py b/noxfile.py\nnew file mode 100644\n--- /dev/null\n+++ b/noxfile.py\n"
            "@@ -0,0 +1,2 @@\n+import nox\n+import httpx\n")
    report = client.json("pr_check_diff", diff=diff, files={"noxfile.py": "import nox\nimport httpx\n"},
                         author="Ada Lovelace <ada@example.com>")
    assert report["new_imports"] == 2 and "new_packages" not in report

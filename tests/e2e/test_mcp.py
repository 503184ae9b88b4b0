"""``cairn mcp``: the agent tools, spoken to as a real subprocess over stdio JSON-RPC (MCP)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.explore import ingest_shop

CAIRN = Path(sys.executable).parent / "cairn"


class McpClient:
    def __init__(self, *args: str):
        self.proc = subprocess.Popen([str(CAIRN), "mcp", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self._id = 0

    def notify(self, method: str, params: dict | None = None) -> None:
        self._write({"jsonrpc": "2.0", "method": method, **({"params": params} if params else {})})

    def request(self, method: str, params: dict | None = None) -> dict:
        self._id += 1
        self._write({"jsonrpc": "2.0", "id": self._id, "method": method, **({"params": params} if params is not None else {})})
        while True:
            line = self.proc.stdout.readline()
            assert line, f"the server closed stdout; stderr: {self.proc.stderr.read()}"
            message = json.loads(line)  # stdout carries nothing but protocol messages
            if message.get("id") == self._id:
                return message

    def call(self, tool: str, **arguments) -> dict:
        return self.request("tools/call", {"name": tool, "arguments": arguments})["result"]

    def _write(self, message: dict) -> None:
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def close(self) -> int:
        self.proc.stdin.close()
        return self.proc.wait(timeout=10)


def _payload(result: dict):
    assert not result.get("isError"), result
    if "structuredContent" in result:
        return result["structuredContent"]
    return json.loads(result["content"][0]["text"])


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store_dir, _ = ingest_shop(tmp_path_factory.mktemp("mcp"))
    c = McpClient("--store", str(store_dir))
    init = c.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                    "clientInfo": {"name": "cairn-tests", "version": "1"}})
    assert "tools" in init["result"]["capabilities"]
    assert "component card" in init["result"]["instructions"]
    c.notify("notifications/initialized")
    yield c
    assert c.close() == 0


def test_tools_are_listed_with_schemas(client):
    tools = {t["name"]: t for t in client.request("tools/list", {})["result"]["tools"]}
    assert {"list_components", "component_card", "bus_factor", "decisions", "rules", "check_rules", "pr_check_diff",
            "dependency_path", "search", "reading_list"} <= set(tools)
    card = tools["component_card"]
    assert card["inputSchema"]["required"] == ["component"]
    assert "before changing a component" in card["description"]
    assert "\n" not in card["description"]


def test_read_tools_answer_like_the_api(client):
    components = _payload(client.call("list_components"))
    core = next(c for c in components["components"] if c["name"] == "core")
    assert core["at_risk"] is True and core["used_by"] == ["api", "billing", "reports"]
    card = _payload(client.call("component_card", component="billing"))
    assert card["decisions"][0]["title"] == "Invoices live in billing"
    path = _payload(client.call("dependency_path", source="api", target="core"))
    assert path["path"] == ["api", "core"]
    hits = _payload(client.call("search", query="invoice"))
    assert any(h["name"] == "shop.billing.invoices" for h in hits["results"])
    reading = _payload(client.call("reading_list", component="billing"))
    assert reading["items"][0]["kind"] == "decision"
    decisions = _payload(client.call("decisions"))
    assert len(decisions["decisions"]) == 3


def test_governance_tools(client):
    rules = _payload(client.call("rules", component="core"))
    assert [r["id"] for r in rules["rules"]] == ["layers"]
    assert _payload(client.call("rules", component="reports"))["rules"] == []
    check = _payload(client.call("check_rules"))
    assert check["verdict"] == "pass"
    everyone = _payload(client.call("bus_factor"))
    without_ada = _payload(client.call("bus_factor", leaving=["Ada Lovelace"]))
    assert without_ada["repository"]["truck_factor"] < everyone["repository"]["truck_factor"]


def test_pr_check_on_a_diff(client):
    diff = ("diff --git a/src/shop/core/models.py b/src/shop/core/models.py\n"
            "--- a/src/shop/core/models.py\n+++ b/src/shop/core/models.py\n"
            "@@ -1,2 +1,3 @@\n+import shop.api.routes\n class Order:\n     total = 0\n")
    after = "import shop.api.routes\nclass Order:\n    total = 0\n\n\nclass Customer:\n    pass\n"
    report = _payload(client.call("pr_check_diff", diff=diff, files={"src/shop/core/models.py": after},
                                  author="Claude <noreply@anthropic.com>"))
    assert report["verdict"] == "block"
    assert any(f["rule"] == "layers" for f in report["findings"])


def test_mistakes_are_tool_errors_with_a_message(client):
    unknown = client.call("component_card", component="cor")
    assert unknown["isError"] is True and "did you mean 'core'" in unknown["content"][0]["text"]
    bad_diff = client.call("pr_check_diff", diff="not a diff", files={})
    assert bad_diff["isError"] is True and "diff" in bad_diff["content"][0]["text"]
    other_repo = client.call("list_components", repository="elsewhere")
    assert other_repo["isError"] is True and "not in the store" in other_repo["content"][0]["text"]
    missing_argument = client.call("component_card")
    assert missing_argument["isError"] is True
    unknown_tool = client.request("tools/call", {"name": "drop_database", "arguments": {}})
    assert "error" in unknown_tool or unknown_tool["result"]["isError"] is True


def test_an_empty_store_says_what_to_do(tmp_path):
    c = McpClient("--store", str(tmp_path / "empty"))
    c.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}})
    c.notify("notifications/initialized")
    result = c.call("list_components")
    assert result["isError"] is True and "cairn ingest" in result["content"][0]["text"]
    assert c.close() == 0

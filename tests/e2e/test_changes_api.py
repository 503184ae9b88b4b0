"""Coupling, hotspots, agents and trends over HTTP (a real uvicorn server) and as MCP tools (a real `cairn mcp`)."""

from __future__ import annotations

import httpx
import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from fixtures.changes import build_agents, build_coupled
from fixtures.explore import LiveServer
from fixtures.mcp_client import McpSession

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    base = tmp_path_factory.mktemp("changes-api")
    build_coupled(base / "coupled")
    build_agents(base / "agents")
    st = open_store(str(base / "store"))
    ingest_into_store(st, base / "coupled")
    ingest_into_store(st, base / "agents")
    return base / "store"


@pytest.fixture(scope="module")
def server(store):
    with LiveServer(store) as live:
        yield live


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url + "/api/v1", timeout=60) as c:
        yield c


def problem(response: httpx.Response, status: int, fragment: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert fragment in response.json()["detail"]


def test_coupling_endpoint(client):
    data = client.get("/repositories/coupled/coupling").json()
    pairs = {(p["a"], p["b"]): p for p in data["pairs"]}
    assert pairs[("a/x.py", "b/y2.py")]["degree"] == 85.7 and pairs[("a/x.py", "b/y2.py")]["imports"] is False
    assert data["components"][0]["a"] == "a" and data["thresholds"]["max_changeset"] == 30
    only = client.get("/repositories/coupled/coupling", params={"path": "pkg/m.py"}).json()
    assert [(p["a"], p["b"]) for p in only["pairs"]] == [("pkg/m.py", "pkg/n.py")]
    problem(client.get("/repositories/coupled/coupling", params={"min_degree": 10}), 422, "below the 30")
    problem(client.get("/repositories/coupled/coupling", params={"component": "nope"}), 404, "no component named")
    problem(client.get("/repositories/coupled/coupling", params={"min_degree": 1000}), 422, "min_degree")
    problem(client.get("/repositories/nope/coupling"), 404, "not in the store")


def test_hotspots_endpoint(client):
    rows = client.get("/repositories/coupled/hotspots", params={"limit": 3}).json()["hotspots"]
    assert len(rows) == 3 and rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"]
    assert set(rows[0]) == {"path", "changes", "lines", "score", "component", "truck_factor", "top_holder",
                            "top_holder_active", "top_holder_gone", "top_holder_last_active"}
    problem(client.get("/repositories/coupled/hotspots", params={"since": "soon"}), 422, "not a date")


def test_agents_endpoint(client):
    data = client.get("/repositories/agents/agents").json()
    claude = next(a for a in data["agents"] if a["name"] == "Claude")
    assert claude["commits"] == 3 and claude["humans"] == ["Ada Lovelace"]
    assert {c["name"]: c["agent_share"] for c in data["components"]} == {"a": 0.6667, "b": 0.4}


def test_trends_endpoint(client):
    data = client.get("/repositories/agents/trends").json()
    assert [(p["period"], p["agent_share"], p["new_couplings"]) for p in data["periods"]] == [
        ("2024-Q1", 0.0, None), ("2024-Q2", 0.8, 1), ("2024-Q3", 0.0, 1)]
    year = client.get("/repositories/agents/trends", params={"period": "year"}).json()
    assert year["period"] == "year" and year["periods"][0]["commits"] == 10
    problem(client.get("/repositories/agents/trends", params={"period": "month"}), 422, "re-ingest")
    problem(client.get("/repositories/agents/trends", params={"period": "week"}), 422, "period")


def test_openapi_documents_the_four_endpoints(server):
    spec = httpx.get(server.url + "/openapi.json", timeout=60).json()
    for what in ("coupling", "hotspots", "agents", "trends"):
        path = f"/api/v1/repositories/{{name}}/{what}"
        operation = spec["paths"][path]["get"]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("Report")
        assert "422" in operation["responses"]
    assert "imports" in spec["components"]["schemas"]["FilePair"]["properties"]


def test_mcp_tools(store):
    mcp = McpSession("--store", str(store))
    try:
        assert {"change_coupling", "hotspots", "agent_inventory", "trends"} <= set(mcp.tools())
        pairs = mcp.json("change_coupling", path="a/x.py", repository="coupled")["pairs"]
        assert [(p["a"], p["b"], p["degree"]) for p in pairs] == [("a/x.py", "b/y2.py", 85.7)]
        assert mcp.json("hotspots", limit=1, repository="coupled")["hotspots"][0]["score"] > 0
        assert mcp.json("agent_inventory", repository="agents")["assisted_commits"] == 4
        assert mcp.json("trends", period="year", repository="agents")["periods"][0]["period"] == "2024"
        latest = mcp.json("trends", limit=2, repository="agents")
        assert [p["period"] for p in latest["periods"]] == ["2024-Q2", "2024-Q3"] and latest["omitted"] == {"periods": 1}
        assert "re-ingest" in mcp.error("trends", period="month", repository="agents")
    finally:
        mcp.close()


def test_the_terminal_tables_keep_paths_whole_at_80_columns(store):
    """Coupling and hotspots cut paths short ("web/ui/man…" twice on a row at prometheus); now a pair's files stand one
    above the other, the second as ./NAME when it shares the first's directory, and nothing is cut."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    cairn = Path(sys.executable).parent / "cairn"
    env = {**os.environ, "COLUMNS": "80", "CAIRN_STORE": str(store)}
    coupling = subprocess.run([str(cairn), "coupling", "--repo", "coupled"], capture_output=True, text=True, env=env, check=True).stdout
    assert "…" not in coupling and all(len(line) <= 80 for line in coupling.splitlines())
    assert "│ pkg/m.py " in coupling and "│ ./n.py " in coupling and "./NAME: in the directory of the file above it" in coupling
    assert "│ a/x.py " in coupling and "│ b/y2.py " in coupling  # another directory: whole
    hotspots = subprocess.run([str(cairn), "hotspots", "--repo", "coupled"], capture_output=True, text=True, env=env, check=True).stdout
    assert "…" not in hotspots and all(len(line) <= 80 for line in hotspots.splitlines())
    # nine columns of numbers: their headers over two lines, the periods whole (they were cut to "2012-…")
    trends = subprocess.run([str(cairn), "trends", "--repo", "coupled"], capture_output=True, text=True, env=env, check=True).stdout
    assert "…" not in trends and all(len(line) <= 80 for line in trends.splitlines()) and "agents" in trends

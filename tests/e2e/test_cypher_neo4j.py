"""Clients' Cypher on a real Neo4j: only reads run, and every query ends within its limits.

Through a real server with a token, through ``cairn query`` and through the MCP
``cypher`` tool: LOAD CSV (files and URLs), SHOW, TERMINATE, writes and
procedures off the allow-list are refused with the clause named and change
nothing; an unbounded query stops at the row cap, the byte cap or the time
limit with a clear error while ``/health`` keeps answering; parameters beyond
64 bits are a 400 / exit 2; dates come back as ISO text and NaN as null.
"""

from __future__ import annotations

import http.server
import json
import threading
import uuid

import httpx
import pytest
from fixtures.cli import CliRunner

from cairn.api.bootstrap import open_store
from cairn.api.cli import app as cli
from cairn.api.services.ingesting import ingest_into_store
from cairn.graph.cypher_policy import CypherLimits
from fixtures.explore import LiveServer, build_shop
from test_api_security import OPEN_ROUTES, WEBHOOK, assert_problem, concrete, operations
from fixtures.mcp_client import McpSession

pytestmark = pytest.mark.neo4j

TOKEN = "neo4j-query-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LIMITS = CypherLimits(timeout_seconds=3, max_rows=1_000, max_bytes=200_000)
ENDLESS = "UNWIND range(1, 10000000000) AS x WITH x WHERE x < 0 RETURN count(*) AS c"


class _Listener(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        _Listener.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"a,b\n1,2\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def listener():
    """An HTTP server on loopback that a LOAD CSV would reach (SSRF): it must never be called."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def neo4j_shop(neo4j_uri, tmp_path_factory):
    name = f"shop-{uuid.uuid4().hex[:8]}"
    root = tmp_path_factory.mktemp("cypher") / "shop"
    build_shop(root)
    store = open_store(neo4j_uri)
    try:
        ingest_into_store(store, root, repo_name=name)
    finally:
        store.close()
    return name


@pytest.fixture(scope="module")
def server(neo4j_uri, neo4j_shop):
    with LiveServer(neo4j_uri, token=TOKEN, cypher_limits=LIMITS) as live:
        yield live


def refused_queries(listener: str) -> list[tuple[str, str]]:
    return [
        ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "LOAD CSV"),
        (f"LOAD CSV WITH HEADERS FROM '{listener}/internal.csv' AS row RETURN row", "LOAD CSV"),
        (f"MATCH (n:Component) WITH n LIMIT 1 LOAD CSV FROM '{listener}/x.csv' AS l RETURN l", "LOAD CSV"),
        ("SHOW SETTINGS YIELD name, value RETURN name, value", "SHOW"),
        ("SHOW TRANSACTIONS", "SHOW"),
        ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE"),
        ("CALL dbms.listConfig()", "dbms.listConfig"),
        ("CALL db.createLabel('Intruder')", "db.createLabel"),
        ("CALL db.createProperty('intruder')", "db.createProperty"),
        ("MATCH (c:Component) SET c.truck_factor = 99 RETURN c", "SET"),
        ("MATCH (n) DETACH DELETE n", "DETACH DELETE"),
        ("CREATE (n:Intruder) RETURN n", "CREATE"),
        ("MERGE (n:Intruder {x: 1}) RETURN n", "MERGE"),
        ("MATCH (n) CALL { CREATE (:Intruder) } RETURN count(n)", "CREATE"),
    ]


def graph_state(neo4j_uri: str) -> tuple:
    store = open_store(neo4j_uri)
    try:
        nodes = store.cypher("MATCH (n) RETURN count(n) AS n")[0]["n"]
        labels = sorted(r["label"] for r in store.cypher("CALL db.labels() YIELD label RETURN label"))
        return nodes, labels
    finally:
        store.close()


def test_every_route_but_health_needs_the_token_on_neo4j(server):
    for method, path in operations(server):
        if (method, path) in OPEN_ROUTES or (method, path) == WEBHOOK:
            continue
        response = httpx.request(method, server.url + concrete(path), json={} if method != "get" else None)
        assert_problem(response, 401)
    assert httpx.get(server.url + "/api/v1/health").json()["store"] == "neo4j"


def test_the_query_route_refuses_everything_but_reads(server, neo4j_uri, neo4j_shop, listener):
    before = graph_state(neo4j_uri)
    for query, clause in refused_queries(listener):
        response = httpx.post(server.url + "/api/v1/query", json={"cypher": query}, headers=AUTH)
        body = assert_problem(response, 400, clause)
        assert body["title"] == "Query refused", body
        assert "root:" not in response.text and "dbms.directories" not in response.text
    assert _Listener.hits == []
    assert graph_state(neo4j_uri) == before
    rows = httpx.post(server.url + "/api/v1/query", headers=AUTH, json={
        "cypher": "MATCH (c:Component) WHERE c._repo = $repo RETURN c.name AS name ORDER BY name",
        "params": {"repo": neo4j_shop}}).json()["rows"]  # (the server shares Neo4j with other tests' repositories)
    assert [r["name"] for r in rows] == ["api", "billing", "core", "reports"]


def test_cairn_query_refuses_the_same(neo4j_uri, listener):
    before = graph_state(neo4j_uri)
    runner = CliRunner()
    for query, clause in refused_queries(listener):
        result = runner.invoke(cli, ["query", query, "--store", neo4j_uri])
        assert result.exit_code == 2, (query, result.output)
        assert clause in result.output and "Traceback" not in result.output
    assert _Listener.hits == []
    assert graph_state(neo4j_uri) == before


def test_answers_stop_at_the_caps_and_queries_at_the_time_limit(server):
    url = server.url + "/api/v1/query"
    rows = assert_problem(httpx.post(url, headers=AUTH, json={"cypher": "UNWIND range(1, 100000000) AS x RETURN x"}), 400, "row cap")
    assert rows["title"] == "Query stopped" and "1,000 rows" in rows["detail"]
    big = "UNWIND range(1, 500) AS x RETURN x, reduce(s = '', i IN range(1, 1000) | s + 'x') AS filler"
    assert_problem(httpx.post(url, headers=AUTH, json={"cypher": big}), 400, "size cap", "200,000 bytes")
    slow = assert_problem(httpx.post(url, headers=AUTH, json={"cypher": ENDLESS}, timeout=120), 400, "time limit")
    assert "3 s" in slow["detail"]


def test_health_keeps_answering_while_endless_queries_run(server):
    answers: list[int] = []

    def endless() -> None:
        answers.append(httpx.post(server.url + "/api/v1/query", headers=AUTH, json={"cypher": ENDLESS}, timeout=120).status_code)

    # More than the server's thread pool (40) holds: a flood of long queries once made /health time out.
    workers = [threading.Thread(target=endless) for _ in range(45)]
    for w in workers:
        w.start()
    healthy = 0
    while any(w.is_alive() for w in workers):
        assert httpx.get(server.url + "/api/v1/health", timeout=30).json()["status"] == "ok"
        healthy += 1
    for w in workers:
        w.join()
    assert healthy >= 1
    assert set(answers) <= {400, 429} and len(answers) == 45  # stopped at the time limit, or turned away


def test_parameters_and_values_that_json_cannot_carry(server, neo4j_uri):
    url = server.url + "/api/v1/query"
    assert_problem(httpx.post(url, headers=AUTH, json={"cypher": "RETURN $n AS n", "params": {"n": 2**70}}), 400, "64-bit")
    values = httpx.post(url, headers=AUTH, json={"cypher": (
        "RETURN date('2026-01-02') AS d, datetime('2026-01-02T03:04:05Z') AS dt, duration('P1DT2H') AS du, "
        "localtime('10:11:12') AS t, 0.0 / 0.0 AS nan, 1.0 / 0.0 AS inf, point({x: 1, y: 2}) AS p")})
    assert values.status_code == 200, values.text
    row = values.json()["rows"][0]
    assert row["d"] == "2026-01-02" and row["dt"].startswith("2026-01-02T03:04:05") and row["du"] == "P1DT2H"
    assert row["t"].startswith("10:11:12") and row["nan"] is None and row["inf"] is None
    assert row["p"] == {"srid": 7203, "coordinates": [1.0, 2.0]}

    runner = CliRunner()
    big = runner.invoke(cli, ["query", "RETURN $n AS n", "--param", f"n={2**70}", "--store", neo4j_uri])
    assert big.exit_code == 2 and "64-bit" in big.output
    printed = runner.invoke(cli, ["query", "RETURN 0.0 / 0.0 AS nan, date('2026-01-02') AS d", "--format", "json", "--store", neo4j_uri])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout, parse_constant=lambda c: pytest.fail(f"bare {c} in JSON")) == [{"nan": None, "d": "2026-01-02"}]
    capped = runner.invoke(cli, ["query", "UNWIND range(1, 100) AS x RETURN x", "--cypher-max-rows", "10", "--store", neo4j_uri])
    assert capped.exit_code == 2 and "row cap" in capped.output


def test_the_mcp_cypher_tool_has_the_same_policy_and_limits(neo4j_uri, neo4j_shop):
    client = McpSession("--store", neo4j_uri, "--repo", neo4j_shop, "--cypher-max-rows", "5")
    try:
        assert "LOAD CSV" in client.error("cypher", query="LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l")
        assert "row cap" in client.error("cypher", query="UNWIND range(1, 100) AS x RETURN x")
        ok = client.json("cypher", query="MATCH (c:Component {_repo: $repo}) RETURN count(c) AS n", params={"repo": neo4j_shop})
        assert ok == {"rows": [{"n": 4}], "total": 1}
    finally:
        client.close()


def test_the_mcp_cypher_tool_answers_compactly_by_default(neo4j_uri, neo4j_shop):
    """The size test's default call for ``cypher`` (tests/e2e/test_mcp_briefing.py): under 8 KB, the rest counted."""
    client = McpSession("--store", neo4j_uri, "--repo", neo4j_shop)
    try:
        wide = "UNWIND range(1, 500) AS x RETURN x, $pad AS pad"
        text = client.text("cypher", query=wide, params={"pad": "p" * 300})
        answer = json.loads(text)
        assert len(text.encode()) < 8 * 1024
        assert len(answer["rows"]) == 20 and answer["total"] == 500 and answer["omitted"] == {"rows": 480}
        assert len(client.json("cypher", query=wide, params={"pad": ""}, limit=200)["rows"]) == 200
    finally:
        client.close()

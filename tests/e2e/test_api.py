"""The HTTP API through a real uvicorn server on 127.0.0.1, over a real ingested repository.

Every endpoint is called over HTTP (httpx), with good and bad requests; a
property-based run of the OpenAPI schema (schemathesis) checks that no request
gets a 5xx.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.changes import remote_slug
from cairn.api.services.ingesting import ingest_into_store
from fixtures.explore import ADA, CLAUDE, LiveServer, build_shop
from fixtures.gitrepo import GitRepo

TOKEN = "t0ken-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOOK_SECRET = "hook-secret"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    base = tmp_path_factory.mktemp("api")
    root = base / "shop"
    repo = build_shop(root)
    repo.git("remote", "add", "origin", "git@github.com:acme/shop.git")
    store_dir = base / "store"
    ingest_into_store(open_store(str(store_dir)), root)
    # A change on a branch, after the ingest: an agent commit making the core import the api (against the layers rule).
    main = repo.head()
    repo.git("checkout", "-q", "-b", "agent-change")
    repo.commit({"src/shop/core/prices.py": "from shop.api.routes import get\nfrom shop.core.models import Order\n\n\ndef price(order: Order) -> int:\n    return 1\n"},
                message="price via the api", author=CLAUDE, committer=ADA, trailers=["Co-authored-by: Ada Lovelace <ada@example.com>"])
    head = repo.head()
    repo.git("checkout", "-q", "main")
    return {"root": root, "store": store_dir, "repo": repo, "main": main, "head": head}


@pytest.fixture(scope="module")
def server(shop):
    with LiveServer(shop["store"], token=TOKEN, webhook_secret=HOOK_SECRET) as live:
        yield live


@pytest.fixture(scope="module")
def client(server):
    """A client with the server's token (tests of the token itself use plain httpx)."""
    with httpx.Client(base_url=server.url + "/api/v1", timeout=60, headers=AUTH) as c:
        yield c


def assert_problem(response: httpx.Response, status: int, *fragments: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("urn:cairn:problem:")
    for fragment in fragments:
        assert fragment in body["detail"], body["detail"]
    return body


# -- service and repositories ---------------------------------------------------------


def test_health_repositories_and_docs(client, server, shop):
    health = client.get("/health").json()
    assert health == {**health, "status": "ok", "store": "embedded", "repositories": 1}
    repos = client.get("/repositories").json()
    assert [r["name"] for r in repos] == ["shop"]
    assert repos[0]["path"] == str(shop["root"].resolve()) and repos[0]["head"] == shop["main"]
    assert repos[0]["remote"] == "git@github.com:acme/shop.git"
    schema = httpx.get(server.url + "/openapi.json").json()
    assert "/api/v1/components/{name}" in schema["paths"] and "/api/v1/webhooks/github" in schema["paths"]
    assert "swagger-ui" in httpx.get(server.url + "/docs").text
    page = httpx.get(server.url + "/")
    assert page.status_code == 200 and "<title>Cairn" in page.text


def test_unknown_routes_and_methods_are_problems(client):
    assert_problem(client.get("/no-such-thing"), 404, "/api/v1")
    assert_problem(client.delete("/components"), 405, "DELETE")


# -- components, bus factor, decisions, check ------------------------------------------------


def test_components_and_card(client):
    rows = {c["name"]: c for c in client.get("/components").json()}
    assert set(rows) == {"api", "billing", "core", "reports"}
    assert rows["core"]["modules"] == 3 and rows["core"]["truck_factor"] == 1 and rows["core"]["at_risk"] is True
    card = client.get("/components/core").json()
    assert card["description"].startswith("The domain model")
    assert {d["component"] for d in card["used_by"]} == {"api", "billing", "reports"}
    assert card["decisions"][0]["title"] == "Keep the core free of framework code"
    assert_problem(client.get("/components/cor"), 404, "did you mean 'core'")


def test_bus_factor_what_if(client):
    everyone = client.get("/bus-factor").json()
    without = client.get("/bus-factor", params=[("leaving", "Ada Lovelace"), ("leaving", "alan@example.com")]).json()
    assert everyone["repository"]["truck_factor"] > without["repository"]["truck_factor"]
    assert set(without["repository"]["leaving"]) == {"Ada Lovelace", "Alan Turing"}
    assert without["impact"]["repository"]["truck_factor_before"] == everyone["repository"]["truck_factor"]
    changed = without["impact"]["components"]
    assert changed and len(changed) + without["impact"]["unchanged"] == len(everyone["components"])
    assert all(c["orphaned_files"] != c["orphaned_files_before"] or c["truck_factor"] != c["truck_factor_before"]
               or c["human_truck_factor"] != c["human_truck_factor_before"] or c["at_risk"] != c["at_risk_before"]
               for c in changed)
    core = client.get("/bus-factor", params={"component": "core"}).json()
    assert [c["name"] for c in core["components"]] == ["core"]
    problem = assert_problem(client.get("/bus-factor", params={"leaving": "Nobody Known"}), 404)
    assert "Nobody Known" in problem["detail"]


def test_decisions_and_check(client):
    decisions = client.get("/decisions").json()["decisions"]
    assert [d["number"] for d in decisions] == [1, 2, 3]
    assert decisions[1]["status"] == "superseded"
    check = client.get("/check").json()
    assert check["verdict"] == "pass" and check["findings"] == []  # main respects the layers


# -- exploration -------------------------------------------------------------------------------


def test_paths_search_deps_reading_list(client):
    path = client.get("/paths", params={"from": "api", "to": "core"}).json()
    assert path["found"] is True and path["path"] == ["api", "core"]
    none = client.get("/paths", params={"from": "core", "to": "api"}).json()
    assert none["found"] is False and "does not depend" in none["message"]
    assert_problem(client.get("/paths", params={"from": "api"}), 422, "to")
    assert_problem(client.get("/paths", params={"from": "api", "to": "nowhere"}), 404, "nowhere")

    hits = client.get("/search", params={"q": "invoice"}).json()["results"]
    assert ("module", "shop.billing.invoices") in {(h["kind"], h["name"]) for h in hits}
    assert_problem(client.get("/search"), 422, "q")
    assert_problem(client.get("/search", params={"q": ""}), 422)

    comp = client.get("/deps", params={"level": "component"}).json()
    assert {(e["source"], e["target"]) for e in comp["edges"]} == {("api", "billing"), ("api", "core"), ("billing", "core"), ("reports", "core")}
    modules = client.get("/deps").json()
    assert any(e["target"] == "external:requests" for e in modules["edges"])
    assert_problem(client.get("/deps", params={"level": "planet"}), 422, "level")

    central = client.get("/central-modules", params={"limit": 2}).json()
    assert central[0]["module"] == "shop.core.models" and len(central) == 2
    reading = client.get("/reading-list", params={"component": "billing"}).json()
    assert [i["kind"] for i in reading["items"]][0] == "decision"

    # every component at a glance, as `cairn explore` without a component gives it
    glance = client.get("/overview").json()
    rows = {c["name"]: c for c in glance["components"]}
    assert glance["repository"] == "shop" and sorted(rows) == ["api", "billing", "core", "reports"]
    assert rows["core"]["description"] == "The domain model: orders, customers and prices."
    assert rows["core"]["used_by"] == ["api", "billing", "reports"] and rows["api"]["depends_on"] == ["billing", "core"]
    assert_problem(client.get("/overview", params={"repository": "elsewhere"}), 404, "elsewhere")


def test_who_knows_a_documentation_file_from_its_commits(client):
    """A file Cairn keeps no history of is answered from its latest commits in the checkout, in the API's shape."""
    answer = client.get("/repositories/shop/who-knows", params={"path": "docs/adr/0002-invoices-in-api.md"})
    assert answer.status_code == 200, answer.text
    row = answer.json()["paths"][0]
    assert row["kind"] == "untracked" and row["history"] == {"commits": 1, "latest": 100} and row["nearest"] is None
    assert [(h["person"], h["commits"], h["authored"]) for h in row["holders"]] == [("Grace Hopper", 1, None)]


def test_repository_parameter_names_only_stored_repositories(client):
    assert client.get("/components", params={"repository": "shop"}).status_code == 200
    assert_problem(client.get("/components", params={"repository": "/etc"}), 404, "not in the store", "shop")


def test_several_repositories_need_a_name(tmp_path):
    store_dir = tmp_path / "store"
    store = open_store(str(store_dir))
    for name in ("one", "two"):
        build_shop(tmp_path / name, codeowners=False)
        ingest_into_store(store, tmp_path / name)
    with LiveServer(store_dir) as live, httpx.Client(base_url=live.url + "/api/v1") as c:
        assert_problem(c.get("/components"), 400, "one, two", "?repository=")
        assert c.get("/components", params={"repository": "two"}).status_code == 200
    empty = tmp_path / "empty"
    with LiveServer(empty) as live, httpx.Client(base_url=live.url + "/api/v1") as c:
        assert c.get("/repositories").json() == []
        assert_problem(c.get("/components"), 404, "cairn ingest")


def test_component_names_with_slashes(tmp_path):
    repo = GitRepo(tmp_path / "mono")
    repo.commit({"cairn.toml": '[components]\n"packages/web" = ["packages/web/**"]\n', "packages/web/app.py": "x = 1\n"})
    ingest_into_store(open_store(str(tmp_path / "store")), tmp_path / "mono")
    with LiveServer(tmp_path / "store") as live:
        for url in ("/api/v1/components/packages%2Fweb", "/api/v1/components/packages/web"):
            assert httpx.get(live.url + url).json()["name"] == "packages/web"


# -- PR checks --------------------------------------------------------------------------------


def test_pr_check_on_refs(client, shop):
    response = client.post("/pr-checks", json={"base": "main", "head": "agent-change", "description": "small tweak"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["verdict"] == "block"
    assert any(f["rule"] == "layers" for f in report["findings"])
    assert report["agent"]["detected"] is True
    assert "core" in [c["name"] for c in report["touched_components"]]


def test_pr_check_on_a_diff(client, shop):
    def git(*args: str) -> str:  # unstripped: a diff's trailing context line may be a lone space
        return subprocess.run(["git", "-C", str(shop["root"]), *args], capture_output=True, text=True, check=True).stdout

    diff = git("diff", "main", "agent-change")
    content = git("show", "agent-change:src/shop/core/prices.py")
    body = {"diff": diff, "files": {"src/shop/core/prices.py": content}, "author": "Claude <noreply@anthropic.com>",
            "description": "Rationale: see docs/adr/0001-core-free-of-framework.md"}
    response = client.post("/pr-checks", json=body)
    assert response.status_code == 200, response.text
    assert any(e["source"] == "shop.core.prices" and e["target"] == "shop.api.routes" for e in response.json()["new_edges"])


def test_pr_check_bad_requests(client):
    assert_problem(client.post("/pr-checks", json={"base": "main", "head": "no-such-branch"}), 422, "no-such-branch")
    assert_problem(client.post("/pr-checks", json={"base": "--output=/tmp/x", "head": "main"}), 422, "base")
    assert_problem(client.post("/pr-checks", json={"base": "main"}), 422, "both base and head")
    assert_problem(client.post("/pr-checks", json={"base": "main", "head": "main", "diff": "x"}), 422, "not both")
    assert_problem(client.post("/pr-checks", json={"diff": "this is not a diff"}), 422, "diff")
    odd = "src/shop/caf\udce9.py"  # a lone surrogate, as JSON may carry one ("\udce9")
    added = f"diff --git a/{odd} b/{odd}\nnew file mode 100644\n--- /dev/null\n+++ b/{odd}\n@@ -0,0 +1 @@\n+x = 1\n"
    def raw(body: dict) -> httpx.Response:  # json.dumps escapes the surrogate: valid JSON, as a stranger may send
        return client.post("/pr-checks", content=json.dumps(body).encode("ascii"), headers={"content-type": "application/json"})

    assert_problem(raw({"diff": added, "files": {odd: "x = 1\n"}}), 422, "valid string")
    prices = "src/shop/core/prices.py"
    changed = f"diff --git a/{prices} b/{prices}\n--- a/{prices}\n+++ b/{prices}\n@@ -1 +1 @@\n-x\n+y\n"
    assert_problem(raw({"diff": changed, "files": {prices: "y = '\udce9'\n"}}), 422, "not UTF-8")
    assert_problem(client.post("/pr-checks", json={}), 422)
    assert_problem(client.post("/pr-checks", content=b"{not json", headers={"content-type": "application/json"}), 422)
    assert_problem(client.post("/pr-checks", json={"repository": "elsewhere", "base": "main", "head": "main"}), 404, "elsewhere")
    assert_problem(client.post("/pr-checks", json={"base": "main", "head": "main", "root": "/etc"}), 422)


# -- ingest jobs and the token -------------------------------------------------------------------------


def test_ingest_needs_the_token(server):
    url = server.url + "/api/v1/repositories/shop/ingest"
    missing = assert_problem(httpx.post(url), 401, "Bearer")
    assert missing["title"] == "Authentication required"
    assert httpx.post(url).headers["www-authenticate"].startswith("Bearer")
    assert_problem(httpx.post(url, headers={"Authorization": "Bearer wrong"}), 401, "does not match")
    assert_problem(httpx.post(url, headers={"Authorization": f"Basic {TOKEN}"}), 401)


def test_ingest_runs_in_the_background_with_progress(client):
    auth = AUTH
    assert_problem(client.post("/repositories/nope/ingest", headers=auth), 404, "nope")
    ingested_at = client.get("/repositories").json()[0]["ingested_at"]
    started = client.post("/repositories/shop/ingest", headers=auth)
    assert started.status_code == 202
    job = started.json()
    assert started.headers["location"] == f"/api/v1/jobs/{job['id']}"
    assert job["repository"] == "shop" and job["status"] in ("queued", "running", "succeeded")
    deadline = time.monotonic() + 30
    while job["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.05)
        job = client.get(f"/jobs/{job['id']}").json()
    assert job["status"] == "succeeded", job
    # Nothing Cairn reads changed since the fixture's ingest: the job checks, keeps the stored graph, writes nothing.
    assert [s["stage"] for s in job["stages"]] == ["checking for changes"]
    assert job["summary"]["components"] == 4
    assert job["summary"]["notes"][0].startswith("up to date: nothing Cairn reads changed")
    assert_problem(client.get("/jobs/not-a-job"), 404, "not-a-job")
    assert client.get("/repositories").json()[0]["ingested_at"] == ingested_at


# -- the GitHub webhook -------------------------------------------------------------------------------


def _signed(body: bytes, secret: str = HOOK_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _pull_request_event(shop, *, base: str, head: str, full_name: str = "acme/shop", action: str = "opened") -> bytes:
    return json.dumps({
        "action": action,
        "pull_request": {"number": 7, "body": "Generated with Claude Code", "base": {"sha": base}, "head": {"sha": head}},
        "repository": {"name": full_name.split("/")[-1], "full_name": full_name,
                       "clone_url": f"https://github.com/{full_name}.git", "ssh_url": f"git@github.com:{full_name}.git"},
    }).encode()


def _hook(client, body: bytes, event: str = "pull_request", signature: str | None = "sign") -> httpx.Response:
    headers = {"X-GitHub-Event": event, "content-type": "application/json"}
    if signature == "sign":
        headers["X-Hub-Signature-256"] = _signed(body)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return client.post("/webhooks/github", content=body, headers=headers)


def test_webhook_signature_is_verified(client, shop):
    body = _pull_request_event(shop, base=shop["main"], head=shop["head"])
    assert_problem(_hook(client, body, signature=None), 401, "X-Hub-Signature-256")
    assert_problem(_hook(client, body, signature=_signed(body, "wrong secret")), 401)
    assert_problem(_hook(client, body + b" ", signature=_signed(body)), 401)  # the body was altered
    assert_problem(_hook(client, body, signature="sha1=" + hashlib.sha1(body).hexdigest()), 401)


def test_webhook_runs_the_pr_check(client, shop):
    pong = _hook(client, b'{"zen": "Keep it logically awesome."}', event="ping")
    assert pong.json() == {**pong.json(), "status": "pong", "reason": "Keep it logically awesome."}
    result = _hook(client, _pull_request_event(shop, base=shop["main"], head=shop["head"]))
    assert result.status_code == 200, result.text
    data = result.json()
    assert data["status"] == "checked" and data["repository"] == "shop"
    assert data["report"]["verdict"] == "block" and data["report"]["agent"]["detected"] is True
    closed = _hook(client, _pull_request_event(shop, base=shop["main"], head=shop["head"], action="closed")).json()
    assert closed["status"] == "ignored"
    assert _hook(client, b"{}", event="push").json()["status"] == "ignored"


def test_webhook_bad_events(client, shop):
    absent = "0" * 40
    assert_problem(_hook(client, _pull_request_event(shop, base=shop["main"], head=absent)), 422, "git fetch", absent[:12])
    assert_problem(_hook(client, _pull_request_event(shop, base=shop["main"], head=shop["head"], full_name="acme/other")), 404, "acme/other")
    assert_problem(_hook(client, b"not json"), 422, "JSON")
    assert_problem(_hook(client, json.dumps({"action": "opened"}).encode()), 422, "pull_request")
    assert_problem(_hook(client, _pull_request_event(shop, base="main; rm -rf /", head=shop["head"])), 422, "commit ids")


def test_webhook_without_a_secret_is_off(shop):
    with LiveServer(shop["store"]) as live:
        body = _pull_request_event(shop, base=shop["main"], head=shop["head"])
        response = httpx.post(live.url + "/api/v1/webhooks/github", content=body, headers={"X-Hub-Signature-256": _signed(body)})
        assert_problem(response, 403, "--webhook-secret")
        # Without a token, ingest is open (a local, single-user server), to requests a page on another site cannot forge.
        assert_problem(httpx.post(live.url + "/api/v1/repositories/shop/ingest"), 415, "Content-Type: application/json")
        assert httpx.post(live.url + "/api/v1/repositories/shop/ingest", headers={"Content-Type": "application/json"}).status_code == 202


@pytest.mark.parametrize("url, slug", [
    ("https://github.com/Acme/Shop.git", "acme/shop"),
    ("git@github.com:acme/shop.git", "acme/shop"),
    ("ssh://git@github.com/acme/shop", "acme/shop"),
    ("https://token@github.example.com/acme/shop/", "acme/shop"),
    ("/srv/git/shop", None),
    (None, None),
])
def test_remote_slug(url, slug):
    assert remote_slug(url) == slug


# -- Cypher ---------------------------------------------------------------------------------------------


def test_cypher_needs_neo4j(client):
    assert_problem(client.post("/query", json={"cypher": "MATCH (n) RETURN count(n) AS n"}), 400, "Neo4j")
    assert_problem(client.post("/query", json={"cypher": ""}), 422, "cypher")
    assert_problem(client.post("/query", json={"query": "MATCH (n) RETURN n"}), 422)


# -- property-based: no request gets a 5xx ---------------------------------------------------------------


def test_openapi_fuzzing_finds_no_server_error(server):
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @settings(max_examples=6, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def exercise(case):
                response = case.call(base_url=server.url, timeout=30, headers=AUTH)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} {case.query} {str(case.body)[:200]} -> "
                                    f"{response.status_code} {response.text[:300]}")
                elif response.status_code >= 400:
                    content_type = (response.headers.get("content-type") or [""])[0]  # schemathesis keeps header values as lists
                    assert content_type.startswith(PROBLEM), (case.method, case.formatted_path, response.text)

            try:
                exercise()
            except Unsatisfiable:  # no invalid input exists for this operation (e.g. GET /health)
                assert mode is GenerationMode.NEGATIVE
    assert not failures, "\n".join(failures[:10])


# -- the same API on a Neo4j store ------------------------------------------------------------------------

@pytest.mark.neo4j
def test_the_api_on_neo4j_with_read_only_cypher(neo4j_uri, shop):
    name = f"shop-{uuid.uuid4().hex[:8]}"  # the database may be shared with other tests
    store = open_store(neo4j_uri)
    try:
        ingest_into_store(store, shop["root"], repo_name=name)
    finally:
        store.close()
    with LiveServer(neo4j_uri) as live, httpx.Client(base_url=live.url + "/api/v1", timeout=60) as c:
        assert c.get("/health").json()["store"] == "neo4j"
        params = {"repository": name}
        card = c.get("/components/core", params=params).json()
        assert {d["component"] for d in card["used_by"]} == {"api", "billing", "reports"}
        assert c.get("/paths", params={**params, "from": "api", "to": "core"}).json()["path"] == ["api", "core"]
        rows = c.post("/query", json={"cypher": "MATCH (c:Component {_repo: $repo}) RETURN c.name AS name ORDER BY name",
                                      "params": {"repo": name}}).json()["rows"]
        assert [r["name"] for r in rows] == ["api", "billing", "core", "reports"]
        assert_problem(c.post("/query", json={"cypher": "CREATE (n:Intruder) RETURN n"}), 400, "read-only")
        assert_problem(c.post("/query", json={"cypher": "MATCH (n RETURN n"}), 400, "Cypher query failed")
        assert c.post("/query", json={"cypher": "MATCH (n:Intruder) RETURN count(n) AS n"}).json()["rows"] == [{"n": 0}]


# -- cairn serve, as a user starts it -------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cairn_serve_console_script(shop):
    cairn = Path(sys.executable).parent / "cairn"
    port = _free_port()
    env = {**os.environ, "CAIRN_API_TOKEN": "from-the-environment"}
    proc = subprocess.Popen([str(cairn), "serve", "--store", str(shop["store"]), "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(base + "/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() is not None else "no answer"
                time.sleep(0.1)
        assert health.json()["repositories"] == 1
        assert_problem(httpx.post(base + "/repositories/shop/ingest"), 401)
        accepted = httpx.post(base + "/repositories/shop/ingest", headers={"Authorization": "Bearer from-the-environment"})
        assert accepted.status_code == 202

        # A second server on the same port fails with one line and exit code 2.
        busy = subprocess.run([str(cairn), "serve", "--store", str(shop["store"]), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
        assert busy.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in busy.stderr and "Traceback" not in busy.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=15)

"""The HTTP API against hostile clients, through real uvicorn servers: the token, public reads, what is never shown,
forged cross-site writes, DNS rebinding, oversized and deeply nested bodies, replayed webhook deliveries.

The routes checked for the token are read from the server's OpenAPI document, so a route added later is covered
without touching this file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from cairn.api.bootstrap import open_store
from fixtures.explore import LiveServer, ingest_shop

TOKEN = "security-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOOK_SECRET = "security-hook-secret"
PROBLEM = "application/problem+json"
SECRET_REMOTE = "https://ci-bot:ghp_SeCrEtToKeN1234567890@github.com/acme/shop.git"
OPEN_ROUTES = {("get", "/api/v1/health")}
WEBHOOK = ("post", "/api/v1/webhooks/github")
PATH_VALUES = {"repository": "shop", "name": "core", "job_id": "0" * 32}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    base = tmp_path_factory.mktemp("security")
    store_dir, root = ingest_shop(base)
    # A remote with credentials in the checkout (a re-ingest reads it), and in the store as an older Cairn stored it.
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin", SECRET_REMOTE], check=True)
    store = open_store(str(store_dir))
    graph = store.load("shop")
    graph.repository.props["remote"] = SECRET_REMOTE
    store.save(graph)
    store.close()
    return {"store": store_dir, "root": root.resolve()}


@pytest.fixture(scope="module")
def guarded(shop):
    with LiveServer(shop["store"], token=TOKEN, webhook_secret=HOOK_SECRET) as live:
        yield live


def assert_problem(response: httpx.Response, status: int, *fragments: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body = response.json()
    assert body["status"] == status
    for fragment in fragments:
        assert fragment in body["detail"], body["detail"]
    return body


def operations(server: LiveServer) -> list[tuple[str, str]]:
    schema = httpx.get(server.url + "/openapi.json").json()
    return [(method, path) for path, item in schema["paths"].items() for method in item
            if method in ("get", "post", "put", "patch", "delete")]


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)(?::path)?\}", lambda m: PATH_VALUES.get(m[1], "x"), path)


# -- the token -----------------------------------------------------------------------------------------


def test_every_route_but_health_needs_the_token(guarded):
    ops = operations(guarded)
    assert len(ops) >= 17 and OPEN_ROUTES <= set(ops) and WEBHOOK in ops
    for method, path in ops:
        url = guarded.url + concrete(path)
        for headers in ({}, {"Authorization": "Bearer not-the-token"}, {"Authorization": f"Basic {TOKEN}"}):
            response = httpx.request(method, url, json={} if method != "get" else None, headers=headers)
            if (method, path) in OPEN_ROUTES:
                assert response.status_code == 200, (method, path)
            elif (method, path) == WEBHOOK:  # GitHub signs; it cannot send a token
                assert_problem(response, 401, "X-Hub-Signature-256")
            else:
                body = assert_problem(response, 401)
                assert response.headers["www-authenticate"].startswith("Bearer"), (method, path)
                assert "shop" not in json.dumps(body).replace("/api/v1/repositories/shop", ""), (method, path, body)
        if (method, path) not in OPEN_ROUTES and (method, path) != WEBHOOK:
            # And the token opens it: whatever the answer, it is not a 401.
            response = httpx.request(method, url, json={} if method != "get" else None, headers=AUTH)
            assert response.status_code != 401, (method, path, response.text)


def test_public_read_opens_reads_but_not_writes_and_hides_paths(shop):
    with LiveServer(shop["store"], token=TOKEN, public_read=True) as live:
        api = live.url + "/api/v1"
        assert httpx.get(api + "/components").status_code == 200
        anonymous = httpx.get(api + "/repositories").json()[0]
        assert anonymous["path"] is None
        assert anonymous["remote"] == "https://github.com/acme/shop.git"
        assert_problem(httpx.post(api + "/pr-checks", json={"base": "main", "head": "main"}), 401)
        assert_problem(httpx.post(api + "/repositories/shop/ingest"), 401)
        assert_problem(httpx.post(api + "/query", json={"cypher": "MATCH (n) RETURN n"}), 401)
        with_token = httpx.get(api + "/repositories", headers=AUTH).json()[0]
        assert with_token["path"] == str(shop["root"])
        assert with_token["remote"] == "https://github.com/acme/shop.git"  # credentials are never served
        for response in (httpx.get(api + "/repositories"), httpx.get(api + "/repositories", headers=AUTH)):
            assert "ghp_SeCrEt" not in response.text and "ci-bot" not in response.text


def test_problem_details_name_no_server_path_without_the_token(shop, tmp_path):
    store_dir = tmp_path / "store"
    shutil.copytree(shop["store"], store_dir)
    for part in store_dir.glob("cairn.db*"):
        part.unlink()
    (store_dir / "cairn.db").write_bytes(b"not a database" * 512)  # the store can no longer be read: its error names the file
    with LiveServer(store_dir, token=TOKEN, public_read=True) as live:
        anonymous = assert_problem(httpx.get(live.url + "/api/v1/components"), 503, "<server path>")
        assert str(store_dir) not in json.dumps(anonymous) and str(Path.home()) not in json.dumps(anonymous)
        assert_problem(httpx.get(live.url + "/api/v1/components", headers=AUTH), 503, str(store_dir))


# -- forged cross-site writes and DNS rebinding ---------------------------------------------------------------


def test_without_a_token_a_write_needs_a_json_content_type_or_the_client_header(shop, tmp_path):
    store_dir = tmp_path / "store"
    shutil.copytree(shop["store"], store_dir)
    with LiveServer(store_dir) as live:
        url = live.url + "/api/v1/repositories/shop/ingest"
        # What a form or a no-cors fetch on another site can send without a preflight:
        for headers in ({}, {"Content-Type": "text/plain"}, {"Content-Type": "application/x-www-form-urlencoded"},
                        {"Content-Type": "multipart/form-data; boundary=x"}):
            assert_problem(httpx.post(url, headers=headers), 415, "Content-Type: application/json")
        assert_problem(httpx.post(live.url + "/api/v1/query", content=b'{"cypher": "MATCH (n) RETURN n"}',
                                  headers={"Content-Type": "text/plain"}), 415)
        started = httpx.post(url, headers={"X-Cairn-Client": "script"})
        assert started.status_code == 202, started.text
        job = started.json()
        while job["status"] in ("queued", "running"):
            time.sleep(0.05)
            job = httpx.get(live.url + f"/api/v1/jobs/{job['id']}").json()
        assert httpx.post(url, headers={"Content-Type": "application/json"}).status_code == 202
        assert httpx.get(live.url + "/api/v1/components").status_code == 200  # reads stay open on a local server


def test_only_ip_addresses_localhost_and_allowed_names_are_answered(shop):
    with LiveServer(shop["store"], allowed_hosts=["cairn.internal"]) as live:
        port = live.port
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST", f"cairn.internal:{port}", "cairn.internal.", "[::1]:80",
                     "api.localhost", "10.1.2.3"):
            assert httpx.get(live.url + "/api/v1/health", headers={"Host": host}).status_code == 200, host
        for host in ("attacker.example", f"attacker.example:{port}", "cairn.internal.attacker.example", "localhost.attacker.example"):
            for path in ("/api/v1/health", "/", "/openapi.json"):
                assert_problem(httpx.get(live.url + path, headers={"Host": host}), 400, "--allowed-host")


# -- request sizes --------------------------------------------------------------------------------------------

LIMIT = 256 * 1024


def _chunks(total: int, size: int = 64 * 1024):
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"x" * piece


def test_bodies_over_the_limit_get_413_before_authentication(shop):
    with LiveServer(shop["store"], token=TOKEN, webhook_secret=HOOK_SECRET, max_body=LIMIT) as live, \
            httpx.Client(base_url=live.url + "/api/v1", timeout=60) as client:
        reviews = "/repositories/shop/reviews"
        body = json.dumps({"reviews": [{"reviewer": "x", "files": ["a" * LIMIT]}]}).encode()
        declared = assert_problem(client.post(reviews, content=body, headers={"Content-Type": "application/json"}), 413,
                                  f"{LIMIT:,} bytes")
        assert declared["title"] == "Request too large"
        streamed = client.post(reviews, content=_chunks(4 * LIMIT), headers={"Content-Type": "application/json"})
        assert_problem(streamed, 413)
        assert_problem(client.post("/webhooks/github", content=_chunks(4 * LIMIT)), 413)
        assert_problem(client.post("/query", content=_chunks(2 * LIMIT), headers=AUTH), 413)
        # Under the limit, the token decides again; the connection that carried the big bodies still works.
        assert_problem(client.post(reviews, json={"reviews": [{"reviewer": "x", "files": ["a"]}]}), 401)
        assert client.get("/health").status_code == 200


def test_list_sizes_are_capped_in_the_schemas(guarded):
    api = guarded.url + "/api/v1"
    many_reviews = {"reviews": [{"reviewer": f"r{i}", "files": ["a.py"]} for i in range(1001)]}
    assert_problem(httpx.post(api + "/repositories/shop/reviews", json=many_reviews, headers=AUTH), 422, "reviews")
    many_files = {"reviews": [{"reviewer": "r", "files": [f"f{i}.py" for i in range(5001)]}]}
    assert_problem(httpx.post(api + "/repositories/shop/reviews", json=many_files, headers=AUTH), 422, "files")
    files = {f"f{i}.py": "" for i in range(5001)}
    assert_problem(httpx.post(api + "/pr-checks", json={"diff": "x", "files": files}, headers=AUTH), 422, "files")


def _signed(body: bytes) -> dict[str, str]:
    return {"X-Hub-Signature-256": "sha256=" + hmac.new(HOOK_SECRET.encode(), body, hashlib.sha256).hexdigest(),
            "Content-Type": "application/json"}


def test_webhook_with_deeply_nested_json_is_a_400(guarded):
    body = b"[" * 100_000 + b"]" * 100_000
    response = httpx.post(guarded.url + "/api/v1/webhooks/github", content=body,
                          headers={**_signed(body), "X-GitHub-Event": "pull_request"})
    assert_problem(response, 400, "nested")
    assert httpx.get(guarded.url + "/api/v1/health").status_code == 200


def test_webhook_deliveries_are_handled_once_and_failures_can_be_redelivered(guarded):
    url = guarded.url + "/api/v1/webhooks/github"
    ping = b'{"zen": "Design for failure."}'
    first = httpx.post(url, content=ping, headers={**_signed(ping), "X-GitHub-Event": "ping", "X-GitHub-Delivery": "d-1"})
    assert first.json()["status"] == "pong"
    again = httpx.post(url, content=ping, headers={**_signed(ping), "X-GitHub-Event": "ping", "X-GitHub-Delivery": "d-1"})
    assert again.status_code == 200 and again.json()["status"] == "duplicate" and "handled already" in again.json()["reason"]
    event = json.dumps({"action": "opened", "pull_request": {"base": {"sha": "0" * 40}, "head": {"sha": "1" * 40}},
                        "repository": {"name": "shop", "full_name": "acme/shop"}}).encode()
    headers = {**_signed(event), "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "d-2"}
    assert_problem(httpx.post(url, content=event, headers=headers), 422, "git fetch")
    assert_problem(httpx.post(url, content=event, headers=headers), 422, "git fetch")  # a failed delivery may come again
    # An unsigned replay claims nothing.
    assert_problem(httpx.post(url, content=ping, headers={"X-GitHub-Event": "ping", "X-GitHub-Delivery": "d-3"}), 401)
    fresh = httpx.post(url, content=ping, headers={**_signed(ping), "X-GitHub-Event": "ping", "X-GitHub-Delivery": "d-3"})
    assert fresh.json()["status"] == "pong"


# -- memory: a body far over the limit does not grow the server ------------------------------------------------


def _peak_rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)[1]) * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's peak RSS from /proc")
def test_200_mb_streamed_to_a_server_with_an_8_mb_limit_get_413_and_do_not_grow_it(shop):
    limit = 8 * 1024 * 1024
    port = _free_port()
    cairn = Path(sys.executable).parent / "cairn"
    server = subprocess.Popen([str(cairn), "serve", "--store", str(shop["store"]), "--port", str(port), "--max-body-bytes", str(limit)],
                              env={**os.environ, "CAIRN_API_TOKEN": TOKEN}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    api = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(api + "/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        with httpx.Client(base_url=api, timeout=300) as client:
            # Warm up the server with bodies under the limit (they are read whole, then refused for the token).
            for size in (1024, limit // 2):
                client.post("/repositories/shop/reviews", content=_chunks(size), headers={"Content-Type": "application/json"})
            before = _peak_rss(server.pid)
            response = client.post("/repositories/shop/reviews", content=_chunks(200 * 1024 * 1024, 1024 * 1024),
                                   headers={"Content-Type": "application/json"})
            assert_problem(response, 413)
            grown = _peak_rss(server.pid) - before
            assert grown < limit, f"the server's peak RSS grew by {grown:,} bytes for a body cut off at {limit:,}"
            assert client.get("/health").json()["status"] == "ok"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_ingest_jobs_show_server_paths_only_with_the_token(shop, tmp_path):
    store_dir = tmp_path / "store"
    shutil.copytree(shop["store"], store_dir)
    with LiveServer(store_dir, token=TOKEN, public_read=True) as live:
        api = live.url + "/api/v1"
        job = httpx.post(api + "/repositories/shop/ingest", headers=AUTH).json()
        while job["status"] in ("queued", "running"):
            time.sleep(0.05)
            job = httpx.get(api + f"/jobs/{job['id']}", headers=AUTH).json()
        assert job["status"] == "succeeded" and job["summary"]["path"] == str(shop["root"])
        anonymous = httpx.get(api + f"/jobs/{job['id']}")
        assert anonymous.status_code == 200 and anonymous.json()["summary"]["path"] == "<server path>"
        assert str(shop["root"]) not in anonymous.text and str(store_dir) not in anonymous.text

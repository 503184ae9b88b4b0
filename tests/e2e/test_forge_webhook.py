"""`cairn serve` with GitHub credentials: a pull_request webhook is fetched, checked and posted, each delivery once."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from fixtures.agent_pr import commit_agent_change, commit_shop
from fixtures.forge_server import ForgeServer
from fixtures.gitrepo import GitRepo

CLI = str(Path(sys.executable).parent / "cairn")
SECRET = "hook-secret"
MARKER = "<!-- cairn-pr-check -->"

@pytest.fixture()
def registered(tmp_path):
    """GitHub's side (a bare origin holding refs/pull/7/head) and Cairn's registered checkout, which lacks the PR."""
    author = GitRepo(tmp_path / "author")
    base = commit_shop(author)
    origin = tmp_path / "origin.git"
    author.git("clone", "-q", "--bare", str(author.root), str(origin))
    head = commit_agent_change(author)
    author.git("push", "-q", str(origin), "agent-change:refs/pull/7/head")
    checkout = tmp_path / "shop"
    author.git("clone", "-q", "--no-local", str(origin), str(checkout))
    store = tmp_path / "store"
    proc = subprocess.run([CLI, "ingest", str(checkout), "--store", str(store)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert not commit_present(checkout, head)
    return {"checkout": checkout, "store": store, "base": base, "head": head, "tmp": tmp_path}


def commit_present(root: Path, sha: str) -> bool:
    return subprocess.run(["git", "-C", str(root), "cat-file", "-e", f"{sha}^{{commit}}"], capture_output=True).returncode == 0


class Serve:
    """The real `cairn serve` in a subprocess, its output kept in files."""

    def __init__(self, store: Path, env: dict[str, str], log_dir: Path):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.out, self.err = log_dir / "serve.out", log_dir / "serve.err"
        self.proc = subprocess.Popen([CLI, "serve", "--store", str(store), "--port", str(self.port), "--webhook-secret", SECRET],
                                     stdout=self.out.open("w"), stderr=self.err.open("w"), env=env)

    def __enter__(self) -> "Serve":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"cairn serve exited: {self.err.read_text()}")
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("cairn serve did not start")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)

    def output(self) -> str:
        return self.out.read_text() + self.err.read_text()

    def deliver(self, payload: dict, delivery: str) -> httpx.Response:
        body = json.dumps(payload).encode()
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        return httpx.post(self.url + "/api/v1/webhooks/github", content=body, timeout=300, headers={
            "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": delivery, "X-Hub-Signature-256": signature,
            "Content-Type": "application/json"})


def event(reg: dict, action: str = "opened", installation: int | None = None) -> dict:
    payload = {"action": action, "number": 7,
               "pull_request": {"number": 7, "body": "", "user": {"login": "bob"},
                                "base": {"sha": reg["base"], "ref": "main"}, "head": {"sha": reg["head"], "ref": "agent-change"}},
               "repository": {"name": "shop", "full_name": "acme/shop", "clone_url": "https://github.com/acme/shop.git"}}
    if installation is not None:
        payload["installation"] = {"id": installation}
    return payload


def serve_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CAIRN_"))}
    return {**env, **extra}


def test_the_webhook_fetches_checks_and_posts_once_per_delivery(registered):
    reg = registered
    with ForgeServer() as forge:
        token = next(iter(forge.github_tokens))
        env = serve_env(CAIRN_GITHUB_TOKEN=token, CAIRN_GITHUB_API_URL=forge.url)
        with Serve(reg["store"], env, reg["tmp"]) as serve:
            first = serve.deliver(event(reg), "delivery-1")
            assert first.status_code == 200, first.text
            data = first.json()
            assert data["status"] == "checked" and data["report"]["verdict"] == "block"
            assert [p["what"] for p in data["posted"]] == ["comment", "check run"]
            assert commit_present(reg["checkout"], reg["head"])  # fetched: git fetch origin pull/7/head
            (comment,) = forge.comments_on("acme/shop", 7)
            assert comment["body"].startswith(MARKER) and "core-stays-pure" in comment["body"]
            (run,) = forge.check_runs
            assert run["head_sha"] == reg["head"] and run["conclusion"] == "failure"

            again = serve.deliver(event(reg), "delivery-1")
            assert again.status_code == 200 and again.json()["status"] == "duplicate"
            assert len(forge.check_runs) == 1

            forge.fail(403, method="POST", path=r"/check-runs$")
            refused = serve.deliver(event(reg, "synchronize"), "delivery-2")
            assert refused.status_code == 502 and refused.headers["content-type"].startswith("application/problem+json")
            assert "403" in refused.json()["detail"] and token not in refused.text
            retried = serve.deliver(event(reg, "synchronize"), "delivery-2")  # a failed delivery is not remembered
            assert retried.status_code == 200 and retried.json()["status"] == "checked"
            assert len(forge.comments_on("acme/shop", 7)) == 1 and len(forge.check_runs) == 2
            assert all(r.headers.get("authorization") == f"Bearer {token}" for r in forge.requests)
        assert token not in serve.output()
        assert "posted to GitHub with a GitHub token" in serve.output()


def test_a_github_app_posts_with_an_installation_token(registered):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    reg = registered
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    key_file = reg["tmp"] / "app.pem"
    key_file.write_bytes(pem)
    with ForgeServer(app_public_key=public, app_id="31337") as forge:
        env = serve_env(CAIRN_GITHUB_APP_ID="31337", CAIRN_GITHUB_APP_PRIVATE_KEY_FILE=str(key_file), CAIRN_GITHUB_API_URL=forge.url)
        with Serve(reg["store"], env, reg["tmp"]) as serve:
            first = serve.deliver(event(reg), "app-1")  # no installation in the event: looked up for the repository
            assert first.status_code == 200, first.text
            assert forge.calls("GET", r"^/repos/acme/shop/installation$")
            (issued,) = forge.issued_tokens
            posts = forge.calls("POST", r"/issues/7/comments$")
            assert len(posts) == 1 and posts[0].headers["authorization"] == f"Bearer {issued}"
            second = serve.deliver(event(reg, "synchronize", installation=forge.installation_id), "app-2")
            assert second.status_code == 200, second.text
            assert len(forge.calls("POST", r"/access_tokens$")) == 1  # the installation token is reused until it nears expiry
            assert len(forge.comments_on("acme/shop", 7)) == 1 and len(forge.check_runs) == 2
        output = serve.output()
        assert issued not in output and "BEGIN PRIVATE KEY" not in output
        assert "GitHub App 31337" in output


def test_half_configured_credentials_stop_serve_with_one_line(registered, tmp_path):
    proc = subprocess.run([CLI, "serve", "--store", str(registered["store"]), "--port", "0"], capture_output=True, text=True,
                          env=serve_env(CAIRN_GITHUB_APP_ID="31337"), timeout=60)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "CAIRN_GITHUB_APP_PRIVATE_KEY" in proc.stderr
    bad_key = tmp_path / "bad.pem"
    bad_key.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    proc = subprocess.run([CLI, "serve", "--store", str(registered["store"]), "--port", "0"], capture_output=True, text=True,
                          env=serve_env(CAIRN_GITHUB_APP_ID="31337", CAIRN_GITHUB_APP_PRIVATE_KEY_FILE=str(bad_key)), timeout=60)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "PEM" in proc.stderr

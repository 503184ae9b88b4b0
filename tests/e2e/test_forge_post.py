"""`cairn pr-check --post github|gitlab`: the real command against a local GitHub/GitLab stand-in (tests/forge_server.py)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.agent_pr import BOB, CLAUDE, commit_agent_change, commit_shop
from fixtures.forge_server import ForgeServer
from fixtures.gitrepo import GitRepo

CLI = str(Path(sys.executable).parent / "cairn")
MARKER = "<!-- cairn-pr-check -->"
SLUG = "acme/shop"


@pytest.fixture()
def agent_pr(tmp_path):
    """Ada alone knows the core; an agent's PR makes the core import the API (a warn rule, raised to block)."""
    repo = GitRepo(tmp_path / "shop")
    base = commit_shop(repo)
    head = commit_agent_change(repo)
    repo.git("checkout", "-q", "main")
    store = tmp_path / "store"
    proc = subprocess.run([CLI, "ingest", str(repo.root), "--store", str(store)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "opened", "number": 7, "pull_request": {
        "number": 7, "body": "Small refactor.", "user": {"login": "bob"},
        "base": {"sha": base, "ref": "main"}, "head": {"sha": head, "ref": "agent-change"}}}))
    return {"repo": repo, "store": store, "base": base, "head": head, "event": event, "tmp": tmp_path}


@pytest.fixture()
def forge():
    with ForgeServer() as server:
        yield server


def github_env(forge: ForgeServer, pr: dict, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_", "GITLAB_", "CAIRN_"))}
    env.update({"GITHUB_API_URL": forge.url, "GITHUB_REPOSITORY": SLUG, "GITHUB_TOKEN": next(iter(forge.github_tokens)),
                "GITHUB_EVENT_PATH": str(pr["event"]), "GITHUB_OUTPUT": str(pr["tmp"] / "github_output"), **extra})
    return env


def gitlab_env(forge: ForgeServer, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_", "GITLAB_", "CAIRN_"))}
    env.update({"CI_API_V4_URL": forge.gitlab_url, "CI_PROJECT_ID": "12", "CI_MERGE_REQUEST_IID": "3",
                "GITLAB_TOKEN": forge.gitlab_token, **extra})
    return env


def pr_check(pr: dict, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess:
    args = [CLI, "pr-check", "--repo", str(pr["repo"].root), "--base", pr["base"], "--head", pr["head"], "--store", str(pr["store"]), *extra]
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)


def assert_secret_kept(proc: subprocess.CompletedProcess, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in proc.stdout and secret not in proc.stderr


def test_blocking_agent_pr_posts_one_comment_and_one_failing_check_run(agent_pr, forge):
    token = next(iter(forge.github_tokens))
    forge.add_comment(SLUG, 7, "LGTM, but see the comment from Cairn", login="carol")  # someone else's comment stays alone
    proc = pr_check(agent_pr, github_env(forge, agent_pr), "--post", "github", "--format", "json")
    assert proc.returncode == 1, proc.stderr  # the verdict's exit code
    report = json.loads(proc.stdout)
    assert report["verdict"] == "block" and report["agent"]["detected"]

    ours = [c for c in forge.comments_on(SLUG, 7) if c["body"].startswith(MARKER)]
    assert len(ours) == 1 and len(forge.comments_on(SLUG, 7)) == 2
    assert "core-stays-pure" in ours[0]["body"] and "block" in ours[0]["body"]

    (run,) = forge.check_runs
    assert run["head_sha"] == agent_pr["head"] and run["name"] == "Cairn"
    assert run["status"] == "completed" and run["conclusion"] == "failure"
    notes = run["output"]["annotations"]
    (violation,) = [n for n in notes if n["title"].startswith("core-stays-pure")]
    assert violation["path"] == "shop/core/rules.py" and violation["start_line"] == 2 and violation["end_line"] == 2
    assert violation["annotation_level"] == "failure"
    assert run["output"]["title"].startswith("block:")

    # The token went as a header on every request, never in a URL, and is printed nowhere.
    assert forge.requests and all(r.headers.get("authorization") == f"Bearer {token}" for r in forge.requests)
    assert all(token not in r.path and token not in json.dumps(r.query) for r in forge.requests)
    assert_secret_kept(proc, token)
    assert "comment created" in proc.stderr and "check run created" in proc.stderr
    outputs = (agent_pr["tmp"] / "github_output").read_text()
    assert "verdict=block\n" in outputs and "comment-url=" in outputs


def test_a_rerun_updates_the_comment_in_place(agent_pr, forge):
    forge.page_size = 2  # Cairn's comment ends up on the second page: every page is read
    for i in range(3):
        forge.add_comment(SLUG, 7, f"comment {i}", login="carol")
    first = pr_check(agent_pr, github_env(forge, agent_pr), "--post", "github")
    assert first.returncode == 1, first.stderr
    (ours,) = [c for c in forge.comments_on(SLUG, 7) if c["body"].startswith(MARKER)]
    ours["body"] = MARKER + "\nstale"
    second = pr_check(agent_pr, github_env(forge, agent_pr), "--post", "github")
    assert second.returncode == 1, second.stderr
    mine = [c for c in forge.comments_on(SLUG, 7) if c["body"].startswith(MARKER)]
    assert len(mine) == 1 and mine[0]["id"] == ours["id"] and "core-stays-pure" in mine[0]["body"]
    assert len(forge.calls("POST", r"/issues/7/comments$")) == 1 and len(forge.calls("PATCH", r"/issues/comments/")) == 1
    assert "comment updated" in second.stderr
    pages = [r.query.get("page") for r in forge.calls("GET", r"/issues/7/comments$")]
    assert "2" in pages  # the Link header was followed


def test_more_than_fifty_annotations_go_in_batches_of_fifty(agent_pr, forge):
    repo = agent_pr["repo"]
    repo.git("checkout", "-q", "agent-change")
    head = repo.commit({f"shop/core/m{i:02d}.py": "from shop.api.routes import price\n" for i in range(60)},
                       author=BOB, message="more", trailers=[f"Co-authored-by: {CLAUDE}"])
    repo.git("checkout", "-q", "main")
    proc = pr_check({**agent_pr, "head": head}, github_env(forge, agent_pr, GITHUB_EVENT_PATH=""), "--post", "github", "--pr", "7",
                    "--format", "json")
    assert proc.returncode == 1, proc.stderr
    located = [f for f in json.loads(proc.stdout)["findings"] if f["file"] and f["line"]]
    assert len(located) > 61  # 61 new violations, and the first core -> api coupling
    (run,) = forge.check_runs
    assert run["head_sha"] == head  # no event: the resolved head commit
    assert run["annotation_requests"] == [50, len(located) - 50]
    assert sorted((n["path"], n["start_line"], n["message"]) for n in run["output"]["annotations"]) == sorted(
        (f["file"], f["line"], f["message"]) for f in located)


def test_post_gitlab_posts_one_note_and_the_code_quality_report(agent_pr, forge):
    first = pr_check(agent_pr, gitlab_env(forge), "--post", "gitlab", "--format", "codeclimate")
    assert first.returncode == 1, first.stderr
    issues = json.loads(first.stdout)
    (issue,) = [i for i in issues if i["check_name"] == "core-stays-pure"]
    assert issue["location"] == {"path": "shop/core/rules.py", "lines": {"begin": 2}} and issue["severity"] == "blocker"
    assert len(issue["fingerprint"]) == 64 and all(i["description"] and i["categories"] for i in issues)
    notes = forge.notes[("12", 3)]
    assert len(notes) == 1 and notes[0]["body"].startswith(MARKER) and "core-stays-pure" in notes[0]["body"]
    second = pr_check(agent_pr, gitlab_env(forge), "--post", "gitlab")
    assert second.returncode == 1
    assert len(forge.notes[("12", 3)]) == 1 and len(forge.calls("PUT", r"/notes/\d+$")) == 1
    assert all(r.headers.get("private-token") == forge.gitlab_token and "authorization" not in r.headers for r in forge.requests)
    assert_secret_kept(first, forge.gitlab_token)
    assert_secret_kept(second, forge.gitlab_token)


def one_line(proc: subprocess.CompletedProcess) -> str:
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


@pytest.mark.parametrize("status, expected", [
    (401, "401 Unauthorized"), (403, "403 Forbidden"), (404, "404 Not Found"), (422, "422 Unprocessable"), (500, "500 Internal Server Error"),
])
def test_each_forge_error_is_one_line_and_exit_2(agent_pr, forge, status, expected):
    forge.fail(status, path=r"/issues/7/comments$", times=10)
    proc = pr_check(agent_pr, github_env(forge, agent_pr, CAIRN_FORGE_RETRIES="1"), "--post", "github", "--format", "json")
    assert proc.returncode == 2
    line = one_line(proc)
    assert line.startswith("error: GitHub answered") and expected in line and "GET /repos/acme/shop/issues/7/comments" in line
    assert json.loads(proc.stdout)["verdict"] == "block"  # the report is still printed
    assert_secret_kept(proc, next(iter(forge.github_tokens)))
    if status == 500:
        assert len(forge.calls("GET", r"/issues/7/comments$")) == 2  # retried once, as CAIRN_FORGE_RETRIES says


def test_a_wrong_token_is_refused_and_never_shown(agent_pr, forge):
    wrong = "ghp_WRONGTOKENabcdef0123456789"
    proc = pr_check(agent_pr, github_env(forge, agent_pr, GITHUB_TOKEN=wrong), "--post", "github")
    assert proc.returncode == 2
    line = one_line(proc)
    assert "401" in line and "GITHUB_TOKEN" in line and "Bad credentials" in line
    assert_secret_kept(proc, wrong)


def test_post_errors_warn_keeps_the_verdicts_exit_code(agent_pr, forge):
    forge.fail(403, method="POST", path=r"/check-runs$")
    proc = pr_check(agent_pr, github_env(forge, agent_pr), "--post", "github", "--post-errors", "warn", "--format", "json")
    assert proc.returncode == 1
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "403" in warnings[0] and "checks: write" in warnings[0]
    assert len([c for c in forge.comments_on(SLUG, 7) if c["body"].startswith(MARKER)]) == 1


def test_rate_limits_are_waited_out_or_reported(agent_pr, forge):
    forge.fail(429, path=r"/issues/7/comments$", headers={"Retry-After": "1"})
    waited = pr_check(agent_pr, github_env(forge, agent_pr), "--post", "github")
    assert waited.returncode == 1, waited.stderr  # retried after a second, then posted
    assert len(forge.calls("GET", r"/issues/7/comments$")) == 2 and len(forge.check_runs) == 1

    forge.fail(429, method="POST", path=r"/check-runs$", times=5, headers={"Retry-After": "1"})
    gave_up = pr_check(agent_pr, github_env(forge, agent_pr, CAIRN_FORGE_RETRIES="1"), "--post", "github")
    assert gave_up.returncode == 2
    line = one_line(gave_up)
    assert "rate limit" in line and "Retry-After: 1" in line and "POST /repos/acme/shop/check-runs" in line

    import time

    reset = str(int(time.time()) + 3600)
    forge.fail(403, path=r"/issues/7/comments$", headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset},
               body={"message": "API rate limit exceeded for installation."})
    hour = pr_check(agent_pr, github_env(forge, agent_pr), "--post", "github")
    assert hour.returncode == 2
    line = one_line(hour)
    assert "rate limit" in line and "try again after" in line and "CAIRN_FORGE_MAX_WAIT" in line


def test_an_unreachable_forge_and_a_missing_environment(agent_pr, forge):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    proc = pr_check(agent_pr, github_env(forge, agent_pr, GITHUB_API_URL=closed, CAIRN_FORGE_RETRIES="0"), "--post", "github")
    assert proc.returncode == 2
    assert "cannot reach GitHub" in one_line(proc)

    env = github_env(forge, agent_pr)
    del env["GITHUB_REPOSITORY"]
    missing = pr_check(agent_pr, env, "--post", "github")
    assert missing.returncode == 2 and "GITHUB_REPOSITORY" in one_line(missing) and missing.stdout == ""
    no_mr = pr_check(agent_pr, gitlab_env(forge, CI_MERGE_REQUEST_IID=""), "--post", "gitlab", "--post-errors", "warn", "--format", "json")
    assert no_mr.returncode == 1 and "CI_MERGE_REQUEST_IID" in one_line(no_mr)
    assert not forge.requests

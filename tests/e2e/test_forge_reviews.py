"""`cairn reviews import --github|--gitlab`: review work from the forge counts as knowledge (real command, local forge)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.forge_server import ForgeServer
from fixtures.gitrepo import GitRepo

CLI = str(Path(sys.executable).parent / "cairn")
ALICE = ("Alice", "alice@example.com")
BOB = ("Bob Builder", "bob@example.com")
SLUG = "acme/shop"
BILLING = ["billing/invoice.py", "billing/tax.py"]


@pytest.fixture()
def alice_alone_knows_billing(tmp_path):
    """Alice wrote both billing files; Bob Builder works on the core. Billing's human truck factor is 1."""
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"cairn.toml": '[components]\ncore = ["core/**"]\nbilling = ["billing/**"]\n',
                 "core/prices.py": "P = 1\n", "core/rates.py": "R = 1\n"}, author=BOB, date="2026-11-01T10:00:00+00:00")
    repo.commit({"billing/invoice.py": "I = 1\n", "billing/tax.py": "T = 2\n"}, author=ALICE, date="2026-11-02T10:00:00+00:00")
    repo.commit({"billing/tax.py": "T = 3\n"}, author=ALICE, date="2026-11-03T10:00:00+00:00")
    store = tmp_path / "store"
    proc = subprocess.run([CLI, "ingest", str(repo.root), "--store", str(store)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return repo, store


def env_for(forge: ForgeServer, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_", "GITLAB_", "CAIRN_"))}
    return {**env, "GITHUB_API_URL": forge.url, "GITHUB_TOKEN": next(iter(forge.github_tokens)), "CI_API_V4_URL": forge.gitlab_url,
            "GITLAB_TOKEN": forge.gitlab_token, **extra}


def cairn(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=300)


def billing(store: Path) -> dict:
    proc = subprocess.run([CLI, "bus-factor", "--store", str(store), "--component", "billing", "--format", "json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["components"][0]


def test_github_reviews_raise_billings_human_truck_factor(alice_alone_knows_billing):
    repo, store = alice_alone_knows_billing
    before = billing(store)
    assert before["human_truck_factor"] == 1 and before["human_truck_factor_people"] == ["Alice"]
    with ForgeServer(page_size=1) as forge:  # one item a page: every list is read through its Link headers
        forge.users["bob"] = {"name": "Bob Builder", "email": None}
        forge.add_pull(SLUG, 5, author="alice", merged_at="2026-11-20T12:00:00Z", updated_at="2026-11-20T12:00:00Z", files=BILLING,
                       reviews=[("bob", "User", "COMMENTED", "2026-11-20T09:00:00Z"), ("bob", "User", "APPROVED", "2026-11-20T10:00:00Z"),
                                ("dependabot[bot]", "Bot", "APPROVED", "2026-11-20T10:00:00Z"),
                                ("devin-ai-integration", "User", "APPROVED", "2026-11-20T10:00:00Z"),  # an agent, by name
                                ("alice", "User", "COMMENTED", "2026-11-20T11:00:00Z"),             # the author herself
                                ("carol", "User", "PENDING", "2026-11-20T11:00:00Z")])
        forge.add_pull(SLUG, 4, author="alice", merged_at=None, updated_at="2026-11-19T12:00:00Z", files=["core/prices.py"],
                       reviews=[("erin", "User", "APPROVED", "2026-11-19T10:00:00Z")])  # closed, never merged
        proc = cairn("reviews", "import", "--github", SLUG, "--store", str(store), "--format", "json", env=env_for(forge))
        assert proc.returncode == 0, proc.stderr
        result = json.loads(proc.stdout)
        assert result["pull_requests"] == 1 and result["reviews"] == 2 and result["unmerged_skipped"] == 1
        assert result["bot_reviews_skipped"] == 1 and result["newest"] == "2026-11-20T12:00:00Z"
        after = billing(store)
        assert after["human_truck_factor"] == 2
        assert sorted(after["human_truck_factor_people"]) == ["Alice", "Bob Builder"]  # the login resolved to the committer
        assert after["truck_factor"] == before["truck_factor"]  # the paper's number counts authorship only
        token = next(iter(forge.github_tokens))
        assert token not in proc.stdout + proc.stderr
        assert all(r.headers.get("authorization") == f"Bearer {token}" for r in forge.requests)
        assert len(forge.calls("GET", r"/pulls$")) == 2  # two closed PRs, one a page

        # Incremental: nothing new is read again; a PR updated later is.
        reads = len(forge.calls("GET", r"/reviews$"))
        again = cairn("reviews", "import", "--github", SLUG, "--store", str(store), "--format", "json", env=env_for(forge))
        assert again.returncode == 0 and json.loads(again.stdout)["pull_requests"] == 0
        assert len(forge.calls("GET", r"/reviews$")) == reads
        forge.add_pull(SLUG, 6, author="bob", merged_at="2026-11-21T12:00:00Z", updated_at="2026-11-21T12:00:00Z",
                       files=["core/prices.py"], reviews=[("alice", "User", "APPROVED", "2026-11-21T10:00:00Z")])
        third = json.loads(cairn("reviews", "import", "--github", SLUG, "--store", str(store), "--format", "json", env=env_for(forge)).stdout)
        assert third["pull_requests"] == 1 and third["accepted"] == 1 and third["total"] == 3
        assert len(forge.calls("GET", r"/pulls/\d+/reviews$")) == reads + 1

        # --since reads again from a date; records already kept count once.
        back = json.loads(cairn("reviews", "import", "--github", SLUG, "--since", "2026-11-01", "--store", str(store), "--format", "json",
                                env=env_for(forge)).stdout)
        assert back["pull_requests"] == 2 and back["accepted"] == 0 and back["duplicates"] == 3

    # Kept beside the graph: a re-ingest applies them again.
    assert subprocess.run([CLI, "ingest", str(repo.root), "--store", str(store)], capture_output=True).returncode == 0
    assert billing(store)["human_truck_factor"] == 2


def test_gitlab_approvals_and_notes_count(alice_alone_knows_billing):
    _, store = alice_alone_knows_billing
    bob = {"username": "bob", "name": "Bob Builder"}
    with ForgeServer(page_size=2) as forge:
        forge.gitlab_has_diffs = False  # an older GitLab: the changes endpoint
        forge.add_merge_request("acme/shop", 9, author="alice", merged_at="2026-11-20T12:00:00Z", updated_at="2026-11-20T12:00:00Z",
                                files=BILLING, approvers=[bob, {"username": "project_12_bot_0a1b", "name": "ci token"}],
                                notes=[({"username": "carol", "name": "Carol"}, "2026-11-20T09:00:00Z", True),   # a system note
                                       ({"username": "renovate-bot", "name": "Renovate Bot"}, "2026-11-20T09:00:00Z", False)])
        proc = cairn("reviews", "import", "--gitlab", "acme/shop", "--store", str(store), "--format", "json", env=env_for(forge))
        assert proc.returncode == 0, proc.stderr
        result = json.loads(proc.stdout)
        assert result["pull_requests"] == 1 and result["source"] == "gitlab:acme/shop"
        assert result["reviews"] == 2 and result["bot_reviews_skipped"] == 1  # the token user; renovate-bot is dropped by name later
        assert billing(store)["human_truck_factor"] == 2
        assert all(r.headers.get("private-token") == forge.gitlab_token for r in forge.requests)
        assert forge.calls("GET", r"/merge_requests/9/changes$")


def test_import_errors_are_one_line(alice_alone_knows_billing, tmp_path):
    _, store = alice_alone_knows_billing
    with ForgeServer() as forge:
        forge.fail(404, path=r"/pulls$")
        proc = cairn("reviews", "import", "--github", "acme/nope", "--store", str(store), env=env_for(forge))
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1
        assert "404" in proc.stderr and "GET /repos/acme/nope/pulls" in proc.stderr
        bad = cairn("reviews", "import", "--github", "not a slug", "--store", str(store), env=env_for(forge))
        assert bad.returncode == 2 and "OWNER/REPO" in bad.stderr
        both = cairn("reviews", "import", "--store", str(store), env=env_for(forge))
        assert both.returncode == 2 and "exactly one" in both.stderr
        since = cairn("reviews", "import", "--github", SLUG, "--since", "last tuesday", "--store", str(store), env=env_for(forge))
        assert since.returncode == 2 and "--since" in since.stderr
        assert billing(store)["human_truck_factor"] == 1

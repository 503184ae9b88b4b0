"""The README's GitHub workflow and .gitlab-ci.yml are complete files that work: parsed, and the GitLab job's script run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from fixtures.forge_server import ForgeServer
from fixtures.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- cairn-pr-check -->"


def yaml_blocks() -> list[dict]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def workflow() -> dict:
    (found,) = [b for b in yaml_blocks() if isinstance(b, dict) and "jobs" in b]
    return found


def gitlab_ci() -> dict:
    (found,) = [b for b in yaml_blocks() if isinstance(b, dict) and "stages" in b]
    return found


def test_the_workflow_is_complete():
    flow = workflow()
    triggers = flow.get(True, flow.get("on"))  # PyYAML (YAML 1.1) reads the key `on` as True
    assert "pull_request" in triggers
    assert flow["permissions"] == {"contents": "read", "pull-requests": "write", "checks": "write"}
    (job,) = flow["jobs"].values()
    checkout, cairn = job["steps"]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert cairn["uses"].endswith("/cairn@v1") and set(cairn["with"]) <= set(action["inputs"])


def test_the_gitlab_job_runs_and_posts_one_note(tmp_path):
    job = gitlab_ci()["cairn"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert job["variables"]["GIT_DEPTH"] == "0"

    # GitLab's side: the project with its target branch; the runner's checkout: the MR's source branch.
    upstream = GitRepo(tmp_path / "upstream")
    upstream.commit({"cairn.toml": '[components]\ncore = ["core/**"]\napi = ["api/**"]\n\n[[rules]]\nid = "core-stays-pure"\n'
                     'kind = "forbidden"\nseverity = "block"\nfrom = ["core"]\nto = ["api"]\n',
                     "core/__init__.py": "", "core/rules.py": "R = 1\n", "api/__init__.py": "", "api/routes.py": "X = 1\n"})
    base = upstream.head()
    upstream.git("checkout", "-q", "-b", "feature")
    head = upstream.commit({"core/rules.py": "R = 1\nfrom api.routes import X\n"})
    upstream.git("checkout", "-q", "main")
    build = tmp_path / "builds" / "acme" / "shop"
    upstream.git("clone", "-q", "--no-local", "--branch", "feature", str(upstream.root), str(build))
    subprocess.run(["git", "-C", str(build), "branch", "-q", "-D", "main"], capture_output=True)  # the runner fetched the MR only

    with ForgeServer() as forge:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_", "GITLAB_", "CAIRN_"))}
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")  # Cairn is installed here already
        env.update({k: str(v) for k, v in job["variables"].items()})
        env.update({"CI_PIPELINE_SOURCE": "merge_request_event", "CI_API_V4_URL": forge.gitlab_url, "CI_PROJECT_ID": "12",
                    "CI_PROJECT_NAME": "shop", "CI_MERGE_REQUEST_IID": "3", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
                    "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_COMMIT_SHA": head, "GITLAB_TOKEN": forge.gitlab_token})
        ran = []
        for line in job["script"]:
            if line.startswith("pip install"):
                assert "cairn" in line
                continue
            proc = subprocess.run(["bash", "-c", line], cwd=build, env=env, capture_output=True, text=True, timeout=300)
            ran.append(proc)
            if proc.returncode:
                break
        *setup, check = ran
        assert all(p.returncode == 0 for p in setup), [p.stderr for p in setup]
        assert check.returncode == 1, check.stderr  # blocking: the job fails, as the verdict says
        assert forge.gitlab_token not in check.stdout + check.stderr
        report = json.loads((build / "gl-code-quality-report.json").read_text())
        assert any(i["check_name"] == "core-stays-pure" and i["location"]["path"] == "core/rules.py" for i in report)
        (note,) = forge.notes[("12", 3)]
        assert note["body"].startswith(MARKER) and "core-stays-pure" in note["body"]
        assert (build / ".cairn-store" / "cairn.db").is_file()  # what the job's cache keeps

"""action.yml: valid action metadata, and its shell steps run for real (bash, the Actions environment, a local GitHub)."""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from fixtures.actions_runner import run_composite
from fixtures.agent_pr import commit_agent_change, commit_shop
from fixtures.forge_server import ForgeServer
from fixtures.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
MARKER = "<!-- cairn-pr-check -->"

_STEP_COMMON = {
    "name": {"type": "string"}, "id": {"type": "string", "pattern": "^[_a-zA-Z][a-zA-Z0-9_-]*$"}, "if": {"type": ["string", "boolean"]},
    "env": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
    "continue-on-error": {"type": ["boolean", "string"]}, "working-directory": {"type": "string"},
}
#: The action metadata syntax (docs.github.com, "Metadata syntax for GitHub Actions") for composite actions,
#: as a JSON schema: what GitHub refuses to load.
ACTION_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["name", "description", "runs"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "author": {"type": "string"},
        "description": {"type": "string", "minLength": 1},
        "inputs": {
            "type": "object", "additionalProperties": False,
            "patternProperties": {"^[_a-zA-Z][a-zA-Z0-9_-]*$": {
                "type": "object", "required": ["description"], "additionalProperties": False,
                "properties": {"description": {"type": "string", "minLength": 1}, "required": {"type": "boolean"},
                               "default": {"type": "string"}, "deprecationMessage": {"type": "string"}},
            }},
        },
        "outputs": {
            "type": "object", "additionalProperties": False,
            "patternProperties": {"^[_a-zA-Z][a-zA-Z0-9_-]*$": {
                "type": "object", "required": ["description", "value"], "additionalProperties": False,
                "properties": {"description": {"type": "string", "minLength": 1}, "value": {"type": "string"}},
            }},
        },
        "runs": {
            "type": "object", "required": ["using", "steps"], "additionalProperties": False,
            "properties": {
                "using": {"const": "composite"},
                "steps": {"type": "array", "minItems": 1, "items": {"oneOf": [
                    {"type": "object", "required": ["run", "shell"], "additionalProperties": False,
                     "properties": {**_STEP_COMMON, "run": {"type": "string"}, "shell": {"type": "string"}}},
                    {"type": "object", "required": ["uses"], "additionalProperties": False,
                     "properties": {**_STEP_COMMON, "uses": {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+$"},
                                    "with": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}}}},
                ]}},
            },
        },
        "branding": {
            "type": "object", "additionalProperties": False,
            "properties": {"icon": {"type": "string"},
                           "color": {"enum": ["white", "black", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"]}},
        },
    },
}


def load_action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_action_yml_is_valid_composite_action_metadata():
    action = load_action()
    jsonschema.Draft7Validator.check_schema(ACTION_SCHEMA)
    jsonschema.validate(action, ACTION_SCHEMA)
    assert set(action["inputs"]) >= {"fail-on", "format", "config", "store"}
    assert action["runs"]["using"] == "composite"
    uses = [s["uses"].split("@")[0] for s in action["runs"]["steps"] if "uses" in s]
    assert "actions/cache" in uses

    broken = copy.deepcopy(action)  # the schema has teeth: each of these is refused
    del next(s for s in broken["runs"]["steps"] if "run" in s)["shell"]
    no_description = copy.deepcopy(action)
    del no_description["inputs"]["fail-on"]["description"]
    node = copy.deepcopy(action)
    node["runs"]["using"] = "node20"
    for bad in (broken, no_description, node, {k: v for k, v in action.items() if k != "description"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, ACTION_SCHEMA)



@pytest.fixture()
def pull_request(tmp_path):
    """The checkout actions/checkout leaves (the whole history, the PR's head checked out) and its pull_request event."""
    repo = GitRepo(tmp_path / "workspace")
    base = commit_shop(repo)
    head = commit_agent_change(repo)
    repo.git("checkout", "-q", "--detach", head)
    event = {"action": "synchronize", "number": 7, "pull_request": {
        "number": 7, "body": "", "user": {"login": "bob"}, "base": {"sha": base, "ref": "main"}, "head": {"sha": head, "ref": "agent-change"}}}
    event_path = tmp_path / "event.json"
    event_path.write_text(json.dumps(event))
    runner_temp = tmp_path / "runner_temp"
    runner_temp.mkdir()
    return {"repo": repo, "base": base, "head": head, "event": event, "event_path": event_path, "temp": runner_temp}


def run_action(pr: dict, forge: ForgeServer, cache_hit: bool = False, **inputs: str):
    token = next(iter(forge.github_tokens))
    venv_bin = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CAIRN_", "RUNNER_", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p and Path(p) != Path(venv_bin))
    env.update({"GITHUB_API_URL": forge.url, "GITHUB_REPOSITORY": "acme/shop", "GITHUB_EVENT_NAME": "pull_request",
                "GITHUB_EVENT_PATH": str(pr["event_path"]), "GITHUB_SHA": pr["head"]})
    github = {"event": pr["event"], "repository": "acme/shop", "token": token, "event_name": "pull_request", "sha": pr["head"]}
    # A re-run on the same base finds the store the first run saved: actions/cache answers cache-hit, and the ingest is skipped.
    restored = {"actions/cache": {"cache-hit": "true"}} if cache_hit else None
    run = run_composite(ACTION, inputs=inputs, github=github, runner_temp=pr["temp"], env=env, workspace=pr["repo"].root,
                        uses_outputs=restored)
    for step in run.steps:
        assert token not in step.stdout and token not in step.stderr, step.name
    return run


def test_the_action_checks_and_posts_a_blocking_agent_pr(pull_request):
    pr = pull_request
    with ForgeServer() as forge:
        first = run_action(pr, forge)
        check = first.step("Check the pull request")
        assert [s.kind for s in first.steps] == ["run", "uses", "run", "uses", "run", "run"], [(s.name, s.stderr[-500:]) for s in first.steps]
        assert all(s.returncode == 0 for s in first.steps[:-1]), [(s.name, s.stderr[-2000:]) for s in first.steps]
        assert check.returncode == 1, check.stderr  # fail-on: block, and the verdict is block
        assert "::error::Cairn's verdict is block (fail-on: block)" in check.stdout
        assert first.outputs["verdict"] == "block" and first.outputs["comment-url"]
        report = Path(first.outputs["report"])
        assert report.read_text().startswith(MARKER)
        assert MARKER in (pr["temp"] / "_runner_files" / "step_summary.md").read_text()

        cache = first.step("Restore the store")
        store = str(pr["temp"] / "cairn-store")
        assert cache.uses.startswith("actions/cache@") and cache.with_["path"] == store
        assert cache.with_["key"] == f"cairn-store-Linux-{pr['base']}"  # keyed by the base commit
        assert (Path(store) / "cairn.db").is_file()
        assert first.step("Set up Python").uses.startswith("actions/setup-python@")

        (comment,) = forge.comments_on("acme/shop", 7)
        assert comment["body"].startswith(MARKER) and "core-stays-pure" in comment["body"]
        (run,) = forge.check_runs
        assert run["head_sha"] == pr["head"] and run["conclusion"] == "failure"
        assert any(n["path"] == "shop/core/rules.py" and n["start_line"] == 2 for n in run["output"]["annotations"])

        second = run_action(pr, forge, cache_hit=True, **{"fail-on": "never", "format": "json"})
        assert second.returncode == 0, [(s.name, s.stderr[-2000:]) for s in second.steps]
        assert "already installed" in second.step("Install Cairn").stdout
        assert "restored from the cache" in second.step("Ingest the base").stdout
        assert json.loads(Path(second.outputs["report"]).read_text())["verdict"] == "block"
        assert len(forge.comments_on("acme/shop", 7)) == 1 and len(forge.check_runs) == 2  # the comment was updated in place

        warn = run_action(pr, forge, cache_hit=True, **{"fail-on": "warn", "format": "sarif"})
        assert warn.step("Check the pull request").returncode == 1
        assert json.loads(Path(warn.outputs["report"]).read_text())["version"] == "2.1.0"

        bad = run_action(pr, forge, **{"fail-on": "sometimes"})
        assert bad.steps[0].returncode == 2 and "fail-on must be block, warn or never" in bad.steps[0].stdout
        assert all(s.kind == "skipped" for s in bad.steps[1:])

        forge.fail(403, method="POST", path=r"/check-runs$", times=2)
        refused = run_action(pr, forge, cache_hit=True, **{"fail-on": "never"})
        assert refused.step("Check the pull request").returncode == 2  # post-errors: fail
        tolerant = run_action(pr, forge, cache_hit=True, **{"fail-on": "never", "post-errors": "warn"})
        assert tolerant.step("Check the pull request").returncode == 0
        assert "warning:" in tolerant.step("Check the pull request").stderr


def test_a_shallow_checkout_is_refused_with_one_line(pull_request, tmp_path):
    pr = pull_request
    shallow = tmp_path / "shallow"
    GitRepo(shallow, init=False).git("clone", "-q", "--depth", "1", f"file://{pr['repo'].root}", str(shallow))
    with ForgeServer() as forge:
        venv = pr["temp"] / "cairn-venv" / "bin"
        venv.mkdir(parents=True)  # a stand-in "installed" Cairn: this run must stop before it is used
        (venv / "cairn").write_text("#!/bin/sh\nexit 99\n")
        (venv / "cairn").chmod(0o755)
        run = run_composite(ACTION, inputs={}, github={"event": pr["event"], "repository": "acme/shop", "token": "t"},
                            runner_temp=pr["temp"], env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)}, workspace=shallow)
        ingest = run.step("Ingest the base")
        assert ingest.returncode == 2 and "fetch-depth: 0" in ingest.stdout
        assert run.step("Check the pull request").kind == "skipped" and not forge.requests

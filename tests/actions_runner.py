"""Run a composite action's steps the way the GitHub Actions runner does, for the steps that are shell.

``run_composite(action, inputs, context, env)`` reads ``action.yml`` (PyYAML),
evaluates ``${{ … }}`` expressions in ``env``, ``with`` and ``if`` against the
``inputs``, ``github``, ``runner`` and ``steps`` contexts, and runs each
``run:`` step with its ``shell`` (bash) and the runner's files: a fresh
``GITHUB_OUTPUT`` per step (parsed into ``steps.<id>.outputs``, multi-line
``name<<DELIM`` values included), ``GITHUB_ENV``, ``GITHUB_PATH`` (prepended to
``PATH`` for later steps) and ``GITHUB_STEP_SUMMARY``. ``uses:`` steps cannot
run here: they are recorded with their evaluated ``with`` and produce no
outputs. Like the runner, the first failing step stops the rest.

The expression language covers what actions need for wiring: context paths
(``inputs.fail-on``, ``github.event.pull_request.base.sha``), string literals,
``==``, ``!=``, ``&&``, ``||``, ``!`` and parentheses. Anything else is an
error, so an expression this runner does not understand fails the test.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
TOKEN = re.compile(r"\s*(?:(==|!=|&&|\|\||!|\(|\))|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_.\-]*))")


class ExpressionError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExpressionError(f"cannot parse {text!r} at {text[pos:]!r}")
        op, literal, name = m.groups()
        out.append(("op", op) if op else ("str", literal.replace("''", "'")) if literal is not None else ("name", name))
        pos = m.end()
    return out


def evaluate(text: str, contexts: dict[str, Any]) -> Any:
    tokens = _tokens(text)
    pos = 0

    def peek() -> tuple[str, str] | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def lookup(path: str) -> Any:
        if path in ("true", "false"):
            return path == "true"
        if path == "null":
            return None
        head, *rest = path.split(".")
        if head not in contexts:
            raise ExpressionError(f"unknown context {head!r} in {text!r}")
        value = contexts[head]
        for part in rest:
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def primary() -> Any:
        kind, value = take()
        if kind == "op" and value == "!":
            return not truthy(primary())
        if kind == "op" and value == "(":
            inner = disjunction()
            if take() != ("op", ")"):
                raise ExpressionError(f"missing ) in {text!r}")
            return inner
        if kind == "str":
            return value
        if kind == "name":
            return lookup(value)
        raise ExpressionError(f"unexpected {value!r} in {text!r}")

    def comparison() -> Any:
        left = primary()
        while peek() in (("op", "=="), ("op", "!=")):
            op = take()[1]
            right = primary()
            equal = str(left if left is not None else "").lower() == str(right if right is not None else "").lower()
            left = equal if op == "==" else not equal
        return left

    def conjunction() -> Any:
        left = comparison()
        while peek() == ("op", "&&"):
            take()
            right = comparison()
            left = right if truthy(left) else left
        return left

    def disjunction() -> Any:
        left = conjunction()
        while peek() == ("op", "||"):
            take()
            right = conjunction()
            left = left if truthy(left) else right
        return left

    result = disjunction()
    if pos != len(tokens):
        raise ExpressionError(f"trailing tokens in {text!r}")
    return result


def truthy(value: Any) -> bool:
    return value not in (None, False, "", 0)


def interpolate(text: Any, contexts: dict[str, Any]) -> str:
    def one(m: re.Match[str]) -> str:
        value = evaluate(m.group(1), contexts)
        return "" if value is None else ("true" if value is True else "false" if value is False else str(value))

    return EXPRESSION.sub(one, str(text))


def condition(text: Any, contexts: dict[str, Any]) -> bool:
    if text is None:
        return True
    raw = str(text).strip()
    m = EXPRESSION.fullmatch(raw)
    return truthy(evaluate(m.group(1) if m else raw, contexts))


@dataclass
class StepResult:
    name: str
    kind: str              # "run", "uses" or "skipped"
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    uses: str | None = None
    with_: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class ActionRun:
    steps: list[StepResult]
    outputs: dict[str, str]
    step_outputs: dict[str, dict[str, str]]

    @property
    def returncode(self) -> int:
        failed = [s for s in self.steps if s.returncode != 0]
        return failed[0].returncode if failed else 0

    def step(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.name == name)


def parse_output_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            i += 1
            while i < len(lines) and lines[i] != delimiter:
                body.append(lines[i])
                i += 1
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        i += 1
    return values


def run_composite(action_file: Path, *, inputs: dict[str, str], github: dict[str, Any], runner_temp: Path,
                  env: dict[str, str], workspace: Path) -> ActionRun:
    action = yaml.safe_load(action_file.read_text(encoding="utf-8"))
    values = {name: str(spec.get("default", "")) for name, spec in (action.get("inputs") or {}).items()}
    for name, value in inputs.items():
        if name not in values:
            raise ExpressionError(f"the action has no input {name!r}")
        values[name] = value
    files = runner_temp / "_runner_files"
    files.mkdir(parents=True, exist_ok=True)
    summary, path_file, env_file = files / "step_summary.md", files / "path", files / "env"
    for f in (summary, path_file, env_file):
        f.touch()
    runner = {"os": "Linux", "temp": str(runner_temp), "arch": "X64"}
    contexts: dict[str, Any] = {"github": github, "runner": runner, "steps": {}, "env": {}}
    # Input defaults may themselves be expressions (``${{ github.token }}``).
    contexts["inputs"] = {k: interpolate(v, contexts) for k, v in values.items()}
    results: list[StepResult] = []
    step_outputs: dict[str, dict[str, str]] = {}
    extra_path: list[str] = []
    job_env: dict[str, str] = {}
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name") or step.get("uses") or f"step {index}"
        sid = step.get("id") or f"__{index}"
        contexts["steps"] = {k: {"outputs": v, "outcome": "success", "conclusion": "success"} for k, v in step_outputs.items()}
        if any(r.returncode for r in results) or not condition(step.get("if"), contexts):
            results.append(StepResult(name, "skipped"))
            continue
        if "uses" in step:
            results.append(StepResult(name, "uses", uses=step["uses"],
                                      with_={k: interpolate(v, contexts) for k, v in (step.get("with") or {}).items()}))
            step_outputs[sid] = {}
            continue
        if step.get("shell") != "bash":
            raise ExpressionError(f"step {name!r}: only bash steps can run here (shell: {step.get('shell')!r})")
        output_file = files / f"output_{index}"
        output_file.write_text("")
        step_env = {k: interpolate(v, contexts) for k, v in (step.get("env") or {}).items()}
        full_env = {**env, **job_env,
                    "GITHUB_OUTPUT": str(output_file), "GITHUB_ENV": str(env_file), "GITHUB_PATH": str(path_file),
                    "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTION_PATH": str(action_file.parent),
                    "GITHUB_WORKSPACE": str(workspace), "RUNNER_TEMP": str(runner_temp), "RUNNER_OS": runner["os"],
                    "GITHUB_ACTIONS": "true", "CI": "true", **step_env}
        full_env["PATH"] = os.pathsep.join([*reversed(extra_path), env.get("PATH", os.defpath)])
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]], cwd=workspace,
                              env=full_env, capture_output=True, text=True, timeout=900)
        results.append(StepResult(name, "run", proc.returncode, proc.stdout, proc.stderr, env=step_env))
        step_outputs[sid] = parse_output_file(output_file)
        extra_path = [line for line in path_file.read_text().splitlines() if line.strip()]
        job_env = parse_output_file(env_file)
    contexts["steps"] = {k: {"outputs": v} for k, v in step_outputs.items()}
    outputs = {name: interpolate(spec.get("value", ""), contexts) for name, spec in (action.get("outputs") or {}).items()}
    return ActionRun(results, outputs, step_outputs)

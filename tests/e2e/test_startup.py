"""What the CLI imports to start: a query on the embedded store loads no web, Neo4j, graph-algorithm or parser library.

Each command runs the way a person runs it — the installed ``cairn`` script in
a subprocess, on a store ``cairn ingest`` made — under ``python -X importtime``,
which writes every module the process imports to stderr, those imported inside
functions included. So the test reads what was imported, never how long it
took (the speed is measured by ``bench/startup.py``). ``cairn path``, which
does need networkx, shows that a library imported inside a function is seen.

``cairn COMMAND`` runs an app holding that command only (``cli.app_for``): it
must answer exactly as the whole app does, help, usage errors and results alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.gitrepo import GitRepo

CLI = str(Path(sys.executable).parent / "cairn")
ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")

#: Libraries only ingest, the PR check, some analyses, ``cairn serve`` or ``cairn mcp`` need.
HEAVY = ("networkx", "fastapi", "starlette", "uvicorn", "neo4j", "httpx", "tree_sitter", "mcp", "grimp", "yaml", "json5",
         "markdown_it", "jwt", "cairn.ingest", "cairn.graph.neo4j_store", "cairn.api.app", "cairn.api.mcp")
#: What ``--help`` needs besides: nothing that opens or reads a store.
NOT_FOR_HELP = ("cairn.api.services", "cairn.queries", "cairn.graph.sqlite_store", "sqlite3", "pydantic")
#: typer's help renderer draws its panels with rich, which renders Markdown.
HELP_RENDERER = ("markdown_it",)

CAIRN_TOML = """\
[components]
core = ["src/shop/core/**"]
web = ["src/shop/web/**"]

[[rules]]
id = "core-not-web"
kind = "forbidden"
from = ["core"]
to = ["web"]

[[rules]]
id = "web-above-core"
kind = "layers"
layers = ["web", "core"]
"""

ADR = """\
# 1. Core stands alone

Date: 2024-03-01

## Status

Accepted

## Decision

Core imports nothing of web.
"""

QUERIES = [
    ["bus-factor"], ["bus-factor", "--format", "json"], ["components"], ["components", "--format", "json"],
    ["check"], ["check", "--format", "json"], ["adrs"], ["people"], ["people", "--format", "json"],
    ["explore", "core"], ["explore", "core", "--format", "json"], ["deps"], ["search", "core"],
    ["coupling"], ["hotspots"], ["agents"],
]


def imports(*args: str, cwd: Path | None = None) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run ``cairn ARGS`` under ``-X importtime``: the finished process and every module it imported."""
    env = {k: v for k, v in os.environ.items() if k not in ("CAIRN_STORE", "CAIRN_DEBUG")}
    proc = subprocess.run([sys.executable, "-X", "importtime", CLI, *args], capture_output=True, text=True, cwd=cwd,
                          env={**env, "COLUMNS": "120"}, timeout=300)
    modules = {line.split("|")[2].strip() for line in proc.stderr.splitlines()
               if line.startswith("import time:") and line.count("|") == 2 and "imported package" not in line}
    return proc, modules


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The ``packages`` (or their submodules; ``tree_sitter`` also its grammars) among ``modules``."""
    return sorted(p for p in packages
                  if any(m == p or m.startswith(p + ".") or (p == "tree_sitter" and m.startswith("tree_sitter")) for m in modules))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("startup") / "shop"
    repo = GitRepo(root)
    repo.commit({"cairn.toml": CAIRN_TOML, "docs/adr/0001-core-stands-alone.md": ADR,
                 "src/shop/__init__.py": "", "src/shop/core/__init__.py": "", "src/shop/web/__init__.py": "",
                 "src/shop/core/models.py": "import json\n\n\nclass Order:\n    pass\n"},
                message="core", author=ADA, date="2024-01-01T10:00:00+00:00")
    repo.commit({"src/shop/web/views.py": "from shop.core import models\nimport requests\n"},
                message="views", author=BOB, date="2024-02-01T10:00:00+00:00")
    repo.commit({"src/shop/core/models.py": "import json\n\n\nclass Order:\n    total = 0\n"},
                message="total", author=BOB, date="2024-03-01T10:00:00+00:00")
    location = str(root / ".cairn")
    proc = subprocess.run([CLI, "ingest", str(root), "--store", location, "--format", "json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return location


def test_help_imports_no_store_service_analysis_or_heavy_library():
    proc, modules = imports("--help")
    assert proc.returncode == 0 and "bus-factor" in proc.stdout
    assert "cairn.api.cli" in modules and "cairn.api.commands.ownership" in modules  # the list was read
    assert loaded(modules, tuple(h for h in HEAVY if h not in HELP_RENDERER) + NOT_FOR_HELP) == []
    proc, modules = imports("bus-factor", "--help")
    assert proc.returncode == 0 and "--leaving" in proc.stdout
    # typer checks a command's parameters with pydantic before it shows the command's help
    assert loaded(modules, tuple(h for h in HEAVY if h not in HELP_RENDERER) + NOT_FOR_HELP) in ([], ["pydantic"])


@pytest.mark.parametrize("args", QUERIES, ids=" ".join)
def test_a_query_on_the_embedded_store_imports_only_what_it_runs(store, args):
    proc, modules = imports(*args, "--store", store)
    assert proc.returncode in ((0, 1) if args[0] == "check" else (0,)), proc.stderr[-2000:]
    assert proc.stdout.strip()
    if "json" in args:
        json.loads(proc.stdout)
    assert "cairn.graph.sqlite_store" in modules  # the store was read, by this process
    assert loaded(modules, HEAVY) == []


def test_a_library_imported_inside_the_command_is_seen(store):
    proc, modules = imports("path", "web", "core", "--store", store, "--format", "json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["found"] is True
    assert loaded(modules, HEAVY) == ["networkx"]  # shortest paths need it, and only they


WHOLE_APP = "import sys; sys.argv[0] = 'cairn'; from cairn.api.cli import app; from cairn.api.common import run_app; run_app(app)"


@pytest.mark.parametrize("args", [
    ["bus-factor", "--help"], ["explore", "--help"], ["bus-factor", "--nope"], ["explore"], ["people", "extra"],
    ["hotspots", "--limit", "0"], ["trends", "--period", "week"], ["check", "--baseline"], ["pr-check", "--base", "main"],
    ["components", "--format", "sarif"], ["bus-factor", "--format", "json"], ["check"], ["explore", "core"],
], ids=" ".join)
def test_one_command_answers_as_the_whole_app(store, args):
    env = {**{k: v for k, v in os.environ.items() if k not in ("CAIRN_STORE", "CAIRN_DEBUG")}, "COLUMNS": "100"}
    if not any(a.startswith("--help") for a in args) and args[0] != "pr-check":
        args = [*args, "--store", store]
    one = subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=300)
    whole = subprocess.run([sys.executable, "-c", WHOLE_APP, *args], capture_output=True, text=True, env=env, timeout=300)
    assert (one.returncode, one.stdout, one.stderr) == (whole.returncode, whole.stdout, whole.stderr)
    assert one.stdout or one.stderr


def test_only_a_command_name_picks_one_command():
    from cairn.api.cli import app, app_for

    assert [c.name for c in app_for(["bus-factor", "--format", "json"]).registered_commands] == ["bus-factor"]
    for args in ([], ["--help"], ["buss-factor"], ["reviews", "import"], ["--store", "x", "bus-factor"]):
        assert app_for(args) is app

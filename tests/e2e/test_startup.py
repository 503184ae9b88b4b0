"""What the CLI imports to start: a query on the embedded store loads no web, Neo4j, graph-algorithm, parser or CLI library.

Each command runs the way a person runs it — the installed ``cairn`` script in
a subprocess, on a store ``cairn ingest`` made — under ``python -X importtime``,
which writes every module the process imports to stderr, those imported inside
functions included. So the test reads what was imported, never how long it
took (the speed is measured by ``bench/startup.py``). ``cairn path``, which
does need networkx, shows that a library imported inside a function is seen.

The CLI is argparse and ``render.console``/``text_table`` (the standard
library): typer (which imports pydantic to coerce parameters), click and rich
cost more than a query may take in all, and must not come back on a query's
path (``CLI_LIBRARIES``); only ``cairn ingest`` (its progress bar) and
``cairn serve`` use rich.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pty
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
#: CLI frameworks and what they bring: each alone takes longer to import than ``python -c pass`` (``bench/startup.py``).
CLI_LIBRARIES = ("typer", "click", "pydantic", "pydantic_core", "annotated_types", "rich", "shellingham")
#: Queries whose own results are pydantic models (``graph.changes`` for the change analyses): pydantic comes with
#: them, never with the CLI. Every other query must not import it (the boundary check's ``Finding`` is a dataclass).
PYDANTIC_RESULTS = {"coupling": ("graph.changes",), "hotspots": ("graph.changes",), "agents": ("graph.changes",)}
PYDANTIC = ("pydantic", "pydantic_core", "annotated_types")
#: What ``--help`` needs besides: nothing that opens or reads a store.
NOT_FOR_HELP = ("cairn.api.services", "cairn.queries", "cairn.graph.sqlite_store", "sqlite3")

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
    ["coupling"], ["hotspots"], ["agents"], ["who-knows", "src/shop/core"], ["who-knows", ".", "--format", "json"],
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
    assert loaded(modules, HEAVY + CLI_LIBRARIES + NOT_FOR_HELP) == []
    proc, modules = imports("bus-factor", "--help")
    assert proc.returncode == 0 and "--leaving" in proc.stdout
    assert loaded(modules, HEAVY + CLI_LIBRARIES + NOT_FOR_HELP) == []


@pytest.mark.parametrize("args", QUERIES, ids=" ".join)
def test_a_query_on_the_embedded_store_imports_only_what_it_runs(store, args):
    proc, modules = imports(*args, "--store", store)
    assert proc.returncode in ((0, 1) if args[0] == "check" else (0,)), proc.stderr[-2000:]
    assert proc.stdout.strip()
    if "json" in args:
        json.loads(proc.stdout)
    assert "cairn.graph.sqlite_store" in modules  # the store was read, by this process
    if args[0] in PYDANTIC_RESULTS:
        assert all("cairn." + m in modules for m in PYDANTIC_RESULTS[args[0]])
        assert loaded(modules, HEAVY + tuple(c for c in CLI_LIBRARIES if c not in PYDANTIC)) == []
    else:
        assert loaded(modules, HEAVY + CLI_LIBRARIES) == []


#: hashlib (OpenSSL, 2 ms to load), where the interpreter has CPython's own SHA-256 (the same digests) to use instead.
HASHLIB = ("hashlib",) if importlib.util.find_spec("_sha256") or importlib.util.find_spec("_sha2") else ()

#: What a query does without although it reads a module beside it: the decision records need ``queries.explore.common``,
#: not the card or the paths (``queries.explore`` loads its parts when asked); a card needs no paths; check's JSON
#: hashes its fingerprints with CPython's own SHA-256, not OpenSSL's (``hashlib``), where the interpreter has it.
NOT_IMPORTED = [(["adrs"], ("cairn.queries.explore.card", "cairn.queries.explore.paths")),
                (["adrs", "--format", "json"], ("cairn.queries.explore.card", "cairn.queries.explore.paths")),
                (["explore", "core", "--format", "json"], ("cairn.queries.explore.paths", "cairn.queries.explore.reading")),
                (["check", "--format", "json"], HASHLIB)]


@pytest.mark.parametrize(("args", "modules"), NOT_IMPORTED, ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_a_query_does_without_the_modules_beside_what_it_reads(store, args, modules):
    proc, imported = imports(*args, "--store", store)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "cairn.queries.explore.common" in imported or args[0] == "check"  # the module beside them was read
    assert sorted(m for m in modules if m in imported) == []


def test_the_explore_package_names_its_functions_however_its_modules_were_loaded():
    code = ("import cairn.queries.explore.reading, cairn.queries.explore.paths\n"
            "from cairn.queries.explore import central_modules, component_card, reading_list, search, shortest_path\n"
            "print(all(callable(f) and f.__module__.startswith('cairn.queries.explore.') for f in "
            "(central_modules, component_card, reading_list, search, shortest_path)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True"]


def test_a_library_imported_inside_the_command_is_seen(store):
    proc, modules = imports("path", "web", "core", "--store", store, "--format", "json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["found"] is True
    assert loaded(modules, HEAVY + CLI_LIBRARIES) == ["networkx"]  # shortest paths need it, and only they


def test_ingest_imports_rich_only_to_draw_its_progress_bar(store, tmp_path):
    """The other side of ``CLI_LIBRARIES``: the check sees rich where a command does import it. An ingest draws its
    progress bar with rich when its stderr is a terminal, and does not import rich when it is not."""
    proc, modules = imports("ingest", str(Path(store).parent), "--store", str(tmp_path / "s"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert loaded(modules, ("rich", "typer", "pydantic")) == ["pydantic"]  # ingest reads cairn.toml with it
    master, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CAIRN_STORE", "CAIRN_DEBUG")}
    proc = subprocess.Popen([sys.executable, "-X", "importtime", CLI, "ingest", str(Path(store).parent), "--store",
                             str(tmp_path / "t")], stdout=subprocess.DEVNULL, stderr=terminal, env={**env, "TERM": "xterm"})
    os.close(terminal)
    seen = bytearray()
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the process closed its end
            break
        if not data:
            break
        seen += data
    os.close(master)
    assert proc.wait(timeout=300) == 0, seen[-2000:]
    modules = {line.split("|")[2].strip() for line in seen.decode(errors="replace").splitlines()
               if line.startswith("import time:") and line.count("|") == 2}
    assert "rich.progress" in modules


#: The steps of an ingest (and what reading decision records needs): an ingest that finds nothing changed runs none
#: of them, so imports none.
INGEST_STEPS = ("cairn.ingest.pipeline", "cairn.ingest.history", "cairn.ingest.cochange", "cairn.ingest.code.extract",
                "cairn.ingest.code_graph", "cairn.ingest.knowledge", "cairn.api.services.answers", "tree_sitter",
                "cairn.ingest.adrs.formats", "yaml")


def test_an_ingest_that_finds_nothing_changed_imports_no_ingest_step(store, tmp_path):
    root = str(Path(store).parent)
    first, modules = imports("ingest", root, "--store", str(tmp_path / "s"), "--format", "json")
    assert first.returncode == 0, first.stderr[-2000:]
    assert loaded(modules, INGEST_STEPS) == sorted(INGEST_STEPS)  # the check sees them where they run
    again, modules = imports("ingest", root, "--store", str(tmp_path / "s"), "--format", "json")
    assert again.returncode == 0, again.stderr[-2000:]
    assert "up to date" in " ".join(json.loads(again.stdout)["notes"])
    assert loaded(modules, INGEST_STEPS) == []
    assert loaded(modules, PYDANTIC) == []  # the configuration as written is compared, not validated
    assert loaded(modules, ("cairn.graph.sqlite_write", "cairn.graph.sqlite_first") + HASHLIB) == []  # nothing written
    assert loaded(modules, ("cairn.api.render.terminal", "cairn.ingest.config_values")) == []  # no table, no settings read


def test_an_ingest_after_a_commit_that_keeps_the_judgement_imports_no_contract(tmp_path):
    """After a commit that changes no import, the boundary check's kept judgement stands (``answer_base.reusable``):
    the ingest imports none of the check's modules; after one that adds an import, it judges again. Neither imports
    what only other repositories or commands use."""
    root = tmp_path / "shop"
    repo = GitRepo(root)
    repo.commit({"cairn.toml": CAIRN_TOML, "docs/adr/0001-core-stands-alone.md": ADR, "src/shop/__init__.py": "",
                 "src/shop/core/__init__.py": "", "src/shop/web/__init__.py": "",
                 "src/shop/core/models.py": "import json\n", "src/shop/web/views.py": "from shop.core import models\n"},
                message="shop", author=ADA, date="2024-01-01T10:00:00+00:00")
    location = str(tmp_path / "store")
    proc = subprocess.run([CLI, "ingest", str(root), "--store", location, "--format", "json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    check = ("cairn.queries.contracts.check", "cairn.queries.contracts.registry")
    for models, judged in (("import json\n\nTOTAL = 1\n", False), ("import json\nfrom shop.web import views\n", True)):
        repo.commit({"src/shop/core/models.py": models}, message="models", author=BOB, date="2024-01-02T10:00:00+00:00")
        proc, modules = imports("ingest", str(root), "--store", location, "--format", "json")
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "cairn.api.services.answers" in modules
        assert loaded(modules, check) == (sorted(check) if judged else [])
        # nor what only other repositories or commands need: no setup.cfg or .importlinter here, no PR check's git tree,
        # no Rust or JavaScript to resolve
        assert loaded(modules, ("configparser", "cairn.ingest.gittree", "cairn.ingest.code.rust.cargo",
                                "cairn.ingest.code.rust.resolver", "cairn.ingest.code.javascript.resolver")) == []


@pytest.mark.parametrize("args", [["bus-factor", "--nope"], ["explore", "a", "b"], ["people", "extra"], ["hotspots", "--limit", "0"],
                                  ["trends", "--period", "week"], ["check", "--baseline"], ["pr-check", "--base", "main"],
                                  ["coupling", "--min-degree", "x"], ["buss-factor"], ["reviews", "nope"]], ids=" ".join)
def test_a_usage_error_is_one_line_and_exit_code_2(store, args):
    proc = subprocess.run([CLI, *args, "--store", store], capture_output=True, text=True, timeout=300,
                          env={k: v for k, v in os.environ.items() if k not in ("CAIRN_STORE", "CAIRN_DEBUG")})
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("error: cairn"), proc.stderr


def test_the_commands_table_names_what_each_command_module_registers():
    """``cli.COMMANDS`` names each command before its module is imported: the same names, in the same order, as the
    modules register."""
    import importlib

    from cairn.api.cli import COMMANDS, app
    from cairn.api.params import App

    registered = App()
    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(f"cairn.api.commands.{module}").register(registered)
    assert list(registered.commands) == list(COMMANDS) == list(app.commands)
    assert all(app.get(name) is command for name, command in registered.commands.items() if not isinstance(command, App))


def test_a_command_imports_no_other_command_module(store):
    from cairn.api.cli import COMMANDS

    proc, modules = imports("bus-factor", "--store", store, "--format", "json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    commands = sorted(m for m in modules if m.startswith("cairn.api.commands."))
    assert commands == ["cairn.api.commands.ownership"] and COMMANDS["bus-factor"] == "ownership"
    proc, modules = imports("reviews", "--help")
    assert proc.returncode == 0 and "import" in proc.stdout
    assert sorted(m for m in modules if m.startswith("cairn.api.commands.")) == ["cairn.api.commands.reviews"]


def test_every_command_declares_its_options_for_the_parser():
    """Each command's parser builds from its signature, and ``--help`` lists every option it has."""
    import inspect

    from cairn.api.cli import app, command_parser
    from cairn.api.params import App, Option

    commands = [(f"cairn {name}", c) for name, c in app.commands.items() if not isinstance(c, App)]
    commands += [(f"cairn {group} {name}", c) for group, g in app.commands.items() if isinstance(g, App) for name, c in g.commands.items()]
    assert len(commands) >= 20
    for prog, command in commands:
        parser, convert = command_parser(command, prog)
        assert set(convert) == set(inspect.signature(command).parameters)
        text = parser.format_help()
        for parameter in inspect.signature(command).parameters.values():
            if isinstance(parameter.default, Option):
                assert all(flag in text for flag in parameter.default.flags), (prog, parameter.name)


def test_the_pr_check_on_a_stored_base_imports_no_pydantic(tmp_path):
    """The PR check reads what ingest validated — the ingest and identity settings, the thresholds, the rules (an
    exception with an expiry among them) — back from the stored graph as plain data: the configuration models and
    pydantic are not imported, and the report still judges the change by those rules and settings."""
    toml = CAIRN_TOML.replace(
        'to = ["web"]\n', 'to = ["web"]\nexceptions = [{ importer = "shop.core.legacy", imported = "shop.web.*", '
                          'reason = "being moved", expires = "2999-01-01" }]\n', 1)
    toml += '\n[ingest]\nexclude = ["vendor/**"]\n\n[identities]\nbots = ["release-robot*"]\n\n[thresholds]\ninactive_days = 30\n'
    root = tmp_path / "shop"
    repo = GitRepo(root)
    repo.commit({"cairn.toml": toml, "src/shop/__init__.py": "", "src/shop/core/__init__.py": "",
                 "src/shop/web/__init__.py": "", "src/shop/web/views.py": "from shop.core import models\n",
                 "src/shop/core/models.py": "import json\n", "src/shop/core/legacy.py": "",
                 "vendor/shop/core/vendored.py": "from shop.web import views\n"},
                message="shop", author=ADA, date="2024-01-01T10:00:00+00:00")
    location = str(tmp_path / "store")
    proc = subprocess.run([CLI, "ingest", str(root), "--store", location, "--format", "json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit({"src/shop/core/models.py": "import json\nfrom shop.web import views\n",
                 "src/shop/core/legacy.py": "from shop.web import views\n",
                 "vendor/shop/core/vendored.py": "from shop.web import views\nimport os\n"},
                message="core uses web", author=("release-robot", "robot@example.com"), date="2024-01-02T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    proc, modules = imports("pr-check", "--repo", str(root), "--base", "main", "--head", "pr", "--store", location,
                            "--format", "json")
    assert proc.returncode == 1, proc.stderr[-2000:]  # blocking: core imports web
    report = json.loads(proc.stdout)
    blocking = sorted((f["rule"], f["source"]) for f in report["findings"] if f["severity"] == "block")
    # core-not-web lets shop.core.legacy pass (its exception has not expired); the layers rule has no exception
    assert blocking == [("core-not-web", "shop.core.models"), ("web-above-core", "shop.core.legacy"),
                        ("web-above-core", "shop.core.models")]
    assert "vendor/shop/core/vendored.py" in [f["path"] for f in report["changed_files"]]
    assert report["new_edges"] and not [e for e in report["new_edges"] if "vendor" in e["source"]]  # [ingest] exclude held
    assert report["agent"]["detected"] is False
    assert "cairn.api.services.changes" in modules and "cairn.queries.pr_check" in modules
    assert loaded(modules, PYDANTIC + ("cairn.ingest.config_models", "cairn.graph.rule_schema",
                                       "cairn.graph.threshold_model", "cairn.graph.changes")) == []

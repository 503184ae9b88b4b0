"""The CLI as a new user meets it, through the installed ``cairn`` command.

One small repository (``odd``) carries what used to go wrong: a component
named ``core[x]``, a person named ``Ada [x] Lovelace``, ``__init__.py`` files,
a decision titled with ``[x]``, a departed and an inactive knowledge holder,
standard-library and third-party imports. Each test runs ``.venv/bin/cairn``
in a subprocess, the way a person or a CI job does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fixtures.gitrepo import GitRepo

CLI = str(Path(sys.executable).parent / "cairn")
ADA = ("Ada [x] Lovelace", "ada@example.com")
GUS = ("Gus Gone", "gus@example.com")
IVY = ("Ivy Idle", "ivy@example.com")
IVY_DAYS_AGO = 400

CAIRN_TOML = """\
[components]
"core[x]" = ["src/odd/core/**"]
web = ["src/odd/web/**"]

[identities]
departed = ["Gus Gone"]

[[rules]]
id = "web-above-core"
kind = "layers"
severity = "block"
layers = ["web", "core[x]"]
"""

ADR = """\
---
status: accepted
date: 2024-03-01
components: [web]
---
# Keep [x] markers out of `__init__` files
"""


def _days_ago(days: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days)).replace(microsecond=0).isoformat()


def build_odd(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({"cairn.toml": CAIRN_TOML, "src/odd/__init__.py": "", "src/odd/core/__init__.py": "import os\nimport json\n",
                 "docs/adr/0001-x-markers.md": ADR}, message="start", author=ADA, date=_days_ago(IVY_DAYS_AGO + 10))
    repo.commit({"src/odd/core/models.py": "import dataclasses\nimport requests\n\n\nclass Order:\n    pass\n"},
                message="models", author=GUS, date=_days_ago(IVY_DAYS_AGO + 5))
    repo.commit({"src/odd/web/__init__.py": "", "src/odd/web/views.py": "from odd.core import models\nimport odd.core\n"},
                message="views", author=IVY, date=_days_ago(IVY_DAYS_AGO))
    repo.commit({"README.md": "# odd\n"}, message="readme", author=ADA, date=_days_ago(1))
    return repo


def cairn(*args: str, cwd: Path | None = None, columns: int = 200, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("CAIRN_STORE", "CAIRN_DEBUG")}
    return subprocess.run([CLI, *args], capture_output=True, text=True, cwd=cwd,
                          env={**base, "COLUMNS": str(columns), **(env or {})}, timeout=300)


def ok(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def odd(tmp_path_factory) -> tuple[Path, str]:
    """The checkout, ingested into its own ``.cairn/`` by a plain ``cairn ingest .`` run in it."""
    root = tmp_path_factory.mktemp("consistency") / "odd"
    build_odd(root)
    ok(cairn("ingest", ".", cwd=root))
    return root, str(root / ".cairn")


# -- 1. cairn path in every format -----------------------------------------------------------------


@pytest.mark.parametrize("ends", [("web", "core[x]"), ("odd.web.views", "odd.core.models")])
def test_path_prints_in_every_format(odd, ends):
    root, _ = odd
    data = json.loads(ok(cairn("path", *ends, "--format", "json", cwd=root)))
    assert data["found"] and data["path"][0] == ends[0] and data["path"][-1] == ends[1]
    table = ok(cairn("path", *ends, "--format", "table", cwd=root))
    assert f"{ends[0]} depends on {ends[1]}" in table and "Steps" in table
    assert ends[1] in table.split("Steps", 1)[1]
    markdown = ok(cairn("path", *ends, "--format", "markdown", cwd=root))
    assert f"`{ends[0]}` → `{ends[1]}`" in markdown
    assert ok(cairn("path", *ends, cwd=root)) == table  # table is the default


# -- 2. the store is found the way git finds .git -------------------------------------------------------


def test_the_store_is_found_from_any_folder_of_the_checkout(odd):
    root, store = odd
    assert Path(store, "cairn.db").is_file()  # `cairn ingest .` put it at the repository root
    for folder in (root, root / "src", root / "src" / "odd" / "core"):
        names = [c["name"] for c in json.loads(ok(cairn("components", "--format", "json", cwd=folder)))["components"]]
        assert names == ["core[x]", "web"]


def test_without_a_store_the_error_says_where_it_looked(tmp_path, odd):
    _, store = odd
    outer = tmp_path / "outer"
    build_odd(outer / "repo")
    (outer / ".cairn").mkdir()  # a store above the repository root is not the repository's
    sub = outer / "repo" / "src" / "odd"
    proc = cairn("components", cwd=sub)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"error: no Cairn store here (looked for .cairn/ in {sub} and its parents up to the repository root {outer / 'repo'}): "
        "run `cairn ingest PATH` first, or name one with --store or $CAIRN_STORE"]
    # --store and $CAIRN_STORE win over the search
    assert ok(cairn("components", "--format", "json", "--store", store, cwd=sub))
    assert ok(cairn("components", "--format", "json", cwd=sub, env={"CAIRN_STORE": store}))
    missing = cairn("components", "--store", str(tmp_path / "nowhere"), cwd=sub)
    assert missing.returncode == 2 and missing.stderr.startswith(f"error: no Cairn store at {tmp_path / 'nowhere'} (--store)")
    # ingest from the subfolder creates the store at the repository root, where every later command finds it
    ok(cairn("ingest", str(outer / "repo"), cwd=sub))
    assert (outer / "repo" / ".cairn" / "cairn.db").is_file()
    assert json.loads(ok(cairn("components", "--format", "json", cwd=sub)))["components"]


def test_an_ingest_from_outside_any_repository_puts_a_new_store_in_the_checkout(tmp_path):
    """`cd src; cairn ingest app; cd app; cairn bus-factor` found no store: it had gone into src/."""
    src = tmp_path / "src"
    build_odd(src / "app")
    ingested = ok(cairn("ingest", "app", cwd=src))
    assert (src / "app" / ".cairn" / "cairn.db").is_file() and not (src / ".cairn").exists()
    assert f"store      │ {src / 'app' / '.cairn'}" in " ".join(ingested.split("\n"))
    assert json.loads(ok(cairn("components", "--format", "json", cwd=src / "app")))["components"]
    # a store already in the current directory is still the one used (one store, several repositories) …
    build_odd(src / "other")
    ok(cairn("ingest", "other", "--store", str(src / ".cairn"), cwd=src))
    ok(cairn("ingest", "app", "--name", "app-again", cwd=src))
    assert json.loads(ok(cairn("components", "--repo", "app-again", "--format", "json", cwd=src)))["components"]
    # … and from inside the checkout, where none is found, the error names it rather than using it unasked
    proc = cairn("components", cwd=src / "other")
    assert proc.returncode == 2 and f"there is one above the repository, --store {src / '.cairn'} names it" in proc.stderr


# -- 3. the store never shows in git status -------------------------------------------------------------------


def test_the_store_is_ignored_by_git(odd):
    root, store = odd
    assert Path(store, ".gitignore").read_text().splitlines()[-1] == "*"
    status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True, check=True).stdout
    assert status == ""
    Path(store, ".gitignore").unlink()  # a store made before Cairn wrote one
    ok(cairn("components", cwd=root))
    assert Path(store, ".gitignore").read_text().splitlines()[-1] == "*"


# -- 4. one rule for --format ------------------------------------------------------------------------------------

SUPPORTED = {
    "ingest": ("json", "table"), "deps": ("json", "table"), "components": ("json", "table"), "bus-factor": ("json", "table"),
    "adrs": ("json", "table"), "check": ("json", "table", "markdown", "sarif"), "query": ("json", "table"),
    "pr-check": ("json", "table", "markdown", "sarif", "codeclimate"), "explore": ("json", "table", "markdown"),
    "path": ("json", "table", "markdown"), "reading-list": ("json", "table", "markdown"), "search": ("json", "table", "markdown"),
    "coupling": ("json", "table"), "hotspots": ("json", "table"), "agents": ("json", "table"), "trends": ("json", "table"),
    "who-knows": ("json", "table"),
}
ARGS = {"ingest": ["."], "query": ["MATCH (n) RETURN n"], "pr-check": ["--base", "HEAD~1", "--head", "HEAD"],
        "explore": ["web"], "path": ["web", "core[x]"], "search": ["odd"], "who-knows": ["."]}


@pytest.mark.parametrize("command", sorted(SUPPORTED))
def test_every_command_lists_its_formats_and_refuses_others_in_one_line(odd, command):
    root, _ = odd
    supported = SUPPORTED[command]
    assert f"<{'|'.join(supported)}>" in ok(cairn(command, "--help", cwd=root))
    for wrong in [f for f in ("json", "table", "markdown", "sarif") if f not in supported] + ["yaml"]:
        proc = cairn(command, *ARGS.get(command, []), "--format", wrong, cwd=root)
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.splitlines() == [f"error: cairn {command} supports --format {'|'.join(supported)}, not {wrong}"]


def test_pr_check_prints_a_real_table(odd):
    root, _ = odd
    out = cairn("pr-check", "--base", "HEAD~2", "--head", "HEAD", "--format", "table", cwd=root)
    assert out.returncode in (0, 1), out.stderr
    assert out.stdout.startswith("Cairn PR check: ")
    assert "Components touched" in out.stdout and "┃ component" in out.stdout
    assert "<!--" not in out.stdout and "|---|" not in out.stdout and "###" not in out.stdout
    markdown = cairn("pr-check", "--base", "HEAD~2", "--head", "HEAD", cwd=root).stdout
    assert markdown.startswith("<!-- cairn-pr-check -->")  # Markdown stays the default


# -- 5. text is shown as written --------------------------------------------------------------------------------------


def test_help_and_tables_show_brackets_and_dunder_names_as_written(odd):
    root, _ = odd
    assert "[tool.cairn]" in ok(cairn("ingest", "--help", cwd=root))
    reading = ok(cairn("reading-list", cwd=root))
    assert "src/odd/core/__init__.py" in reading and "/init.py" not in reading
    assert "Ada [x] Lovelace" in reading
    assert "core[x]" in ok(cairn("components", cwd=root))
    assert "Ada [x] Lovelace" in ok(cairn("bus-factor", cwd=root))
    assert "Keep [x] markers out of __init__ files" in ok(cairn("adrs", cwd=root))
    card = ok(cairn("explore", "core[x]", cwd=root))
    assert card.startswith("core[x]") and "src/odd/core/__init__.py" in card
    assert "core[x]" in ok(cairn("search", "core", cwd=root))
    checked = cairn("check", cwd=root)
    assert checked.returncode == 0 and "core[x]" not in checked.stderr
    unknown = cairn("explore", "core[y]", cwd=root)  # errors quote names as written too
    assert unknown.returncode == 2 and unknown.stderr.startswith("error: no component named 'core[y]' in repository odd")
    markdown = ok(cairn("reading-list", "--format", "markdown", cwd=root))
    assert "`src/odd/core/__init__.py`" in markdown and r"Ada \[x\] Lovelace" in markdown
    assert r"[Keep \[x\] markers out of \_\_init\_\_ files](<docs/adr/0001-x-markers.md>)" in markdown


# -- 6. people who left are marked ------------------------------------------------------------------------------------------


def test_people_who_left_are_marked_in_tables_and_json(odd):
    root, _ = odd
    since = (datetime.now(timezone.utc) - timedelta(days=IVY_DAYS_AGO)).strftime("%Y-%m")
    reading = ok(cairn("reading-list", cwd=root))
    assert "Gus Gone (left)" in reading and f"Ivy Idle (inactive since {since})" in reading
    assert "Ada [x] Lovelace (" not in reading  # active: no mark
    people = {p["name"]: p for p in json.loads(ok(cairn("reading-list", "--format", "json", cwd=root)))["people"]}
    assert (people["Gus Gone"]["active"], people["Gus Gone"]["gone"]) == (False, "departed")
    assert (people["Ivy Idle"]["active"], people["Ivy Idle"]["gone"]) == (False, "inactive")
    assert (people["Ada [x] Lovelace"]["active"], people["Ada [x] Lovelace"]["gone"]) == (True, None)

    assert "Gus Gone (50%, left)" in ok(cairn("explore", "core[x]", cwd=root))
    assert f"Ivy Idle (100%, inactive since {since})" in ok(cairn("explore", "web", cwd=root))
    assert f"Ivy Idle (100%, inactive since {since})" in ok(cairn("explore", "web", "--format", "markdown", cwd=root))
    holders = json.loads(ok(cairn("explore", "core[x]", "--format", "json", cwd=root)))["bus_factor"]["knowledge_holders"]
    assert {h["person"]: (h["active"], h["gone"]) for h in holders} == {"Ada [x] Lovelace": (True, None), "Gus Gone": (False, "departed")}
    bus = ok(cairn("bus-factor", cwd=root))
    assert "left" in bus and f"inactive since {since}" in bus


# -- 7. the standard library apart ----------------------------------------------------------------------------------------------


def test_the_standard_library_is_listed_apart_from_packages(odd):
    root, _ = odd
    deps = json.loads(ok(cairn("deps", "--format", "json", cwd=root)))
    assert {x["name"]: x["stdlib"] for x in deps["externals"]} == {"dataclasses": True, "json": True, "os": True, "requests": False}
    table = ok(cairn("deps", cwd=root))
    third_party, stdlib = table.split("1 third-party package", 1)[1].split("3 standard-library modules", 1)
    assert "requests" in third_party and "json" not in third_party
    assert "json" in stdlib and "requests" not in stdlib
    card = json.loads(ok(cairn("explore", "core[x]", "--format", "json", cwd=root)))
    assert card["external_packages"] == [{"name": "requests", "imports": 1}]
    assert sorted(s["name"] for s in card["standard_library"]) == ["dataclasses", "json", "os"]
    text = ok(cairn("explore", "core[x]", cwd=root))
    assert "external packages (imports): requests (1)" in text and "standard library (imports): " in text
    markdown = ok(cairn("explore", "core[x]", "--format", "markdown", cwd=root))
    assert "- external packages: `requests`" in markdown and "- standard library: " in markdown
    summary = json.loads(ok(cairn("ingest", ".", "--format", "json", cwd=root)))
    assert (summary["external_packages"], summary["standard_library"]) == (1, 3)


# -- reading the tables at 80 columns --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["bus-factor"], ["components"], ["explore", "core[x]"], ["explore", "web"], ["check"], ["adrs"],
                                  ["reading-list"], ["deps"], ["search", "o"], ["path", "odd.web.views", "odd.core.models"], ["ingest", "."]])
def test_tables_fit_80_columns_without_cutting_words(odd, args):
    root, _ = odd
    out = cairn(*args, cwd=root, columns=80)
    assert out.returncode == 0, out.stderr
    assert all(len(line) <= 80 for line in out.stdout.splitlines())
    assert "…" not in out.stdout


def test_a_reader_that_went_away_ends_the_command_quietly(tmp_path):
    """`cairn bus-factor | head -1`: when the reader has gone, the command stops without a word (as git does),
    not with "this is a bug in Cairn"."""
    repo = GitRepo(tmp_path / "shop")
    repo.commit({"shop/__init__.py": "", "shop/core.py": "import shop\n"})
    store = tmp_path / "store"
    ingest = subprocess.run([CLI, "ingest", str(repo.root), "--store", str(store), "--format", "json"],
                            capture_output=True, text=True)
    assert ingest.returncode == 0, ingest.stderr
    for args in (["bus-factor"], ["deps", "--format", "json"]):
        proc = subprocess.Popen([CLI, *args, "--store", str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # gone before the first line: every write meets a closed pipe
        stderr = proc.stderr.read().decode()
        assert (proc.wait(timeout=60), stderr) == (1, ""), args

"""`cairn ingest`, `cairn deps` and `cairn components` end to end, including bad input."""

import contextlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from fixtures.cli import CliRunner

from cairn.api.bootstrap import open_store
from cairn.api.cli import app
from fixtures.gitrepo import GitRepo

CLI = str(Path(sys.executable).parent / "cairn")


def cairn(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], capture_output=True, text=True, cwd=cwd)


def stored_versions(store: Path) -> list[tuple[str, int, str]]:
    """(repository, generation, saved at) of every repository in an embedded store: changes with any save."""
    with contextlib.closing(sqlite3.connect(store / "cairn.db")) as db:
        return db.execute("SELECT repo, generation, saved_at FROM repositories ORDER BY repo").fetchall()


def make_shop(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit({
        "src/shop/__init__.py": "",
        "src/shop/core/__init__.py": "",
        "src/shop/core/models.py": "import dataclasses\n\nclass Order: ...\n",
        "src/shop/api/__init__.py": "",
        "src/shop/api/views.py": "from shop.core import models\nfrom ..core.models import Order\nimport requests.adapters\n",
        "src/shop/api/broken.py": "def oops(:\n    import shop.core.models\n",
        "src/shop/api/latin.py": "# caf\xe9 au lait\nimport shop.core\n".encode("latin-1"),
        "web/src/index.ts": "import { x } from './util';\nimport type { T } from './types';\n",
        "web/src/util.ts": "export const x = 1;\n",
        "web/src/types.ts": "export type T = number;\n",
        "README.md": "# shop\n",
    }, message="initial")
    return repo


def test_ingest_then_deps_json(tmp_path):
    repo = make_shop(tmp_path / "shop")
    store = tmp_path / "store"
    proc = cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["files_by_language"] == {"python": 7, "typescript": 3}
    assert summary["syntax_errors"] == 1 and summary["commits"] == 1

    proc = cairn("deps", "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    modules = {m["id"]: m for m in data["modules"]}
    assert modules["shop.api.views"] == {"id": "shop.api.views", "path": "src/shop/api/views.py", "language": "python", "component": "api"}
    assert modules["web/src/index.ts"]["language"] == "typescript"
    edges = {(e["source"], e["target"]): e for e in data["edges"]}
    assert edges[("shop.api.views", "shop.core.models")]["lines"] == [1, 2]
    assert edges[("shop.api.views", "shop.core.models")]["kind"] == "runtime"
    assert ("shop.api.views", "external:requests") in edges
    assert ("shop.api.broken", "shop.core.models") in edges  # a syntax error does not hide the import
    assert ("shop.api.latin", "shop.core") in edges  # nor does a Latin-1 comment
    assert edges[("web/src/index.ts", "web/src/types.ts")]["kind"] == "type_only"
    assert edges[("web/src/index.ts", "web/src/util.ts")]["language"] == "typescript"
    assert all(set(e) == {"source", "target", "kind", "language", "lines"} for e in data["edges"])

    proc = cairn("deps", "--store", str(store), "--format", "json", "--level", "component")
    comp = json.loads(proc.stdout)
    assert {"source": "api", "target": "core"}.items() <= comp["edges"][0].items()

    proc = cairn("components", "--store", str(store), "--format", "json")
    names = {c["name"] for c in json.loads(proc.stdout)["components"]}
    assert {"api", "core"} <= names


def test_reingest_is_idempotent_and_uses_the_cache(tmp_path):
    repo = make_shop(tmp_path / "shop")
    store = tmp_path / "store"
    first = json.loads(cairn("ingest", str(repo.root), "--store", str(store), "--format", "json").stdout)
    second = json.loads(cairn("ingest", str(repo.root), "--store", str(store), "--format", "json").stdout)
    assert second["parsed"] == 0 and second["cached"] == first["parsed"]
    assert (first["modules"], first["edges"]) == (second["modules"], second["edges"])
    repo.commit({"src/shop/core/models.py": "import shop.api.views\n"}, message="change one file")
    third = json.loads(cairn("ingest", str(repo.root), "--store", str(store), "--format", "json").stdout)
    assert third["parsed"] == 1
    graph = open_store(str(store)).load("shop")
    assert graph.counts()["Module"] == first["modules"]


def test_a_new_crate_in_a_folder_of_crates_becomes_a_component_on_the_next_ingest(tmp_path):
    # a Rust workspace whose tools/ folder holds a test framework crate and small tools (hermes' layout)
    repo = GitRepo(tmp_path / "relay")
    files = {"Cargo.toml": '[workspace]\nmembers = ["crates/*", "tools/*"]\n', "tools/README.md": "tools\n"}
    for crate, count in (("crates/relayer", 30), ("crates/types", 20), ("tools/test-framework", 12), ("tools/lint", 2)):
        files[f"{crate}/Cargo.toml"] = f'[package]\nname = "{crate.rsplit("/", 1)[1]}"\n'
        files.update({f"{crate}/src/m{i}.rs": f"pub fn f{i}() {{}}\n" for i in range(count)})
    files.update({f"tools/integration-test/src/t{i}.rs": "use relayer::m1;\n" for i in range(10)})
    repo.commit(files, message="workspace")
    store = tmp_path / "store"

    def components(at: Path = store) -> dict[str, tuple[list[str], int]]:
        proc = cairn("components", "--store", str(at), "--format", "json")
        assert proc.returncode == 0, proc.stderr
        return {c["name"]: (c["paths"], c["files"]) for c in json.loads(proc.stdout)["components"]}

    assert cairn("ingest", str(repo.root), "--store", str(store)).returncode == 0
    assert components() == {"relayer": (["crates/relayer/**"], 30), "types": (["crates/types/**"], 20),
                            "test-framework": (["tools/test-framework/**"], 12), "tools": (["tools/**"], 12)}
    # the integration tests become a crate of their own: the next (incremental) ingest splits them out
    repo.commit({"tools/integration-test/Cargo.toml": '[package]\nname = "integration-test"\n'}, message="a crate")
    assert cairn("ingest", str(repo.root), "--store", str(store)).returncode == 0
    assert components()["integration-test"] == (["tools/integration-test/**"], 10)
    assert components()["tools"] == (["tools/**"], 2)
    cold = tmp_path / "cold"
    assert cairn("ingest", str(repo.root), "--store", str(cold)).returncode == 0
    assert components() == components(cold)


def test_the_files_at_the_top_a_package_is_entered_by_are_a_component_while_its_manifest_says_so(tmp_path):
    # Fastify: fastify.js at the top ("main" of its package.json) is the framework's heart beside lib/ and test/
    repo = GitRepo(tmp_path / "fastify")
    files = {"package.json": '{"name": "fastify", "main": "./fastify.js"}', "fastify.js": "require('./lib/a')\n",
             "fastify.d.ts": "export {}\n"}
    files.update({f"lib/m{i}.js": f"module.exports = {i}\n" for i in range(10)})
    files.update({f"test/t{i}.test.js": "require('../fastify')\n" for i in range(20)})
    repo.commit(files, message="fastify")
    store = tmp_path / "store"

    def components(at: Path = store) -> dict[str, list[str]]:
        proc = cairn("components", "--store", str(at), "--format", "json")
        assert proc.returncode == 0, proc.stderr
        return {c["name"]: c["paths"] for c in json.loads(proc.stdout)["components"]}

    assert cairn("ingest", str(repo.root), "--store", str(store)).returncode == 0
    assert components() == {"fastify": ["*"], "lib": ["lib/**"], "test": ["test/**"]}
    # a manifest naming an entry below a folder, or none at all: the two files at the top are no component
    repo.commit({"package.json": '{"name": "fastify", "main": "lib/m0.js"}'}, message="moved")
    assert cairn("ingest", str(repo.root), "--store", str(store)).returncode == 0
    assert components() == {"lib": ["lib/**"], "test": ["test/**"]}
    cold = tmp_path / "cold"
    assert cairn("ingest", str(repo.root), "--store", str(cold)).returncode == 0
    assert components() == components(cold)


def test_missing_path_and_file_path(tmp_path):
    proc = cairn("ingest", str(tmp_path / "nope"), "--store", str(tmp_path / "s"))
    assert proc.returncode == 2 and "no such directory" in proc.stderr and "Traceback" not in proc.stderr
    f = tmp_path / "f.txt"
    f.write_text("x")
    proc = cairn("ingest", str(f), "--store", str(tmp_path / "s"))
    assert proc.returncode == 2 and "not a directory" in proc.stderr


def test_broken_config_is_one_line_and_writes_nothing(tmp_path):
    repo = make_shop(tmp_path / "shop")
    store = tmp_path / "store"
    assert cairn("ingest", str(repo.root), "--store", str(store)).returncode == 0
    before = stored_versions(store)
    (repo.root / "cairn.toml").write_text("[components\napi = 1\n")
    proc = cairn("ingest", str(repo.root), "--store", str(store))
    assert proc.returncode == 2 and "cairn.toml" in proc.stderr and "Traceback" not in proc.stderr
    (repo.root / "cairn.toml").write_text("[components]\napi = 1\n[unknown]\nx = 1\n")
    proc = cairn("ingest", str(repo.root), "--store", str(store))
    assert proc.returncode == 2 and "cairn.toml" in proc.stderr and "unknown" in proc.stderr
    assert stored_versions(store) == before


def test_folder_without_git_is_ingested_with_a_warning(tmp_path):
    root = tmp_path / "plain"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "a.py").write_text("from pkg import b\n")
    (root / "pkg" / "b.py").write_text("")
    result = CliRunner().invoke(app, ["ingest", str(root), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "ownership needs history" in result.output.replace("\n", " ") or "history" in result.stderr if hasattr(result, "stderr") else True
    proc = cairn("deps", "--store", str(tmp_path / "s"), "--format", "json")
    assert {"source": "pkg.a", "target": "pkg.b", "kind": "runtime", "language": "python", "lines": [1]} in json.loads(proc.stdout)["edges"]


def test_empty_repository(tmp_path):
    repo = GitRepo(tmp_path / "empty")
    proc = cairn("ingest", str(repo.root), "--store", str(tmp_path / "s"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["modules"] == 0 and summary["head"] is None
    assert any("no commits" in w for w in summary["warnings"])


def test_several_repositories_and_repo_selection(tmp_path):
    a = make_shop(tmp_path / "a")
    b = GitRepo(tmp_path / "b")
    b.commit({"lib/x.py": "import lib.y\n", "lib/y.py": "", "lib/__init__.py": ""})
    store = str(tmp_path / "store")
    assert cairn("ingest", str(a.root), "--store", store).returncode == 0
    assert cairn("ingest", str(b.root), "--store", store).returncode == 0
    proc = cairn("deps", "--store", store, "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2 and "--repo" in proc.stderr
    proc = cairn("deps", "--store", store, "--format", "json", cwd=b.root / "lib")
    assert proc.returncode == 0 and [m["id"] for m in json.loads(proc.stdout)["modules"]] == ["lib", "lib.x", "lib.y"]
    proc = cairn("deps", "--store", store, "--repo", "a", "--format", "json", cwd=tmp_path)
    assert any(m["id"] == "shop.core.models" for m in json.loads(proc.stdout)["modules"])


def test_resolver_problems_reach_the_summary_warm_and_cold(tmp_path):
    repo = GitRepo(tmp_path / "web")
    repo.commit({"tsconfig.json": "{ this is not json", "src/a.ts": "import { b } from './b';\nimport { c } from 'lib/c';\n", "src/b.ts": "export const b = 1;\n"})
    store = str(tmp_path / "store")
    for _ in range(2):  # the second run reuses the remembered result and must still say it
        summary = json.loads(cairn("ingest", str(repo.root), "--store", store, "--format", "json").stdout)
        assert any("tsconfig.json" in note for note in summary["notes"]), summary["notes"]
    assert summary["parsed"] == 0


def test_only_an_ingest_that_kept_the_stored_graph_lets_the_process_end_at_once(tmp_path):
    """``cli.main`` ends the process without tearing it down only after a command said it left nothing to finish: an
    ingest says so when it kept the stored graph (nothing written); after writing one, only when nothing it started
    is left (``api.loose_ends``), never here: the test runner's log handlers are there for ``logging``'s end to close."""
    from cairn.api.common import left_nothing_to_finish, nothing_left_to_finish

    repo = make_shop(tmp_path / "shop")
    args = ["ingest", str(repo.root), "--store", str(tmp_path / "store"), "--format", "json"]
    try:
        for wrote in (True, False):
            nothing_left_to_finish(False)
            result = CliRunner().invoke(app, args)
            assert result.exit_code == 0, result.output
            assert ("up to date" in " ".join(json.loads(result.stdout)["notes"])) is (not wrote)
            assert left_nothing_to_finish() is (not wrote)
    finally:
        nothing_left_to_finish(False)
    ended = cairn(*args)  # the console script, ended at once: its output is whole
    assert ended.returncode == 0 and "up to date" in " ".join(json.loads(ended.stdout)["notes"])


def test_an_ingest_that_wrote_and_left_nothing_behind_ends_the_process_at_once(tmp_path):
    """After a commit the console script's ingest writes the store, ends every thread and child it started, closes
    what it wrote: it ends the process at once (``os._exit``, seen here), its output whole and its store complete."""
    probe = (
        "import os, sys\n"
        "end_now = os._exit\n"
        "main_pid = os.getpid()\n"  # (a forked child of the ingest's ends so too: not what is looked for)
        "os._exit = lambda code: (os.getpid() == main_pid and print('ended at once', file=sys.stderr, flush=True), end_now(code))\n"
        "from cairn.api.cli import main\n"
        "sys.argv = ['cairn', *sys.argv[1:]]\n"
        "main()\n"
    )
    repo = make_shop(tmp_path / "shop")
    store = str(tmp_path / "store")
    args = ["ingest", str(repo.root), "--store", store, "--format", "json"]
    assert cairn(*args).returncode == 0
    repo.commit({"src/shop/core/extra.py": "from shop.core import models\n"})
    ended = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=300)
    assert ended.returncode == 0, ended.stderr
    assert "ended at once" in ended.stderr
    summary = json.loads(ended.stdout)
    assert "up to date" not in " ".join(summary["notes"]) and summary["head"] == repo.head()
    edges = json.loads(cairn("deps", "--store", store, "--format", "json").stdout)["edges"]
    assert any(e["source"] == "shop.core.extra" and e["target"] == "shop.core.models" for e in edges)
    again = cairn(*args)  # what it saved for the next ingest is whole: that one finds nothing changed
    assert "up to date" in " ".join(json.loads(again.stdout)["notes"])


def test_a_command_runs_with_the_collector_on(tmp_path):
    """``cli.main`` holds the garbage collector while the command starts and turns it back on before the command
    runs (a long-lived one, ``cairn serve``, must collect)."""
    probe = (
        "import gc, sys\n"
        "from cairn.api import cli\n"
        "def probe() -> None:\n"
        "    '''Say whether the collector is on.'''\n"
        "    print('collector on' if gc.isenabled() else 'collector off')\n"
        "cli.app.command('probe')(probe)\n"
        "sys.argv = ['cairn', 'probe']\n"
        "cli.main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout == "collector on\n", proc.stderr


def test_an_ingest_after_a_commit_runs_no_collection(tmp_path):
    """What an ingest imports and makes lives to its end and forms no garbage: after a commit, the ingest's modules
    (the listing's, the settings', the steps') are imported with the collector held, so no collection walks them."""
    repo = make_shop(tmp_path / "shop")
    args = ["ingest", str(repo.root), "--store", str(tmp_path / "store"), "--format", "json"]
    assert cairn(*args).returncode == 0
    repo.commit({"src/shop/core/extra.py": "from shop.core import models\n"})
    probe = (
        "import gc, sys\n"
        "from cairn.api import cli\n"
        "collections = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and collections.append(info['generation']))\n"
        "cli._end_now = lambda code: None  # (ends with SystemExit, so that the count is printed)\n"
        "sys.argv = ['cairn', *sys.argv[1:]]\n"
        "try:\n"
        "    cli.main()\n"
        "finally:\n"
        "    print(f'collections: {collections}', file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["parsed"] == 1
    assert proc.stderr.strip().splitlines()[-1] == "collections: []"


def test_the_syntax_error_note_says_how_many_files_it_does_not_name(tmp_path):
    """svelte: "7 file(s) with syntax errors, still used: a, b, c" read as if those were all seven."""
    repo = GitRepo(tmp_path / "repo")
    repo.commit({f"pkg/broken{i}.py": "def oops(:\n    import os\n" * (i + 1) for i in range(5)} | {"pkg/__init__.py": ""},
                message="broken")
    out = CliRunner().invoke(app, ["ingest", str(repo.root), "--store", str(tmp_path / "store"), "--format", "json"])
    note = next(n for n in json.loads(out.stdout)["notes"] if "syntax errors" in n)
    assert note.startswith("5 file(s) the parser could not read whole (syntax errors, or syntax newer than its grammar), "
                           "their imports still used: pkg/") and note.endswith(" and 2 more")
    assert note.count("pkg/broken") == 3

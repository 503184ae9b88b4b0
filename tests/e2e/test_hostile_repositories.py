"""Hostile repositories through the installed ``cairn`` command: nothing runs, nothing outside is read, nothing leaks.

Each test builds a real git repository that tries something (a ``.git/config``
naming commands, a committed pickle payload, a YAML bomb, symbolic links out
of the checkout, credentials in the remote URL, a bare repository) and runs
``cairn ingest`` on it. Marker files show whether anything ran; secret marker
strings show whether anything from outside the checkout reached an output or
the store.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cairn.api.bootstrap import open_store
from fixtures.gitrepo import GitRepo

CLI = str(Path(sys.executable).parent / "cairn")
SECRET = "s3cr3t-marker-7f2a"
#: Guards against a regression that hangs (a YAML bomb expanding); not a timing assertion.
LIMIT = 300


def cairn(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CAIRN_STORE", "CAIRN_CACHE_DIR")}
    return subprocess.run([CLI, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=LIMIT)


def store_text(store: Path) -> str:
    """Everything the store holds, as text (the SQLite database and its WAL keep text as it is)."""
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(store.rglob("*")) if p.is_file())


def python_app(repo: GitRepo, extra: dict[str, str | bytes] | None = None) -> None:
    repo.commit({
        "app/__init__.py": "",
        "app/main.py": "import os\nfrom app import util\n",
        "app/util.py": "import json\n",
        **(extra or {}),
    }, message="app")


# -- commands named by the repository's git configuration -------------------------------------


def test_commands_a_checkout_configures_never_run(tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    script = tmp_path / "hook.sh"
    script.write_text(f'#!/bin/sh\ntouch "{markers}/ran-$$"\ncat\n')
    script.chmod(0o755)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    repo = GitRepo(tmp_path / "repo")
    python_app(repo, {".gitattributes": "*.py filter=x diff=x\n"})
    mailmap = tmp_path / "mailmap-elsewhere"
    mailmap.write_text(f"Person {SECRET} <ada@example.com>\n")
    for name in ("pre-commit", "post-checkout", "post-merge", "pre-auto-gc", "post-index-change", "reference-transaction",
                 "fsmonitor-watchman", "post-rewrite"):
        for directory in (hooks, repo.root / ".git" / "hooks"):
            shutil.copy(script, directory / name)
    for key, value in {
        "core.fsmonitor": str(script), "core.hooksPath": str(hooks), "core.pager": str(script), "pager.log": str(script),
        "filter.x.clean": str(script), "filter.x.smudge": str(script), "filter.x.required": "true",
        "diff.external": str(script), "diff.x.textconv": str(script), "gpg.program": str(script),
        "log.showSignature": "true", "core.sshCommand": str(script), "mailmap.file": str(mailmap),
    }.items():
        repo.git("config", key, value)
    # Make a tracked file's index entry racy, so that comparing it with the work tree means reading it
    # (through the clean filter, for a git that is not told otherwise).
    stamp = (repo.root / "app" / "util.py").stat()
    os.utime(repo.root / ".git" / "index", ns=(stamp.st_atime_ns, stamp.st_mtime_ns))

    store = tmp_path / "store"
    outputs = [cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")]
    assert outputs[0].returncode == 0, outputs[0].stderr
    summary = json.loads(outputs[0].stdout)
    assert summary["edges"] >= 1 and summary["commits"] == 1
    outputs.append(cairn("ingest", str(repo.root), "--store", str(store)))  # warm, in table form
    for command in (["deps"], ["components"], ["explore", "app"], ["adrs"], ["check"]):
        outputs.append(cairn(*command, "--store", str(store), "--format", "json"))
    assert list(markers.iterdir()) == [], "a command configured by the repository ran"
    assert all(SECRET not in o.stdout + o.stderr for o in outputs)
    assert SECRET not in store_text(store)

    # The fixture is hostile for real: plain git runs the configured commands.
    subprocess.run(["git", "-C", str(repo.root), "status"], capture_output=True, check=False)
    assert list(markers.iterdir()), "the fixture no longer provokes git into running anything"


def test_a_partial_clones_promisor_remote_is_never_contacted(tmp_path):
    """A partial clone fetches a missing object from its promisor remote on any read, through the transport its
    configuration names: for an ``ssh://`` remote that runs ``core.sshCommand``, a command of the checkout's."""
    markers = tmp_path / "markers"
    markers.mkdir()
    script = tmp_path / "ssh.sh"
    script.write_text(f'#!/bin/sh\ntouch "{markers}/ran-$$"\nexit 1\n')
    script.chmod(0o755)
    repo = GitRepo(tmp_path / "repo")
    body = "".join(f"def f{i}(x):\n    return x * {i}\n" for i in range(40))
    repo.commit({"app/__init__.py": "", "app/old.py": "import json\n" + body}, message="first")
    old_blob = repo.git("rev-parse", "HEAD:app/old.py")
    repo.git("mv", "app/old.py", "app/new.py")
    repo.commit({"app/new.py": "import json\n" + body + "X = 1\n"}, message="rename with an edit")
    # Rename detection compares the two blobs' contents: the old one is the object the clone lacks.
    (repo.root / ".git" / "objects" / old_blob[:2] / old_blob[2:]).unlink()
    for key, value in {
        "core.repositoryformatversion": "1", "extensions.partialClone": "origin",
        "remote.origin.url": "ssh://git.example.invalid/repo.git", "remote.origin.promisor": "true",
        "core.sshCommand": str(script), "protocol.ssh.allow": "always", "protocol.allow": "always",
    }.items():
        repo.git("config", key, value)

    store = tmp_path / "store"
    ingested = cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")
    assert ingested.returncode == 0, ingested.stderr
    assert json.loads(ingested.stdout)["commits"] == 2
    checked = cairn("pr-check", "--repo", str(repo.root), "--base", "HEAD~1", "--head", "HEAD", "--store", str(store),
                    "--format", "json")
    # The change's own blob is the missing one: the check cannot diff, and says so in one line.
    assert checked.returncode == 2 and "unable to read " + old_blob in checked.stderr, checked.stderr
    assert list(markers.iterdir()) == [], "git contacted the promisor remote through the checkout's ssh command"

    # The fixture is hostile for real: plain git tries the remote, through that command, for the missing blob.
    subprocess.run(["git", "-C", str(repo.root), "log", "-M", "--name-status"], capture_output=True, check=False)
    assert list(markers.iterdir()), "the fixture no longer provokes git into a lazy fetch"


def test_the_work_tree_compared_with_head_by_plumbing(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    python_app(repo)
    store = tmp_path / "store"

    def dirty() -> bool | None:
        assert cairn("ingest", str(repo.root), "--store", str(store)).returncode == 0
        return open_store(str(store)).load("repo").repository["dirty"]

    assert dirty() is False
    (repo.root / "notes.txt").write_text("untracked files are not part of what Cairn reads\n")
    assert dirty() is False
    (repo.root / "app" / "util.py").write_text("import json\nimport csv\n")
    assert dirty() is True
    repo.git("add", "app/util.py")
    assert dirty() is True  # staged, not committed
    repo.commit(message="commit it")
    assert dirty() is False


# -- a parse cache the checkout supplies ------------------------------------------------------


class _Payload:
    """Unpickling this creates the marker directory: proof that the pickle was loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (str(self.marker),)


def opened_files_of_an_ingest(root: Path) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run ``cairn ingest .`` in ``root`` (its default store, .cairn) and list the files Python opened."""
    probe = (  # (main may end the process at once, os._exit: the list is written then too)
        "import os, sys, json\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == 'open' and isinstance(args[0], str) else None)\n"
        "def write_log():\n"
        "    open(sys.argv_log, 'w').write(json.dumps(opened)) if hasattr(sys, 'argv_log') else None\n"
        "end_now = os._exit\n"
        "os._exit = lambda code: (write_log(), end_now(code))\n"
        "from cairn.api.cli import main\n"
        "try:\n"
        "    sys.argv = ['cairn', 'ingest', '.', '--format', 'json']\n"
        "    main()\n"
        "finally:\n"
        "    write_log()\n"
    )
    log = root.parent / "opened.json"
    probe = probe.replace("hasattr(sys, 'argv_log')", "True").replace("sys.argv_log", repr(str(log)))
    env = {k: v for k, v in os.environ.items() if k not in ("CAIRN_STORE", "CAIRN_CACHE_DIR")}
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=root, env=env, timeout=LIMIT)
    return proc, json.loads(log.read_text())


def test_a_committed_pickle_cache_is_never_loaded_and_a_warm_ingest_opens_no_source_file(tmp_path):
    marker = tmp_path / "unpickled"
    payload = pickle.dumps(_Payload(marker))
    repo = GitRepo(tmp_path / "repo")
    python_app(repo, {".cairn/cache/parse-state.pickle": payload, ".cairn/cache/parse-cache.pickle": payload})

    first = cairn("ingest", ".", "--format", "json", cwd=repo.root)
    assert first.returncode == 0, first.stderr
    assert not marker.exists(), "a pickle from the checkout was loaded"
    summary = json.loads(first.stdout)
    assert summary["parsed"] == 3 and any("never loads pickle" in n for n in summary["notes"])

    repo.commit({"README.md": "# app\n"}, message="a new commit, no code changed: the ingest runs, from the cache")
    proc, opened = opened_files_of_an_ingest(repo.root)
    assert proc.returncode == 0, proc.stderr
    warm = json.loads(proc.stdout)
    assert (warm["parsed"], warm["cached"]) == (0, 3) and warm["edges"] == summary["edges"]
    sources = {str((repo.root / p).resolve()) for p in ("app/__init__.py", "app/main.py", "app/util.py")}
    assert not sources & {str(Path(repo.root, p).resolve()) for p in opened}, "a warm ingest read source files"
    assert any(p.endswith("parse-state.json") for p in opened)
    assert not marker.exists()

    proc, opened = opened_files_of_an_ingest(repo.root)  # nothing changed at all: not even the cache is read
    unchanged = json.loads(proc.stdout)
    assert proc.returncode == 0 and (unchanged["parsed"], unchanged["cached"], unchanged["edges"]) == (0, 3, summary["edges"])
    assert unchanged["notes"][0].startswith("up to date")
    assert not sources & {str(Path(repo.root, p).resolve()) for p in opened}
    assert not any(p.endswith(("parse-state.json", "parse-cache.json")) for p in opened)


def test_a_committed_json_cache_is_not_trusted(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    python_app(repo)
    assert cairn("ingest", ".", cwd=repo.root).returncode == 0
    # Someone commits the cache, then rewrites it to hide an import.
    state = repo.root / ".cairn" / "cache" / "parse-state.json"
    repo.git("add", "-f", str(state))
    repo.commit(message="commit the cache")
    data = json.loads(state.read_text())
    data["results"] = []
    data["stats"] = {"path": [], "size": [], "mtime": [], "blob": [0, ""]}
    state.write_text(json.dumps(data))
    repo.git("add", "-f", str(state))
    repo.commit(message="poison it")
    (repo.root / "app" / "util.py").write_text("import json\nfrom app import main\n")
    repo.commit(message="a new import")
    cache = repo.root / ".cairn" / "cache" / "parse-cache.json"
    entries = json.loads(cache.read_text())
    spec = entries["body"][0]["import"]["spec"]  # (the one block of parsed files)
    spec[1] = spec[1].replace("app", "elsewhere")
    cache.write_text(json.dumps(entries))
    repo.git("add", "-f", str(cache))
    repo.commit(message="and the entries")

    proc = cairn("ingest", ".", "--format", "json", cwd=repo.root)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert any("part of the repository: not trusted, not used" in n for n in summary["notes"])
    assert summary["parsed"] == 3
    deps = json.loads(cairn("deps", "--format", "json", cwd=repo.root).stdout)
    assert {(e["source"], e["target"]) for e in deps["edges"]} >= {("app.main", "app.util"), ("app.util", "app.main")}
    assert repo.git("status", "--porcelain", "--", ".cairn/cache") == "", "Cairn wrote over the repository's files"


# -- YAML bombs ------------------------------------------------------------------------------


def yaml_bomb(levels: int, key: str = "x") -> str:
    lines = [f'{key}0: &{key}0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"{key}{i}: &{key}{i} [" + ", ".join([f"*{key}{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_yaml_bombs_are_refused_and_reported_the_rest_is_read(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    nine_level_rules = "rules:\n  - id: boom\n    kind: forbidden\n    from: &f [" + ", ".join(["a"] * 9) + "]\n    to: *f\n"
    python_app(repo, {
        "docs/adr/0001-seven.md": "---\n" + yaml_bomb(7) + "status: accepted\n---\n# 1. Seven levels\n",
        "docs/adr/0002-nine.md": "---\n" + yaml_bomb(9) + "---\n# 2. Nine levels\n",
        "docs/adr/0003-rules.md": "---\nstatus: accepted\n" + nine_level_rules + "---\n# 3. Rules by alias\n",
        "docs/adr/0004-fine.md": "---\nstatus: accepted\ndeciders: [Ada]\n---\n# 4. A fine decision\n\nUse app.util.\n",
        ".log4brains.yml": "project:\n" + "".join("  " + line + "\n" for line in yaml_bomb(9, "p").splitlines()),
        "pnpm-workspace.yaml": "packages: &p ['a']\nmore: *p\n",
        "web/index.js": "import x from 'left-pad';\n",
    })
    store = tmp_path / "store"
    proc = cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["decisions"] == 1
    notes = "\n".join(summary["notes"])
    for path in ("docs/adr/0001-seven.md", "docs/adr/0002-nine.md", "docs/adr/0003-rules.md"):
        assert f"{path}: front matter refused" in notes and "alias" in notes
    assert ".log4brains.yml: cannot be read" in notes and "pnpm-workspace.yaml: not valid YAML" in notes
    assert (store / "cairn.db").stat().st_size < 5_000_000
    adrs = json.loads(cairn("adrs", "--store", str(store), "--format", "json").stdout)
    assert [d["title"] for d in adrs["decisions"]] == ["A fine decision"]
    assert {p["path"] for p in adrs["problems"]} >= {"docs/adr/0001-seven.md", "docs/adr/0002-nine.md", "docs/adr/0003-rules.md"}


def test_a_front_matter_that_is_no_yaml_costs_its_length(tmp_path):
    # a front matter that is not YAML is read for its plain "key: value" lines; a line of 900,000 spaces made a
    # pattern over each line backtrack for a quarter of an hour (LIMIT stops a regression)
    repo = GitRepo(tmp_path / "repo")
    # runs of spaces in a key line, a date and a comment's neighbourhood made three more patterns backtrack so
    python_app(repo, {
        "docs/adr/0001-wide.md": "---\nstatus: accepted\nreviewers:\n  - @team\nx" + " " * 900_000
                                 + "y\n---\n# 1. Wide\n\nUse app.util.\n",
        "docs/adr/0002-spaced.md": "# 2. Spaced\n\n**Status:** Draft" + " " * 300_000 + "x <!-- a -->\n\nDate: 2020-01-01"
                                   + " " * 300_000 + "y\n\n## Context\n\nWhy.\n",
        "docs/adr/0003-keyless.md": "# 3. Keyless\n\n**Status" + " " * 900_000 + "x\n\n## Context\n\nWhy.\n",
        # and a paragraph's list membership was asked by scanning back over the tokens (240,000 items: 8 minutes)
        "docs/adr/0004-listed.md": "# 4. Listed\n\n## Status\n\nAccepted\n\n## Context\n\n" + "- a\n" * 240_000})
    store = tmp_path / "store"
    proc = cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    adrs = json.loads(cairn("adrs", "--store", str(store), "--format", "json").stdout)
    assert [(d["title"], d["status"], d["date"]) for d in adrs["decisions"]] == [
        ("Wide", "accepted", adrs["decisions"][0]["date"]), ("Spaced", "proposed", "2020-01-01"),
        ("Keyless", "unknown", adrs["decisions"][2]["date"]), ("Listed", "accepted", adrs["decisions"][3]["date"])]


def test_toml_nested_past_the_recursion_limit_is_not_valid_toml_said_in_one_line(tmp_path):
    # tomllib recurses into nested arrays: a few thousand "[" made a RecursionError, a traceback, of an ingest
    deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    repo = GitRepo(tmp_path / "repo")
    python_app(repo, {"docs/adr/0001-rules.md": "# 1. Rules\n\n## Status\n\nAccepted\n\n```cairn\n" + deep + "```\n"})
    store = tmp_path / "store"
    for fix, planted in (({"docs/adr/0001-rules.md": "# 1. Rules\n"}, {"pyproject.toml": "[tool.cairn]\n" + deep}),
                         ({"pyproject.toml": "[tool.cairn]\n"}, {"cairn.toml": deep}), ({"cairn.toml": ""}, {})):
        proc = cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert "not valid TOML (arrays or tables nested too deeply" in proc.stderr and len(proc.stderr.splitlines()) == 1
        repo.commit({**fix, **planted})
    proc = cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["modules"] == 3


def test_a_pr_check_in_another_checkout_of_a_stored_name_replaces_nothing(tmp_path):
    # h-ask27 ran pr-check from a --no-checkout clone named like its prometheus store: ingested first under that
    # name, an empty repository replaced the stored one
    repo = GitRepo(tmp_path / "one" / "shop")
    python_app(repo)
    base = repo.head()
    repo.commit({"app/util.py": "import json\nimport os\n"}, message="change")
    store = tmp_path / "store"
    assert cairn("ingest", str(repo.root), "--store", str(store), "--format", "json").returncode == 0
    other = tmp_path / "two" / "shop"
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(repo.root), str(other)], check=True)
    proc = cairn("pr-check", "--store", str(store), "--repo", str(other), "--base", base, "--head", "HEAD")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert f"the store holds 'shop', ingested from {repo.root.resolve()}" in proc.stderr
    stored = json.loads(cairn("components", "--store", str(store), "--format", "json").stdout)
    assert stored["components"], "the stored repository is still the ingested one"
    # a checkout that moved away (a CI workspace restored at another path) is ingested again, as before
    shutil.rmtree(repo.root)
    subprocess.run(["git", "-C", str(other), "checkout", "-q", "HEAD"], check=True)
    proc = cairn("pr-check", "--store", str(store), "--repo", str(other), "--base", base, "--head", "HEAD")
    assert proc.returncode in (0, 1), proc.stderr


# -- files outside the checkout ---------------------------------------------------------------


def outside(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "outside" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def test_links_out_of_the_checkout_are_not_read(tmp_path):
    """Each file a repository could point elsewhere holds something that would show in the store if read."""
    repo = GitRepo(tmp_path / "repo")
    links = {
        "CODEOWNERS": outside(tmp_path, "owners", f"* @{SECRET}\n"),
        ".github/CODEOWNERS": outside(tmp_path, "dir-owners", ""),  # replaced by a directory link below
        ".mailmap": outside(tmp_path, "mailmap", f"Person {SECRET} <ada@example.com>\n"),
        ".adr-dir": outside(tmp_path, "adr-dir", f"{SECRET}-records\n"),
        ".log4brains.yml": outside(tmp_path, "log4brains", f"project:\n  adrFolder: {SECRET}\n  - [\n"),
        "pnpm-workspace.yaml": outside(tmp_path, "pnpm", f"packages: [{SECRET}\n"),
        "go.mod": outside(tmp_path, "gomod", f"module {SECRET}.example/mod\n"),
        "tsconfig.json": outside(tmp_path, "tsconfig", f'{{"compilerOptions": {{"paths": {{"{SECRET}": 1}}\n'),
        "package.json": outside(tmp_path, "package", f'{{"name": "{SECRET}", "workspaces": [\n'),
    }
    secret_dir = tmp_path / "outside" / "records"
    secret_dir.mkdir()
    (secret_dir / "0001-secret.md").write_text(f"# 1. {SECRET}\n")
    python_app(repo, {"cmd/main.go": "package main\n\nimport \"fmt\"\n", "web/index.ts": "import x from './y';\nimport z from 'zod';\n", "web/y.ts": ""})
    for name, target in links.items():
        (repo.root / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(secret_dir if name == ".github/CODEOWNERS" else target, repo.root / name)
    os.makedirs(repo.root / "docs")
    os.symlink(secret_dir, repo.root / "docs" / "adr")
    os.makedirs(repo.root / "doc" / "adr")
    os.symlink(secret_dir / "0001-secret.md", repo.root / "doc" / "adr" / "0001-secret.md")
    repo.commit(message="links")

    store = tmp_path / "store"
    proc = cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    notes = "\n".join(json.loads(proc.stdout)["notes"])
    for name in ("CODEOWNERS", "go.mod", "tsconfig.json", "package.json", "pnpm-workspace.yaml"):
        assert f"{name}: a symbolic link (or a link in its path) that leads outside the checkout; not read" in notes, name
    assert ".github/CODEOWNERS: a symbolic link (or a link in its path) that leads outside the checkout; not read" in notes
    assert ".mailmap: a symbolic link (or a link in its path) that leads outside the checkout; not read" in notes
    outputs = [proc]
    for command in (["deps"], ["components"], ["adrs"], ["explore", "app"], ["bus-factor"]):
        outputs.append(cairn(*command, "--store", str(store), "--format", "json"))
    outputs.append(cairn("ingest", str(repo.root), "--store", str(store)))
    assert all(SECRET not in o.stdout + o.stderr for o in outputs)
    assert SECRET not in store_text(store)


@pytest.mark.parametrize("name", ["cairn.toml", "pyproject.toml"])
def test_a_configuration_that_links_out_of_the_checkout_is_refused_in_one_line(tmp_path, name):
    repo = GitRepo(tmp_path / "repo")
    python_app(repo)
    target = outside(tmp_path, name, f'[tool.cairn.components]\n{SECRET} = ["app/**"]\n[components]\n{SECRET} = ["app/**"]\n')
    os.symlink(target, repo.root / name)
    repo.commit(message="link the configuration")
    proc = cairn("ingest", str(repo.root), "--store", str(tmp_path / "store"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and name in proc.stderr and "outside the checkout" in proc.stderr
    assert SECRET not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


# -- odd repositories -------------------------------------------------------------------------


def test_a_bare_repository_is_refused_clearly(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    python_app(repo)
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.root), str(tmp_path / "bare.git")], check=True)
    proc = cairn("ingest", str(tmp_path / "bare.git"), "--store", str(tmp_path / "store"))
    assert proc.returncode == 2
    assert "bare git repository" in proc.stderr and proc.stderr.strip().count("\n") == 0 and proc.stdout == ""
    assert not (tmp_path / "store" / "cairn.db").exists()
    proc = cairn("ingest", str(repo.root / ".git"), "--store", str(tmp_path / "store"))
    assert proc.returncode == 2 and "is a git directory, not a checkout" in proc.stderr


def test_credentials_in_the_remote_url_never_reach_the_store(tmp_path):
    token = "ghp_" + SECRET
    repo = GitRepo(tmp_path / "repo")
    python_app(repo)
    repo.git("remote", "add", "origin", f"https://ci-bot:{token}@github.com/o/r.git?access_token={token}")
    store = tmp_path / "store"
    proc = cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert open_store(str(store)).load("repo").repository["remote"] == "https://github.com/o/r.git"
    listing = cairn("explore", "app", "--store", str(store), "--format", "json")
    assert token not in proc.stdout + proc.stderr + listing.stdout and "ci-bot" not in store_text(store)
    assert token not in store_text(store)


def test_a_codeowners_line_with_five_thousand_owners_is_capped(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    owners = " ".join(f"@user{i}" for i in range(5000))
    python_app(repo, {".github/CODEOWNERS": f"* {owners}\napp/ @team-lead\n"})
    store = tmp_path / "store"
    proc = cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["people"] <= 1 + 50 + 1  # the author, the capped line, the second line
    assert any(".github/CODEOWNERS line 1: 5000 owners, only the first 50 kept" in n for n in summary["notes"])


def test_file_names_that_are_not_utf8_are_skipped_and_counted(tmp_path):
    """Git keeps names as bytes: one that is not UTF-8 is skipped by the ingest and the PR check alike (the stores,
    JSON and terminals take text), counted in the summary; nothing else is lost."""
    repo = GitRepo(tmp_path / "repo")
    odd = os.fsdecode(b"app/caf\xe9.py")  # 'app/caf\udce9.py', the bytes kept by surrogateescape
    python_app(repo, {odd: "import json\n"})
    store = tmp_path / "store"
    proc = cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["skipped"] == {"name not UTF-8": 1}
    assert summary["modules"] == 3
    main = repo.head()
    repo.git("checkout", "-q", "-b", "change")
    repo.commit({os.fsdecode(b"app/na\xefve.py"): "import os\n", "app/util.py": "import json\nimport os\n"})
    report = cairn("pr-check", "--store", str(store), "--base", main, "--head", "change", "--format", "json",
                   cwd=repo.root)
    assert report.returncode == 0, report.stderr
    assert [f["path"] for f in json.loads(report.stdout)["changed_files"]] == ["app/util.py"]
    again = cairn("ingest", str(repo.root), "--store", str(store), "--format", "json")  # incremental, one more odd name
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["skipped"] == {"name not UTF-8": 2}
    database = "".join(p.read_bytes().decode("utf-8", "replace") for p in store.glob("cairn.db*"))
    # skipped, not stored under another spelling ("caf" alone could be part of some hex digest)
    assert "app/util.py" in database and "app/caf" not in database and "app/na" not in database

"""Sweeps: a commit that modifies more files than ``thresholds.max_commit_files`` delivers knowledge to nobody.

ibc-go's SPDX-header commit (896 files) made its author an author of every file only its creator had touched, and
the first suggested reviewer of a rate-limiting change she had never worked on. Each shape of commit the log parser
reads differently is swept once here: plain modifications (read a commit at a time), modifications with an addition,
review credit from a trailer, and a rename (read token by token); a commit of exactly the limit still counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.gitrepo import GitRepo

CAIRN = str(Path(sys.executable).parent / "cairn")
ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")
SAM = ("Sam Sweep", "sam@example.com")
RAE = ("Rae Reviewer", "rae@example.com")
CORE = [f"core/m{i}.py" for i in range(5)]


def header(n: int) -> str:
    return f"# SPDX-License-Identifier: MIT {n}\n"


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweeps")
    repo = GitRepo(root / "repo")
    repo.commit({"cairn.toml": "[thresholds]\nmax_commit_files = 4\n", **{p: f"X = {i}\n" for i, p in enumerate(CORE)},
                 "lib/x.py": "Y = 1\n", "lib/z.py": "Z = 1\n"}, author=ADA, message="core")
    # plain modifications, more than the limit
    repo.commit({p: header(1) + f"X = {i}\n" for i, p in enumerate(CORE)}, author=SAM, message="headers")
    # modifications and an addition, with a reviewer's trailer
    repo.commit({**{p: header(2) + f"X = {i}\n" for i, p in enumerate(CORE)}, "NEW.py": "N = 1\n"}, author=SAM,
                message="headers again", trailers=["Reviewed-by: Rae Reviewer <rae@example.com>"])
    # modifications and an addition, no trailer
    repo.commit({**{p: header(5) + f"X = {i}\n" for i, p in enumerate(CORE)}, "NEW2.py": "N = 2\n"}, author=SAM,
                message="headers, and a file")
    # a rename among the modifications: read token by token
    repo.git("mv", "lib/x.py", "lib/y.py")
    repo.commit({p: header(3) + f"X = {i}\n" for i, p in enumerate(CORE)}, author=SAM, message="move and headers")
    # exactly the limit: an ordinary commit
    repo.commit({p: header(4) + f"X = {i}\n" for i, p in enumerate(CORE[:4])}, author=BOB, message="four files")
    store = root / "store"
    done = subprocess.run([CAIRN, "ingest", str(repo.root), "--store", str(store)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return store, " ".join(done.stdout.split() + done.stderr.split())


def holders(store: Path, *paths: str) -> dict[str, list[tuple[str, int, int]]]:
    done = subprocess.run([CAIRN, "who-knows", *paths, "--store", str(store), "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return {p["path"]: [(h["person"], h["authored"], h["reviewed"]) for h in p["holders"]] for p in json.loads(done.stdout)["paths"]}


def test_a_sweeps_modifications_are_nobodys_knowledge(swept):
    store, said = swept
    known = holders(store, *CORE, "lib/y.py", "lib/z.py", "NEW.py", "NEW2.py")
    for path in CORE[:4]:  # Bob's commit of exactly four files counts; none of Sam's three sweeps does
        assert sorted(who for who, _, _ in known[path]) == ["Ada Lovelace", "Bob Builder"], known[path]
    assert [who for who, _, _ in known["core/m4.py"]] == ["Ada Lovelace"]
    assert known["lib/y.py"] == [("Ada Lovelace", 1, 0)]  # the rename is followed, and delivers nothing
    assert known["lib/z.py"] == [("Ada Lovelace", 1, 0)]
    # an addition in a sweep still makes its author the file's creator; the reviewer's credit is for it alone
    assert known["NEW.py"] == [("Sam Sweep", 1, 0), ("Rae Reviewer", 0, 1)]
    assert known["NEW2.py"] == [("Sam Sweep", 1, 0)]
    assert "4 commit(s) modifying more than 4 files (sweeps" in said and "thresholds.max_commit_files" in said


def test_the_limit_is_part_of_what_the_remembered_history_was_mined_with(swept, tmp_path):
    """Changing it re-reads the history: the records of a history mined with another limit are not reused."""
    store, _ = swept
    repo = GitRepo(tmp_path / "again")
    repo.commit({"cairn.toml": "", **{p: "X = 1\n" for p in CORE}}, author=ADA, message="core")
    repo.commit({p: header(1) + "X = 1\n" for p in CORE}, author=SAM, message="headers")
    cache = tmp_path / "cache"
    env = {"CAIRN_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}

    def ingest() -> str:
        done = subprocess.run([CAIRN, "ingest", str(repo.root), "--store", str(tmp_path / "s")], capture_output=True,
                              text=True, env=env)
        assert done.returncode == 0, done.stderr
        return " ".join(done.stdout.split() + done.stderr.split())

    ingest()  # the default limit (100): five files are no sweep
    assert sorted(who for who, _, _ in holders(tmp_path / "s", CORE[0])[CORE[0]]) == ["Ada Lovelace", "Sam Sweep"]
    repo.commit({"cairn.toml": "[thresholds]\nmax_commit_files = 4\n"}, author=ADA, message="sweeps of five")
    said = ingest()
    assert "history read in full" in said and "thresholds.max_commit_files" in said
    assert [who for who, _, _ in holders(tmp_path / "s", CORE[0])[CORE[0]]] == ["Ada Lovelace"]

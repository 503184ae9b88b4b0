"""A path used again after its file was renamed away: the two files' histories stay apart.

bat's ``src/config.rs`` was renamed to ``src/bin/bat/config.rs`` and a different ``src/config.rs`` written later:
the renamed file's history is its own changes and those of the old path from before the rename, the new file's
its own, as ``git log --follow`` gives them — for the knowledge, the change counts and the coupling of both, on a
first read and on a re-ingest on either side of the rename. Chains (a -> b -> c), a file renamed away and back
(a -> b -> a), a path used three times and a branch that changed the old path after the rename stay right.
"""

from __future__ import annotations

import random

import pytest

from cairn.graph.model import Label, Rel
from cairn.ingest.config import IdentitySettings
from cairn.ingest.history import mine_history
from cairn.ingest.history_state import StateFile
from cairn.ingest.pipeline import ingest_repository
from fixtures.gitrepo import GitRepo
from test_incremental_history import assert_same_as_cold, ingest, read_notes

COUPLING = "[coupling]\nmin_revs = 2\nmin_shared = 2\nmin_degree = 10\n"
ANN, BEN, CY, DAN = ("Ann", "ann@example.com"), ("Ben", "ben@example.com"), ("Cy", "cy@example.com"), ("Dan", "dan@example.com")


def source(name: str, version: int) -> str:
    """Lines enough that git sees a rename of the file, and nothing like another ``name``'s (not even as a copy: a path
    made again from the renamed file goes on with its history)."""
    return "".join(f"def {name}_{k}(value):\n    return value + {name}_{k}_base\n" for k in range(15)) + f"VERSION = {version}\n"


def holders(history, path: str) -> dict[str, tuple[bool, int]]:
    return {history.people[i].person.name: (k.first_authorship, k.deliveries)
            for i, k in history.file_knowledge(path).items()}


def build_reused(repo: GitRepo) -> None:
    """Ann writes src/config.rs; Ben renames it to src/bin/config.rs; Cy writes a new src/config.rs; Dan changes both
    together three times."""
    repo.commit({"src/config.rs": source("old", 0), "src/lib.rs": "pub mod config;\n", "cairn.toml": COUPLING}, author=ANN)
    repo.commit({"src/config.rs": source("old", 1)}, author=ANN)
    repo.rename("src/config.rs", "src/bin/config.rs", author=BEN)
    repo.commit({"src/config.rs": source("new", 0)}, author=CY)
    for n in range(3):
        repo.commit({"src/config.rs": source("new", n + 1), "src/bin/config.rs": source("old", n + 2)}, author=DAN)


def follow(repo: GitRepo, path: str) -> int:
    return len(repo.git("log", "--follow", "--format=%H", "--", path).split())


def test_the_renamed_file_and_the_new_file_at_its_old_path_keep_their_own_knowledge(tmp_path):
    repo = GitRepo(tmp_path / "r")
    build_reused(repo)
    history = mine_history(repo.root, IdentitySettings())
    assert holders(history, "src/bin/config.rs") == {"Ann": (True, 1), "Ben": (False, 1), "Dan": (False, 3)}
    assert holders(history, "src/config.rs") == {"Cy": (True, 0), "Dan": (False, 3)}


def test_change_counts_and_coupling_are_what_git_log_follow_says(tmp_path):
    repo = GitRepo(tmp_path / "r")
    build_reused(repo)
    graph = ingest_repository(repo.root).graph
    renamed, new = graph.node(Label.FILE, "src/bin/config.rs"), graph.node(Label.FILE, "src/config.rs")
    assert follow(repo, "src/bin/config.rs") == 6  # Ann's two, Ben's rename, Dan's three
    assert (renamed.get("changes"), renamed.get("revisions"), len(renamed.get("change_days"))) == (6, 6, 6)
    assert (new.get("changes"), new.get("revisions"), len(new.get("change_days"))) == (4, 4, 4)  # Cy's, Dan's three
    pair = [e for e in graph.of_type(Rel.CO_CHANGES) if {e.source, e.target} == {renamed.id, new.id}]
    assert [(e.get("shared"), sorted((e.get("revs_a"), e.get("revs_b")))) for e in pair] == [(3, [4, 6])]


def test_a_path_made_again_as_a_copy_of_the_renamed_file_goes_on_with_its_history(tmp_path):
    """flask moved src/flask/app.py to src/flask/sansio/app.py and made app.py again the next day from it (git: a
    copy, C064): split from the old file's history, its 488 changes (``git log --follow``: 485) fell to 28 and the
    framework's central file left the hotspots. A path made again as a copy of the file renamed away from it is one
    history with it, as ``git log --follow`` reads it; one made anew (bat's) is another file."""
    repo = GitRepo(tmp_path / "r")
    repo.commit({"src/app.py": source("app", 0)}, author=ANN)
    repo.commit({"src/app.py": source("app", 1)}, author=ANN)
    repo.rename("src/app.py", "src/sansio/app.py", author=BEN)
    copy = source("app", 1).replace("VERSION = 1", "VERSION = 1\nfrom .sansio.app import *\n")
    repo.commit({"src/app.py": copy}, author=CY)
    repo.commit({"src/app.py": copy + "EXTRA = 2\n"}, author=DAN)
    assert "C" in repo.git("show", "-C", "-C", "--name-status", "--format=", "HEAD~1")  # (git sees the copy)
    history = mine_history(repo.root, IdentitySettings())
    assert holders(history, "src/app.py") == {"Ann": (True, 1), "Cy": (True, 0), "Dan": (False, 1)}
    graph = ingest_repository(repo.root).graph
    assert graph.node(Label.FILE, "src/app.py").get("changes") == 4  # Ann's two, Cy's, Dan's
    assert follow(repo, "src/app.py") >= 4


def test_chains_a_file_renamed_away_and_back_and_a_path_used_three_times(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit({"a.py": source("first", 0)}, author=ANN)
    repo.rename("a.py", "b.py", author=BEN)  # the first a.py: a -> b -> c
    repo.commit({"a.py": source("second", 0)}, author=CY)
    repo.rename("b.py", "c.py", author=BEN)
    repo.rename("a.py", "d.py", author=DAN)  # the second a.py: a -> d
    repo.commit({"a.py": source("third", 0)}, author=ANN)  # the third, at HEAD
    repo.commit({"x.py": source("x", 0)}, author=CY)
    repo.rename("x.py", "y.py", author=DAN)
    repo.rename("y.py", "x.py", author=BEN)  # renamed away and back: one file
    repo.commit({"x.py": source("x", 1)}, author=DAN)
    history = mine_history(repo.root, IdentitySettings())
    assert holders(history, "c.py") == {"Ann": (True, 0), "Ben": (False, 2)}
    assert holders(history, "d.py") == {"Cy": (True, 0), "Dan": (False, 1)}
    assert holders(history, "a.py") == {"Ann": (True, 0)}
    assert holders(history, "x.py") == {"Cy": (True, 0), "Dan": (False, 2), "Ben": (False, 1)}
    graph = ingest_repository(repo.root).graph
    changes = {path: graph.node(Label.FILE, path).get("changes") for path in ("a.py", "c.py", "d.py", "x.py")}
    assert changes == {"a.py": 1, "c.py": 3, "d.py": 2, "x.py": 4}
    # git's --follow gives c.py's 3; past a rename away it keeps the name it follows, so d.py's and x.py's are more
    assert follow(repo, "c.py") == 3


def test_a_branch_that_changed_the_old_path_after_the_rename_still_follows_the_renamed_file(tmp_path):
    """No file was created at the old path again: the branch's change is the renamed file's (as before)."""
    repo = GitRepo(tmp_path / "r")
    repo.commit({"pkg/old.py": source("old", 0)}, author=ANN)
    repo.git("checkout", "-q", "-b", "side")
    repo.commit({"pkg/old.py": source("old", 1)}, author=BEN)
    repo.git("checkout", "-q", "main")
    repo.rename("pkg/old.py", "pkg/new.py", author=ANN)
    repo.git("merge", "-q", "--no-edit", "side")
    history = mine_history(repo.root, IdentitySettings())
    assert holders(history, "pkg/new.py") == {"Ann": (True, 1), "Ben": (False, 1)}


def test_a_re_ingest_on_either_side_of_the_rename_and_the_new_file_reads_as_a_first_read(tmp_path):
    """Remembered before the rename, before the new file, and after it: each re-ingest gives the cold graph."""
    repo = GitRepo(tmp_path / "repo")
    store = tmp_path / "store"
    repo.commit({"src/config.rs": source("old", 0), "src/lib.rs": "pub mod config;\n"}, author=ANN)
    ingest(repo.root, store)
    repo.rename("src/config.rs", "src/bin/config.rs", author=BEN)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []  # a rename on top of the remembered history: read incrementally
    repo.commit({"src/config.rs": source("new", 0)}, author=CY)
    result, warm = assert_same_as_cold(repo.root, store, tmp_path)
    assert any("renamed away" in note for note in read_notes(result))  # the remembered path is the renamed file's
    repo.commit({"src/config.rs": source("new", 1), "src/bin/config.rs": source("old", 1)}, author=DAN)
    result, warm = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert warm.node(Label.FILE, "src/config.rs").get("changes") == 2


def test_a_re_ingest_that_reads_the_rename_and_the_new_file_at_once_reads_as_a_first_read(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit({"src/config.rs": source("old", 0)}, author=ANN)
    memory = StateFile(tmp_path / "state", repo.root)
    first = mine_history(repo.root, IdentitySettings(), memory=memory)
    memory.save(first.state)
    repo.rename("src/config.rs", "src/bin/config.rs", author=BEN)
    repo.commit({"src/config.rs": source("new", 0)}, author=CY)
    again = mine_history(repo.root, IdentitySettings(), memory=memory)
    cold = mine_history(repo.root, IdentitySettings())
    assert holders(cold, "src/config.rs") == {"Cy": (True, 0)}
    for path in ("src/config.rs", "src/bin/config.rs"):
        assert holders(again, path) == holders(cold, path)


def test_a_request_merged_before_the_rename_credits_its_merger_on_the_renamed_file(tmp_path):
    repo = GitRepo(tmp_path / "r")
    repo.commit({"src/config.rs": source("old", 0)}, author=ANN, date="2024-01-01T00:00:00+00:00")
    repo.git("checkout", "-q", "-b", "topic")
    repo.commit({"src/config.rs": source("old", 1)}, author=BEN, date="2024-01-02T00:00:00+00:00")
    repo.git("checkout", "-q", "main")
    env = {"GIT_AUTHOR_NAME": DAN[0], "GIT_AUTHOR_EMAIL": DAN[1], "GIT_AUTHOR_DATE": "2024-01-03T00:00:00+00:00",
           "GIT_COMMITTER_NAME": DAN[0], "GIT_COMMITTER_EMAIL": DAN[1], "GIT_COMMITTER_DATE": "2024-01-03T00:00:00+00:00"}
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #1 from ben/topic", "topic", env=env)
    repo.rename("src/config.rs", "src/bin/config.rs", author=BEN, date="2024-01-04T00:00:00+00:00")
    repo.commit({"src/config.rs": source("new", 0)}, author=CY, date="2024-01-05T00:00:00+00:00")
    history = mine_history(repo.root, IdentitySettings())
    reviews = {path: {history.people[i].person.name: k.reviews for i, k in history.file_knowledge(path).items()
                      if k.reviews} for path in ("src/bin/config.rs", "src/config.rs")}
    assert reviews == {"src/bin/config.rs": {"Dan": 1}, "src/config.rs": {}}


def replayed(repo: GitRepo) -> dict[str, dict[str, tuple[bool, int]]]:
    """Per path at HEAD, what each author did to the file there, from the log replayed oldest first, independent of
    Cairn's reading: a rename moves a path's record to the new path, and the old path starts afresh; a deletion keeps
    it (a file added at that path again goes on with it, as in the reference and ``git log -- path``)."""
    records: dict[str, dict[str, list[int]]] = {}
    text = repo.git("log", "--reverse", "-M", "--name-status", "--format=%x01%an")
    author = ""
    for line in text.splitlines():
        if line.startswith("\x01"):
            author = line[1:]
            continue
        if not line.strip():
            continue
        status, *paths = line.split("\t")
        if status[0] == "R":
            moved, kept = records.pop(paths[0]), records.setdefault(paths[1], {})
            for who, (adds, deliveries) in moved.items():
                record = kept.setdefault(who, [0, 0])
                record[0], record[1] = record[0] + adds, record[1] + deliveries
        if status != "D":
            record = records.setdefault(paths[-1], {}).setdefault(author, [0, 0])
            record[0 if status == "A" else 1] += 1
    present = set(repo.git("ls-files").split())
    return {path: {who: (adds > 0, deliveries) for who, (adds, deliveries) in records[path].items()} for path in present}


@pytest.mark.parametrize("seed", range(8))
def test_random_renames_and_reused_paths_give_each_file_its_own_history_on_every_re_ingest(tmp_path, seed: int):
    """Files renamed, deleted and made again at names used before, in a linear history: after each commit, every
    file's knowledge is the replayed history's, on a cold read and on a re-ingest of that commit alone."""
    rng = random.Random(seed)
    repo = GitRepo(tmp_path / "r")
    names, present, made = ["a.py", "b.py", "c.py", "d.py", "e.py"], {}, 0
    people = [ANN, BEN, CY, DAN]
    memory = StateFile(tmp_path / "state", repo.root)
    for step in range(24):
        free = [name for name in names if name not in present]
        roll, who = rng.random(), rng.choice(people)
        if not present or (free and roll < 0.3):
            name = rng.choice(free)
            present[name], made = (f"file{made}", 0), made + 1
            repo.commit({name: source(present[name][0], 0)}, author=who)
        elif free and roll < 0.55:
            old, new = rng.choice(sorted(present)), rng.choice(free)
            present[new] = present.pop(old)
            repo.rename(old, new, author=who)
        elif roll < 0.65 and len(present) > 1:
            gone = rng.choice(sorted(present))
            del present[gone]
            repo.commit(delete=[gone], author=who)
        else:
            touched = rng.sample(sorted(present), rng.randint(1, len(present)))
            for name in touched:
                present[name] = (present[name][0], present[name][1] + 1)
            repo.commit({name: source(*present[name]) for name in touched}, author=who)
        warm = mine_history(repo.root, IdentitySettings(), memory=memory)
        if warm.state is not None:
            memory.save(warm.state)
        cold = mine_history(repo.root, IdentitySettings())
        expected = replayed(repo)
        assert set(expected) == set(present)
        for path in present:
            assert holders(cold, path) == expected[path], (step, path)
            assert holders(warm, path) == expected[path], (step, path)

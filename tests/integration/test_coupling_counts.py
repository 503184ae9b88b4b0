"""Shared revisions counted afresh (file by file) against the definition: every pair of every eligible commit.

A random history on a real repository: commits of varied sizes (some over
``max_changeset``), a rename, a deletion and merges. The fresh count keeps
the pairs reaching ``min_shared``; adding the last commits to a count of the
first ones (how a re-ingest counts) must agree with both.
"""

from __future__ import annotations

import sys

import random
from collections import Counter
from itertools import combinations

import pytest

from cairn.graph.changes import CouplingSettings
from cairn.graph.model import Label
from cairn.ingest.cochange import DAY, PAIR, ChangeMemory, CommitView, count_commits, file_index
from cairn.ingest.history_state import Ragged
from cairn.ingest.history import mine_history
from cairn.ingest.pipeline import ingest_repository
from fixtures.gitrepo import GitRepo

PEOPLE = [("Ada", "ada@example.com"), ("Bob", "bob@example.com"), ("Cy", "cy@example.com")]


def _random_repository(root, seed: int) -> GitRepo:
    rng = random.Random(seed)
    repo = GitRepo(root)
    files = [f"src/{d}/m{i}.py" for d in ("a", "b") for i in range(7)]
    repo.commit({f: f"x = 0  # {f}\n" for f in files}, author=PEOPLE[0])
    for n in range(45):
        if n == 20:
            repo.rename("src/a/m0.py", "src/a/zero.py", author=PEOPLE[1])
            files[0] = "src/a/zero.py"
            continue
        if n == 30:
            repo.commit(delete=[files.pop()], author=PEOPLE[2])
            continue
        if n % 15 == 7:  # a side branch merged back
            repo.git("checkout", "-q", "-b", f"side{n}")
            repo.commit({f: f"x = {n}\n" for f in rng.sample(files[:-1], 3)}, author=PEOPLE[n % 3])
            repo.git("checkout", "-q", "main")
            repo.commit({files[-1]: f"y = {n}\n"}, author=PEOPLE[(n + 1) % 3])
            repo.git("merge", "-q", "--no-edit", f"side{n}")
            continue
        size = rng.choice([1, 2, 3, 3, 4, 5, 9])
        repo.commit({f: f"x = {n}  # {rng.random()}\n" for f in rng.sample(files, min(size, len(files)))},
                    author=PEOPLE[rng.randrange(3)])
    return repo


@pytest.mark.parametrize("seed", range(4))
def test_fresh_pair_counts_match_counting_every_pair(tmp_path, seed: int) -> None:
    repo = _random_repository(tmp_path / "r", seed)
    graph = ingest_repository(repo.root).graph
    history = mine_history(repo.root)
    settings = CouplingSettings(min_shared=2, max_changeset=6)
    index = file_index(graph, history)

    def fresh_view() -> CommitView:
        return CommitView(history.log, index, history)

    fresh = ChangeMemory({}, [], {})
    view = fresh_view()
    count_commits(fresh, view, 0, settings)
    expected: Counter = Counter()
    for p in range(len(history.log)):
        if fresh.eligible[p]:
            pids = [index.pid[f] for f in sorted(view.files(p))]
            expected.update(a * PAIR + b for a, b in combinations(pids, 2))
    kept = {key: n for key, n in expected.items() if n >= settings.min_shared}
    assert dict(zip(fresh.pair_key, fresh.pair_shared)) == kept
    assert fresh.pair_key.tolist() == sorted(kept)  # in key order: looked up by bisection
    assert len(kept) >= 10 and any(not e for e in fresh.eligible)  # pairs counted, some commits left out
    assert sorted(fresh.pair_rkey) == sorted((k % PAIR) * PAIR + k // PAIR for k in kept)

    # the first commits afresh, the rest added as a re-ingest adds them: the same pairs and counts
    split = len(history.log) - 12
    partial = ChangeMemory({}, [], {})
    truncated = _prefix(history.log, split)
    count_commits(partial, CommitView(truncated, index, history), 0, settings)
    count_commits(partial, fresh_view(), split, settings)
    assert dict(zip(partial.pair_key, partial.pair_shared)) == kept
    assert partial.revisions == fresh.revisions

    # per file, the non-merge commits touching it and their days, whether counted at once or in two goes
    log, touched = history.log, {}
    for p in range(len(log)):
        if not log.merge[p]:
            for f in view.files(p):
                touched.setdefault(index.pid[f], []).append(p)
    for memory in (fresh, partial):
        assert {pid: memory.touch.get(pid) for pid in memory.touch.keys()} == touched
        assert {pid: memory.days.get(pid) for pid in memory.days.keys()} == {
            pid: [log.committed[p] // DAY for p in ps] for pid, ps in touched.items()}
    assert {name: list(col) for name, col in fresh.touch.columns().items()} == {
        name: list(col) for name, col in _two_step_ragged(touched).columns().items()}


def _prefix(log, n: int):
    """The log's first ``n`` commits, as the log was before the last ones were added."""
    from cairn.ingest.commits import CommitLog

    out = CommitLog(log.sha_bytes)
    out.committed, out.authored, out.author = log.committed[:n], log.authored[:n], log.author[:n]
    out.merge, out.first_parent = log.merge[:n], log.first_parent[:n]
    out.change_end = log.change_end[:n]
    changes = log.change_end[n - 1] if n else 0
    out.change_path, out.change_old, out.change_status = log.change_path[:changes], log.change_old[:changes], log.change_status[:changes]
    out.credited_end, out.interned_end = log.credited_end[:n], log.interned_end[:n]
    out.credited = log.credited[:log.credited_end[n - 1] if n else 0]
    out.interned = log.interned[:log.interned_end[n - 1] if n else 0]
    out.sha = log.sha[:n * log.sha_bytes]
    out.paths, out.path_index = log.paths, log.path_index
    return out


def _two_step_ragged(lists: dict[int, list[int]]) -> Ragged:
    """The ragged table setting each list one by one gives (what a re-ingest's count keeps)."""
    table = Ragged("i")
    for key in sorted(lists, reverse=True):
        table.set(key, lists[key])
    return table


def test_change_days_are_the_days_of_every_commit_touching_the_file_and_share_their_ints(tmp_path) -> None:
    """``change_days``: the UTC day of every non-merge commit touching the file (renames followed), oldest first;
    a day is one int object in every list that holds it (memory: a list per File node, kept to the end)."""
    repo = _random_repository(tmp_path / "r", 3)
    graph = ingest_repository(repo.root).graph
    files = [n for n in graph.of_label(Label.FILE)]
    assert files
    by_value: dict[int, int] = {}
    for node in files:
        times = repo.git("log", "--no-merges", "--follow", "--format=%ct", "--", node.key).split()
        assert node.get("change_days") == [int(t) // DAY for t in reversed(times)], node.key
        for day in node.get("change_days"):
            assert by_value.setdefault(day, id(day)) == id(day)
        # no room to grow held by each list (kept to the end): the size of a copy, which is made at its length
        assert sys.getsizeof(node.get("change_days")) == sys.getsizeof(node.get("change_days").copy())

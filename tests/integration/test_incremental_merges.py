"""Incremental history after merges of branches older than the remembered commit: exactly a cold ingest.

On real repositories the new commit on main is usually the merge of a
pull-request branch whose commits are older (by commit date) than the
remembered head, so ``git log`` walks them among remembered commits. The
ingest places them where a full read puts them and keeps what the analyses
counted over the positions before the first one that moved: change counts
(``cochange.ChangeMemory.truncate``), activity (the new commits only) and the
truck factors of the periods the replay finishes before that position. Every
test compares with a cold ingest (tests/integration/test_incremental_history.py's
machinery) and says which of the analyses were reused, and which fell back.
"""

from __future__ import annotations

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services.workspace import cache_dir_for
from cairn.ingest.cochange import add_changes
from cairn.ingest.commits import CommitLog, kept_prefix
from cairn.ingest import history_state
from cairn.ingest.config import load_config
from cairn.ingest.pipeline import ingest_repository
from fixtures.gitrepo import GitRepo
from fixtures.history_evolution import ADA, BOB, CAROL, CLAUDE, DAVE, EVE, body, grow, merge, modify_only, when
from test_incremental_history import assert_same_as_cold, how_read, mine, read_notes


def branch(repo, name: str, fork: str, commits: list[tuple[dict, tuple[str, str], str, list[str]]]) -> None:
    """A branch from ``fork`` with ``commits`` ((files, author, date, trailers)), main checked out again."""
    repo.git("checkout", "-q", "-b", name, fork)
    for i, (files, author, date, trailers) in enumerate(commits):
        repo.commit(files, author=author, date=date, message=f"{name} {i}", trailers=trailers)
    repo.git("checkout", "-q", "main")


def merge_editing(repo, name: str, files: dict[str, str], message: str) -> None:
    """Carol merges branch ``name`` and writes ``files`` in the merge commit itself (what neither parent has)."""
    env = {"GIT_AUTHOR_NAME": CAROL[0], "GIT_AUTHOR_EMAIL": CAROL[1], "GIT_AUTHOR_DATE": when(6, 3),
           "GIT_COMMITTER_NAME": CAROL[0], "GIT_COMMITTER_EMAIL": CAROL[1], "GIT_COMMITTER_DATE": when(6, 3)}
    repo.git("merge", "-q", "--no-ff", "--no-commit", name, env=env)
    repo.write(files)
    repo.git("add", *files)
    repo.git("commit", "-q", "-m", message, env=env)


def before(repo, date: str) -> str:
    return repo.git("rev-list", "--max-count=1", f"--before={date}", "HEAD")


def counted_incrementally(root, store) -> tuple[bool, int | None, int | None]:
    """Whether the next ingest into ``store`` adds to the remembered change counts; its kept prefix and log length."""
    config = load_config(root)
    history = mine(root, cache_dir_for(open_store(str(store))), config)
    graph = ingest_repository(root, config).graph  # this HEAD's files and components
    return add_changes(graph, history, config.coupling, config.agents).incremental, history.kept_prefix, len(history.log)


def test_a_merged_branch_older_than_the_remembered_head_in_the_current_period_reuses_every_analysis(grown, tmp_path):
    repo, store = grown
    branch(repo, "tidy", before(repo, "2024-04-11"), [
        ({"core/a.py": body("a", 20)}, EVE, when(4, 14), []),
        ({"core/t.py": "T = 1\n", "core/a.py": body("a", 21)}, CAROL, when(4, 16), [f"Co-authored-by: {DAVE[0]} <{DAVE[1]}>"]),
    ])
    merge(repo, "tidy", "Merge pull request #4 from eve-online/tidy\n\nTidy", when(4, 25), author=BOB)
    assert how_read(repo.root, store) == ("incremental", 3, False)  # placed among the remembered commits
    incremental, kept, total = counted_incrementally(repo.root, store)
    assert incremental and 0 < kept < total - 3  # the counts kept up to where the branch's first commit landed
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert set(result.trends.known_factors) == {"2024-Q1"}  # the branch stays in the current quarter


def test_a_merged_branch_reaching_into_an_earlier_period_replays_the_truck_factors(grown, tmp_path):
    repo, store = grown
    branch(repo, "long", before(repo, "2024-03-02"), [
        ({"core/l.py": "L = 1\n"}, DAVE, when(3, 5), []),
        ({"core/l.py": "L = 2\n", "core/deps.py": "DEPS = 3\n"}, EVE, when(4, 15), []),
    ])
    merge(repo, "long", "Merge pull request #5 from dave-null/long\n\nLong", when(4, 26))
    incremental, kept, _ = counted_incrementally(repo.root, store)
    assert incremental and kept > 0  # change counts: order-free sums, taken back past the branch and added again
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert result.trends.known_factors is None  # the first quarter replays the branch's March commit: again


def test_a_rename_on_a_merged_branch_counts_the_changes_again_and_stays_exact(grown, tmp_path):
    repo, store = grown
    repo.git("checkout", "-q", "-b", "move", before(repo, "2024-04-11"))
    repo.rename("web/w.py", "web/w2.py", author=EVE, date=when(4, 13), message="move w")
    repo.commit({"core/a.py": body("a", 30)}, author=CAROL, date=when(4, 14), message="a on the branch")
    repo.git("checkout", "-q", "main")
    merge(repo, "move", "Merge pull request #6 from eve-online/move\n\nMove", when(4, 27))
    # the remembered path web/w.py stands for another file now (web/w2.py): the counts start again, exactly
    assert counted_incrementally(repo.root, store)[0] is False
    result, graph = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    knows = {(e.source.split("|")[-1], e.target.split("|")[-1]) for e in graph.of_type("KNOWS")}
    assert ("ada@example.com", "web/w2.py") in knows  # the rename on the branch carries the knowledge from before


def test_an_agent_commit_past_the_branch_is_taken_back_and_counted_again_exactly(grown, tmp_path):
    repo, store = grown
    # the remembered agent commit (February 14th) comes after where this branch's first commit lands
    branch(repo, "early", before(repo, "2024-02-04"), [({"core/e.py": "E = 1\n"}, EVE, when(2, 10), [])])
    merge(repo, "early", "Merge pull request #7 from eve-online/early\n\nEarly", when(4, 28))
    assert counted_incrementally(repo.root, store)[0] is True
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []


def test_ingests_after_several_commits_with_merges_each_equal_a_cold_ingest(grown, tmp_path):
    repo, store = grown
    grow(repo)  # a new quarter, a pull request merged on top
    assert_same_as_cold(repo.root, store, tmp_path)
    branch(repo, "one", before(repo, "2024-06-11"), [
        ({"core/a2.py": body("a", 50)}, DAVE, when(6, 11, 9), []),
        ({"core/n.py": "N = 1\n"}, EVE, when(6, 13), [f"Reviewed-by: {ADA[0]} <{ADA[1]}>"]),
    ])
    branch(repo, "two", before(repo, "2024-05-16"), [({"web/two.py": "TWO = 1\n"}, CAROL, when(5, 20), [])])
    repo.commit({"web/w.py": body("w", 51)}, author=BOB, date=when(7, 10), message="direct")
    merge(repo, "one", "Merge pull request #8 from dave-null/one\n\nOne", when(7, 11))
    merge(repo, "two", "Merge pull request #9 from carol/two\n\nTwo", when(7, 12))
    assert how_read(repo.root, store)[:2] == ("incremental", 6)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    modify_only(repo)  # then commits on top again
    assert how_read(repo.root, store) == ("incremental", 3, True)
    assert_same_as_cold(repo.root, store, tmp_path)
    branch(repo, "agent", before(repo, "2024-07-21"), [
        ({"core/n.py": "N = 2\n"}, CLAUDE, when(7, 21, 13), [f"Co-authored-by: {BOB[0]} <{BOB[1]}>"])])
    merge(repo, "agent", "Merge pull request #10 from bob/agent\n\nAgent", when(7, 30))
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []


def test_a_merge_that_changes_a_file_its_branch_did_not_credits_its_merger_as_a_cold_ingest_does(grown, tmp_path):
    # a conflict resolved, or an edit made in the merge itself, of a file no new commit changes: the merge brings the
    # file in (its merger reviewed it), so that file's knowledge is worked out again though no record of it changed
    repo, store = grown
    branch(repo, "fix", repo.head(), [({"core/a2.py": body("a", 30)}, EVE, when(6, 2), [])])
    merge_editing(repo, "fix", {"web/w.py": body("w", 30)}, "Merge pull request #7 from eve-online/fix\n\nFix")
    assert how_read(repo.root, store) == ("incremental", 2, True)
    result, warm = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    carol = next(n.id for n in warm.of_label("Person") if n.get("name") == CAROL[0])
    merged = next(n.id for n in warm.of_label("File") if n.key == "web/w.py")
    assert any(e.source == carol and e.target == merged and e.get("reviews") for e in warm.of_type("KNOWS"))


@pytest.mark.parametrize("separately", [True, False])
def test_a_file_made_in_a_merge_and_changed_later_counts_as_on_a_cold_ingest(grown, tmp_path, separately):
    # the merge itself adds a file no commit of its branch has; it is ingested, then a later commit changes it
    repo, store = grown
    branch(repo, "merged-new", repo.head(), [({"core/a3.py": body("a", 31)}, EVE, when(6, 2), [])])
    merge_editing(repo, "merged-new", {"web/made_in_merge.py": body("m", 30)},
                  "Merge pull request #8 from eve-online/feat\n\nFeat")
    if separately:
        assert_same_as_cold(repo.root, store, tmp_path)
    repo.commit({"web/made_in_merge.py": body("m", 31)}, author=DAVE, date=when(6, 5), message="change the merged file")
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []


def test_a_branch_forked_below_the_remembered_head_and_newer_than_it_is_added_on_top(grown, tmp_path):
    repo, store = grown
    branch(repo, "fresh", before(repo, "2024-04-11"), [
        ({"core/f.py": "F = 1\n"}, EVE, when(4, 21), []), ({"core/a.py": body("a", 70)}, CAROL, when(4, 22), [])])
    merge(repo, "fresh", "Merge pull request #11 from eve-online/fresh\n\nFresh", when(4, 23))
    # git's walk replayed: the fork (April 10th) is older than every commit remembered after it
    assert how_read(repo.root, store) == ("incremental", 3, True)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == [] and set(result.trends.known_factors) == {"2024-Q1"}


def test_a_fork_newer_than_a_later_remembered_commit_is_placed_by_git(grown, tmp_path, monkeypatch):
    repo, store = grown
    monkeypatch.setattr(history_state, "UNSAVED_FLOOR", 0)  # the commit of April 1st remembered: the state saved
    fork = repo.head()
    repo.commit({"core/s.py": "S = 1\n"}, author=BOB, date=when(4, 1), message="a clock behind")
    assert_same_as_cold(repo.root, store, tmp_path)
    branch(repo, "skew", fork, [({"core/k.py": "K = 1\n"}, EVE, when(5, 1), [])])
    merge(repo, "skew", "Merge pull request #12 from eve-online/skew\n\nSkew", when(5, 2))
    # git walks the fork (April 20th) before the remembered commit dated April 1st: the remembered order changes
    assert how_read(repo.root, store) == ("incremental", 2, False)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []


def test_a_reordered_log_is_the_log_laid_out_commit_by_commit():
    log = CommitLog()
    for n in range(6):
        log.append_stream([_record(n)])
    order = [0, 1, 4, 2, 5, 3]
    assert kept_prefix(order) == 2 and kept_prefix([0, 1, 2]) == 3 and kept_prefix([]) == 0
    fast = log.reordered(order)
    for name in CommitLog.ARRAYS + CommitLog.BYTES:
        expected = _laid_out(log, order, name)
        assert list(getattr(fast, name)) == expected, name


def _record(n):
    from cairn.ingest.commits import CommitRecord
    parents = [] if n == 0 else [f"{n - 1:040x}"]
    return CommitRecord(f"{n:040x}", parents, n % 2, 100 + n, 200 + n, [n % 3], [("M", f"f{n}.py", None)] * (n % 3 + 1),
                        [n % 2, n % 3])


def _laid_out(log, order, name):
    """What ``reordered`` must give for column ``name``: each commit's part in ``order``, built the plain way."""
    new_of = {old: new for new, old in enumerate(order)}
    width = log.sha_bytes
    if name == "sha":
        return [b for old in order for b in log.sha[old * width:(old + 1) * width]]
    if name in ("committed", "authored", "author", "merge"):
        return [getattr(log, name)[old] for old in order]
    if name == "first_parent":
        return [new_of[log.first_parent[old]] if log.first_parent[old] >= 0 else -1 for old in order]
    if name in ("change_path", "change_old", "change_status"):
        return [getattr(log, name)[c] for old in order for c in log.changes_of(old)]
    if name == "credited":
        return [x for old in order for x in log.credited_of(old)]
    if name == "interned":
        return [x for old in order for x in log.interned_of(old)]
    ends, total = [], 0
    for old in order:
        total += {"change_end": len(log.changes_of(old)), "credited_end": len(log.credited_of(old)),
                  "interned_end": len(log.interned_of(old))}[name]
        ends.append(total)
    return ends


def _walk_after(repo, remembered: str):
    """``history_placement.walk_until_kept`` for HEAD, with the history of ``remembered`` as the remembered log."""
    from cairn.ingest.commits import StreamColumns
    from cairn.ingest.history_placement import walk_until_kept
    from cairn.ingest.history import mine_history as mine_all

    head = repo.head()
    repo.git("checkout", "-q", "--detach", remembered)
    log = mine_all(repo.root).log
    repo.git("checkout", "-q", head)
    records = []
    mine_all(repo.root, observer=records.append)
    old = {log.sha_of(p) for p in range(len(log))}
    new = StreamColumns.from_records([r for r in records if r.sha not in old])
    length = len(log)
    log.append_stream(new)
    return length, walk_until_kept(repo.root, head, log, length, new), repo.git("rev-list", "HEAD").split()


def test_git_walk_is_read_only_until_the_merged_branch_is_placed(tmp_path):
    repo = GitRepo(tmp_path / "r")
    for day in range(1, 9):
        repo.commit({"m.py": f"M = {day}\n"}, author=ADA, date=when(1, day), message=f"main {day}")
    remembered = repo.head()
    branch(repo, "b", before(repo, "2024-01-05T13:00"), [({"b.py": "B = 1\n"}, EVE, when(1, 6, 18), [])])
    merge(repo, "b", "Merge pull request #1 from eve-online/b", when(1, 10))
    length, (kept, listed), walk = _walk_after(repo, remembered)
    # the merge, the remembered commits of January 8th and 7th, the branch's commit: then git walks as it did before
    assert (kept, listed) == (length - 2, walk[:4]) and len(walk) == length + 2


def test_git_walk_is_read_to_the_end_when_a_queued_fork_would_come_out_early(tmp_path):
    repo = GitRepo(tmp_path / "r")
    for day in range(1, 8):
        repo.commit({"m.py": f"M = {day}\n"}, author=ADA, date=when(1, day), message=f"main {day}")
    fork = repo.head()
    repo.commit({"m.py": "M = 0\n"}, author=BOB, date=when(1, 2, 6), message="a clock behind")
    remembered = repo.head()
    branch(repo, "b", fork, [({"b.py": "B = 1\n"}, EVE, when(1, 3), [])])
    merge(repo, "b", "Merge b", when(1, 10))
    length, (kept, listed), walk = _walk_after(repo, remembered)
    # git walks the fork (January 7th) before the remembered head dated January 2nd: every position moves
    assert listed == walk and kept == 0 and walk.index(fork) < walk.index(remembered)

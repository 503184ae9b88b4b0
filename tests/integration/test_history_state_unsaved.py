"""Git is the journal: an ingest after a few commits on top of the remembered ones leaves the history state file as it
was, and the next ingest, reading those commits again with its own, gives exactly what a cold ingest gives.

Each test ingests a real repository (tests/fixtures/history_evolution.py), adds commits, ingests into the same store
and compares with a cold ingest (test_incremental_history's machinery: every node and relationship property and the
answers, stored and computed). Past the bound (``history_state.unsaved_commits``), or when anything else changed, the
state is written at HEAD; a history rewritten or a branch merged after an unsaved ingest is read as it would be after
a saved one. The store's KNOWS edges are patched from what the unsaved ingest kept beside the state
(``history_state.Unsaved``), never from a record that does not describe them.
"""

from __future__ import annotations

import json

import pytest

from cairn.api.bootstrap import open_store
from cairn.api.services import ingesting
from cairn.api.services.workspace import cache_dir_for
from cairn.graph.model import Rel
from cairn.ingest import history_state
from cairn.ingest.history_state import StateFile, state_path
from fixtures.history_evolution import BOB, CAROL, EVE, body, merge, modify_only, when
from test_incremental_history import assert_same_as_cold, how_read, read_notes
from test_incremental_merges import before, branch


@pytest.fixture
def patched(monkeypatch):
    """The relationship types each save into a store patched (rather than compared whole), in order."""
    seen: list[frozenset] = []
    changes_of = ingesting._changes

    def spying(store, result, reviews):
        changes = changes_of(store, result, reviews)
        seen.append(changes.patched)
        return changes

    monkeypatch.setattr(ingesting, "_changes", spying)
    return seen


def files_of(root, store):
    cache = cache_dir_for(open_store(str(store)))
    path = state_path(cache, root)
    unsaved = path.with_suffix(".unsaved")
    return path.read_bytes(), (unsaved.read_bytes() if unsaved.exists() else None)


def remembered_head(root, store):
    state = StateFile(cache_dir_for(open_store(str(store))), root).load()
    assert state is not None
    return state.head


def one_commit(repo, n: int, author=BOB) -> None:
    repo.commit({"core/b2.py": body("b", 40 + n), f"web/n{n}.py": f"N = {n}\n"}, author=author, date=when(4, 20 + n),
                message=f"commit {n}")


def test_few_new_commits_leave_the_state_file_as_it_was_and_give_the_cold_result(grown, tmp_path, patched):
    repo, store = grown
    saved, _ = files_of(repo.root, store)
    head = repo.head()
    one_commit(repo, 1)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    state, unsaved = files_of(repo.root, store)
    assert state == saved and remembered_head(repo.root, store) == head  # the same bytes: not written
    assert unsaved is not None and json.loads(unsaved)["state"][1] == head
    assert Rel.KNOWS in patched[0]  # against the memory in the file, which built the stored edges
    # the next ingest reads the first commit again with its own, and patches the edges the last one stored
    one_commit(repo, 2, author=EVE)
    assert how_read(repo.root, store)[:2] == ("incremental", 2)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == [] and files_of(repo.root, store)[0] == saved
    assert Rel.KNOWS in patched[2]  # (patched[1]: the cold ingest)
    # nothing new: read again, the same
    assert how_read(repo.root, store)[:2] == ("incremental", 2)
    assert_same_as_cold(repo.root, store, tmp_path)


def test_past_the_bound_the_state_is_saved_at_head(grown, tmp_path, monkeypatch, patched):
    repo, store = grown
    monkeypatch.setattr(history_state, "UNSAVED_FLOOR", 1)
    saved, _ = files_of(repo.root, store)
    one_commit(repo, 1)
    assert_same_as_cold(repo.root, store, tmp_path)
    assert files_of(repo.root, store)[0] == saved  # one commit: within the bound
    one_commit(repo, 2, author=CAROL)  # two to read since the file's head: past it
    assert_same_as_cold(repo.root, store, tmp_path)
    state, unsaved = files_of(repo.root, store)
    assert state != saved and unsaved is None and remembered_head(repo.root, store) == repo.head()
    assert Rel.KNOWS in patched[2]
    assert how_read(repo.root, store)[:2] == ("incremental", 0)


def test_a_new_quarter_saves_the_state_with_the_truck_factors_computed_for_it(grown, tmp_path):
    repo, store = grown
    saved, _ = files_of(repo.root, store)
    repo.commit({"core/b2.py": body("b", 50)}, author=BOB, date=when(7, 2), message="a new quarter")
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert result.trends.known_factors is None  # the earlier quarters' factors computed again: kept with the state
    assert files_of(repo.root, store)[0] != saved and remembered_head(repo.root, store) == repo.head()


def test_a_history_rewritten_after_an_unsaved_ingest_is_read_in_full_with_a_note(grown, tmp_path):
    repo, store = grown
    saved, _ = files_of(repo.root, store)
    one_commit(repo, 1)
    assert_same_as_cold(repo.root, store, tmp_path)
    assert files_of(repo.root, store)[0] == saved
    repo.git("reset", "-q", "--hard", "HEAD~2")  # below the file's head too
    repo.commit({"core/a.py": "A = 'again'\n"}, author=BOB, date=when(5, 1), message="instead")
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    notes = read_notes(result)
    assert len(notes) == 1 and "is no longer an ancestor of HEAD (the history was rewritten)" in notes[0]
    assert remembered_head(repo.root, store) == repo.head() and files_of(repo.root, store)[1] is None


def test_a_history_rewritten_above_the_file_after_an_unsaved_ingest_reads_the_new_commits(grown, tmp_path, patched):
    repo, store = grown
    one_commit(repo, 1)
    assert_same_as_cold(repo.root, store, tmp_path)
    repo.git("reset", "-q", "--hard", "HEAD~1")  # the unsaved ingest's commit gone: the file's head still an ancestor
    one_commit(repo, 2, author=CAROL)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert how_read(repo.root, store)[:2] == ("incremental", 1)


def test_an_old_branch_merged_after_an_unsaved_ingest_gives_the_cold_result(grown, tmp_path):
    repo, store = grown
    fork = before(repo, "2024-04-11")
    one_commit(repo, 1)
    assert_same_as_cold(repo.root, store, tmp_path)
    branch(repo, "tidy", fork, [
        ({"core/a.py": body("a", 20)}, EVE, when(4, 14), []),
        ({"core/t.py": "T = 1\n", "core/a.py": body("a", 21)}, CAROL, when(4, 16), []),
    ])
    merge(repo, "tidy", "Merge pull request #4 from eve-online/tidy\n\nTidy", when(4, 25), author=BOB)
    assert how_read(repo.root, store) == ("incremental", 4, False)  # placed among the remembered commits
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == [] and remembered_head(repo.root, store) == repo.head()  # placed: saved
    one_commit(repo, 3)
    assert_same_as_cold(repo.root, store, tmp_path)


def test_several_unsaved_ingests_in_a_row_stay_exact(grown, tmp_path, patched):
    repo, store = grown
    saved, _ = files_of(repo.root, store)
    modify_only(repo, month=5)
    for n, author in enumerate((EVE, CAROL, BOB), 1):
        one_commit(repo, n, author=author)
        assert_same_as_cold(repo.root, store, tmp_path)
    assert files_of(repo.root, store)[0] == saved
    assert all(Rel.KNOWS in patched[i] for i in (0, 2, 4))


@pytest.mark.parametrize("damage", ["garbage", "other-token", "other-state"])
def test_a_record_that_does_not_describe_the_stored_edges_is_never_patched_from(grown, tmp_path, damage, patched):
    repo, store = grown
    one_commit(repo, 1)
    assert_same_as_cold(repo.root, store, tmp_path)
    path = state_path(cache_dir_for(open_store(str(store))), repo.root).with_suffix(".unsaved")
    record = json.loads(path.read_bytes())
    if damage == "garbage":
        path.write_bytes(b"{not json")
    elif damage == "other-token":
        record["token"] = "0" * 16  # another store's, say: its name is not the stored edges'
        path.write_text(json.dumps(record))
    else:
        record["state"] = [record["state"][0] - 1, "0" * 40]  # of another state file
        path.write_text(json.dumps(record))
    one_commit(repo, 2, author=EVE)
    result, _ = assert_same_as_cold(repo.root, store, tmp_path)
    assert read_notes(result) == []
    assert Rel.KNOWS not in patched[2]  # every KNOWS edge compared

"""The history state saved after each of several incremental ingests reads back as it was saved, equals the same
state encoded whole, and holds each commit of the history once: no save loses or duplicates what an earlier one
wrote, and a cold ingest of the same history remembers the same commits and totals."""

from __future__ import annotations

from array import array

from cairn.api.bootstrap import open_store
from cairn.api.services.ingesting import ingest_into_store
from cairn.api.services.workspace import cache_dir_for
from cairn.ingest import history_state
from cairn.ingest.history_state import Ragged, StateFile, encode_state, read_document, state_path
from fixtures.history_evolution import build_before, grow, modify_only


def plain(value):
    """``value`` with the state's arrays, byte strings and ragged tables as lists, NaNs as "nan" (comparable by ``==``)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Ragged):
        return plain(value.columns())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (array, bytearray, bytes, memoryview)):
        return [plain(v) for v in value]
    if isinstance(value, float) and value != value:  # a DOA column's "none" (someone with review credit only)
        return "nan"
    return value


def remembered(root, store):
    path = state_path(cache_dir_for(open_store(str(store))), root)
    memory = StateFile(cache_dir_for(open_store(str(store))), root)
    state = memory.load()
    assert memory.notes == [] and state is not None
    return path.read_bytes(), state


def test_each_incremental_save_reads_back_as_saved_and_as_the_state_encoded_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(history_state, "UNSAVED_FLOOR", 0)  # saved after every ingest that reads a commit
    repo = build_before(tmp_path / "repo")
    store = tmp_path / "store"
    ingest_into_store(open_store(str(store)), repo.root)
    for step in (grow, modify_only, lambda r: modify_only(r, month=8)):
        step(repo)
        ingest_into_store(open_store(str(store)), repo.root)
        data, state = remembered(repo.root, store)
        assert plain(read_document(encode_state(state))) == plain(read_document(data))
        history = repo.git("rev-list", "--all").split()
        shas = [state.log.sha_of(i) for i in range(len(state.log))]
        assert sorted(shas) == sorted(history) and len(set(shas)) == len(shas)  # each commit once, none lost
        assert state.head == repo.git("rev-parse", "HEAD").strip() and state.totals.commits == len(shas)
    cold_store = tmp_path / "cold"
    ingest_into_store(open_store(str(cold_store)), repo.root)
    _, cold = remembered(repo.root, cold_store)
    assert cold.head == state.head and cold.commits_total == state.commits_total
    assert sorted(cold.log.sha_of(i) for i in range(len(cold.log))) == sorted(shas)
    counters = ("commits", "merges", "agent_commits", "bot_commits", "bad_email", "squashes_without_credit", "newest")
    assert [getattr(cold.totals, c) for c in counters] == [getattr(state.totals, c) for c in counters]
    assert sorted(cold.identity_keys) == sorted(state.identity_keys)
    weight = dict(zip(state.identity_keys, state.weights))
    assert dict(zip(cold.identity_keys, cold.weights)) == weight

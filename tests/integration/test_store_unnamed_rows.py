"""A save given the nodes that may have changed (``GraphChanges.nodes_changed`` with ``nodes_added_named``) reads the
stored chunks holding one of them and cuts them again; of their rows it serialises and compares only the named ones:
an unnamed node there is stored as it is, by the caller's promise (after a commit at 50k files, the current Period
node's chunk holds 30 other periods, 3.6 MB of JSON). ``CAIRN_VERIFY_SKIPS=1`` (tests/conftest.py) compares the
unnamed ones too, and a node that changed unnamed fails the save.
"""

from __future__ import annotations

import pytest

import cairn.graph.sqlite_write as write_module
from cairn.graph.errors import StoreError
from cairn.graph.sqlite_chunks import node_chunk_ends
from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphChanges
from test_incremental_node_skips import _graph, _stored_lines


def _neighbours(values: dict[str, int]) -> tuple[str, str]:
    """Two files whose nodes share a chunk of the store."""
    ids = sorted(_graph(values).nodes)
    start = 0
    for end in node_chunk_ends(ids):
        files = [i for i in ids[start:end] if i.startswith("File|")]
        if len(files) >= 2:
            return files[0].split("|")[-1], files[1].split("|")[-1]
        start = end
    raise AssertionError("no chunk of two files")


def test_only_the_named_nodes_of_a_chunk_cut_again_are_serialised_and_an_unnamed_change_is_refused(tmp_path, monkeypatch):
    before = {f"f{i:04d}.py": i for i in range(600)}
    store = SqliteStore(tmp_path / "s")
    store.save(_graph(before))
    named, other = _neighbours(before)
    serialised: list[str] = []
    serialise = write_module.serialise
    monkeypatch.setattr(write_module, "serialise", lambda value, what: (serialised.append(what), serialise(value, what))[1])

    after = {**before, named: -1}
    store.save_changes(GraphChanges(_graph(after), nodes_changed=frozenset({f"File|r|{named}"}), nodes_added_named=True))
    assert _stored_lines(store) == after
    assert [what for what in serialised if what.startswith("node ")] == [f"node File|r|{named}"]  # not its neighbours

    monkeypatch.delenv("CAIRN_VERIFY_SKIPS")
    wrong = {**after, named: -2, other: -3}  # the neighbour changed too, unnamed: the promise is trusted
    store.save_changes(GraphChanges(_graph(wrong), nodes_changed=frozenset({f"File|r|{named}"}), nodes_added_named=True))
    assert _stored_lines(store) == {**wrong, other: before[other]}

    monkeypatch.setenv("CAIRN_VERIFY_SKIPS", "1")
    again = {**wrong, named: -4, other: -5}
    with pytest.raises(StoreError, match=f"node File\\|r\\|{other} differs .* not named in nodes_changed"):
        store.save_changes(GraphChanges(_graph(again), nodes_changed=frozenset({f"File|r|{named}"}),
                                        nodes_added_named=True))
    store.save_changes(GraphChanges(_graph(again), nodes_changed=frozenset({f"File|r|{named}", f"File|r|{other}"}),
                                    nodes_added_named=True))
    assert _stored_lines(store) == again

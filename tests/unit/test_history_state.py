"""The history state's pieces: record and ragged tables folded into columns, the log reordered, the file codec."""

from __future__ import annotations

import json
from array import array

import pytest

from cairn.ingest.commits import NO_PARENT, CommitLog, CommitRecord
from cairn.ingest.history_state import (
    MAGIC, HistoryState, Joined, LogTotals, Ragged, StateFile, Texts, decode_state, encode_state, fingerprint_change, read_document,
    state_path,
)
from cairn.ingest.knowledge import RecordTable


def commit(sha: int, parents: list[int], author: int, when: int, changes, credited=(), pr=None) -> CommitRecord:
    return CommitRecord(f"{sha:040x}", [f"{p:040x}" for p in parents], author, when, when, list(credited), list(changes),
                        [author, *credited], pr)


def small_log() -> CommitLog:
    log = CommitLog()
    log.append_stream([  # a stream: newest first
        commit(4, [3, 2], 0, 40, [], pr="dev"),
        commit(3, [1], 1, 30, [("R", "b.py", "a.py")], credited=[2]),
        commit(2, [1], 2, 20, [("M", "a.py", None), ("A", "c.py", None)]),
        commit(1, [], 0, 10, [("A", "a.py", None)]),
    ])
    return log


def test_the_log_is_oldest_first_with_positions_for_parents_and_pull_request_tips():
    log = small_log()
    assert [log.sha_of(p)[-1] for p in range(len(log))] == ["1", "2", "3", "4"]
    assert list(log.first_parent) == [NO_PARENT, 0, 0, 2]
    assert log.pull_requests == [("dev", 3, 1)]
    assert log.change_tuples(2) == [("R", "b.py", "a.py")]
    assert log.credited_of(2) == [2]
    assert list(log.first_parent_chain()) == [3, 2, 0]
    assert log.stream_interning_order() == [0, 1, 2]
    assert log.position_of(f"{3:040x}") == 2 and log.position_of("zz") is None


def test_reordering_moves_every_column_and_remaps_positions():
    log = small_log()
    other = log.reordered([0, 2, 1, 3])
    assert [other.sha_of(p)[-1] for p in range(4)] == ["1", "3", "2", "4"]
    assert list(other.first_parent) == [NO_PARENT, 0, 0, 1]
    assert other.pull_requests == [("dev", 3, 2)]
    assert other.change_tuples(1) == [("R", "b.py", "a.py")] and other.change_tuples(2) == log.change_tuples(1)
    with pytest.raises(ValueError):
        log.reordered([0, 0, 1, 2])


def test_records_added_in_two_reads_equal_one_read_and_fold_into_columns():
    one, two = RecordTable(), RecordTable()
    one.add({0: {0: [1, 0, 10, 0], 1: [0, 0, 10, 1]}, 2: {1: [0, 2, 30, 0]}})
    one.add({0: {0: [0, 1, 50, 0]}, 1: {2: [1, 0, 40, 0]}})
    two.add({0: {0: [1, 1, 50, 0], 1: [0, 0, 10, 1]}, 1: {2: [1, 0, 40, 0]}, 2: {1: [0, 2, 30, 0]}})
    for table in (one, two):
        table.columns()
        assert table.changed == {}
    assert {name: list(col) for name, col in one.columns().items()} == {name: list(col) for name, col in two.columns().items()}
    assert one.get(0) == {0: [1, 1, 50, 0], 1: [0, 0, 10, 1]} and one.get(7) == {}
    one.add({1: {0: [0, 1, 60, 0]}})
    assert one.get(1) == {2: [1, 0, 40, 0], 0: [0, 1, 60, 0]} and one.get(2) == {1: [0, 2, 30, 0]}
    assert list(one.columns()["count"]) == [2, 2, 1]


def test_ragged_lists_keep_their_keys_through_columns():
    table = Ragged()
    table.set(3, [1, 2])
    table.set(0, [5])
    table.columns()
    table.set(1, [7, 8, 9])
    table.set(3, [1, 2, 4])
    assert [table.get(k) for k in range(5)] == [[5], [7, 8, 9], [], [1, 2, 4], []]
    again = Ragged.from_columns(table.columns())
    assert [again.get(k) for k in range(5)] == [[5], [7, 8, 9], [], [1, 2, 4], []] and again.keys() == [0, 1, 3]
    with pytest.raises(ValueError):
        Ragged.from_columns({"counts": array("i", [2]), "values": array("i", [1])})


def test_the_state_round_trips_and_a_damaged_one_is_refused(tmp_path):
    log = small_log()
    totals = LogTotals(commits=4, merges=1, newest=40)
    totals.records.add({0: {0: [1, 0, 10, 0]}})
    totals.renames.add((0, 1))
    state = HistoryState("/repo", {"cairn": "1"}, log.sha_of(3), 4, [("Ada", "a@x"), ("Bob", "b@x"), ("Cy", "c@x")],
                         [2, 1, 1], [False, False, True], [0, 1, 2], totals, log,
                         {"changes": {"list": array("i", [1, 2]), "flags": bytearray(b"\x01\x00"), "table": Ragged()}})
    back = decode_state(read_document(encode_state(state)))
    assert back.log.columns()["paths"] == log.paths and back.totals.records.get(0) == {0: [1, 0, 10, 0]}
    assert back.totals.renames == {(0, 1)} and back.identity_keys == state.identity_keys
    assert list(back.analyses["changes"]["list"]) == [1, 2] and back.analyses["changes"]["flags"] == bytearray(b"\x01\x00")
    document = read_document(encode_state(state))
    document["identities"]["stream_order"] = [0, 0, 1]
    with pytest.raises(ValueError):
        decode_state(document)
    document = read_document(encode_state(state))
    document["log"]["author"] = document["log"]["committed"]  # lengths no longer fit
    with pytest.raises((ValueError, TypeError)):
        decode_state(document)
    data = encode_state(state)
    memory = StateFile(tmp_path / "cache", tmp_path)
    assert memory.save(state) is None and memory.path.read_bytes() == data  # written in parts, the same bytes
    with pytest.raises(ValueError):
        read_document(data[: len(data) - 3])  # an array cut short
    with pytest.raises(ValueError):
        read_document(b"{}" + data)
    # the checksum decides before the header's parse (it is worked out beside it): damaged arrays say so even when
    # the header is damaged too; a damaged header alone fails its parse
    end = data.index(b"\n", len(MAGIC)) + 1
    header_end = end + int(data[len(MAGIC):end].split(b" ")[0])
    both = bytearray(data)
    both[end] = ord("[")
    both[-1] ^= 0xFF
    with pytest.raises(ValueError, match="checksum"):
        read_document(bytes(both))
    header = bytearray(data)
    header[header_end - 1] = ord("[")
    with pytest.raises(json.JSONDecodeError):
        read_document(bytes(header))
    arrays = bytearray(data)
    arrays[-1] ^= 0xFF
    with pytest.raises(ValueError, match="checksum"):
        read_document(bytes(arrays))


def test_the_state_file_is_read_mapped_and_one_cut_short_empty_or_foreign_is_ignored_with_a_note(tmp_path, monkeypatch):
    import mmap

    from cairn.ingest import history_state

    log = small_log()
    state = HistoryState(str(tmp_path), {"cairn": "1"}, log.sha_of(3), 4, [("Ada", "a@x")], [4], [False], [0],
                         LogTotals(commits=4), log, {"changes": {"list": array("i", [1, 2])}})
    memory = StateFile(tmp_path / "cache", tmp_path)
    assert memory.save(state) is None
    data = memory.path.read_bytes()
    mapped: list = []
    real = history_state._mapped_file
    monkeypatch.setattr(history_state, "_mapped_file", lambda path: mapped.append(real(path)) or mapped[-1])
    back = memory.load()
    assert back is not None and back.log.columns()["paths"] == log.paths and back.saved_size == len(data)
    assert list(back.analyses["changes"]["list"]) == [1, 2]
    assert type(mapped[0]) is mmap.mmap and mapped[0].closed  # (unmapped once decoded: nothing holds it)
    for written in (data[: len(data) - 3], b"", MAGIC, MAGIC + b"12", b"not a state"):
        memory.path.write_bytes(written)
        memory.notes.clear()
        assert memory.load() is None and len(memory.notes) == 1 and "ignored" in memory.notes[0]


def test_a_missing_cache_directory_remembers_nothing_and_a_fingerprint_change_is_said(tmp_path):
    memory = StateFile(None, tmp_path)
    assert memory.load() is None and memory.save(None) is None  # type: ignore[arg-type]
    assert state_path(tmp_path, tmp_path / "a") != state_path(tmp_path, tmp_path / "b")
    assert fingerprint_change({"a": "1", "b": "2"}, {"a": "1", "b": "2"}) is None
    assert fingerprint_change({"cairn": "1"}, {"cairn": "2"}) == "Cairn's history mining changed (another version)"
    assert fingerprint_change({".mailmap": "x", "git": "1"}, {".mailmap": "y", "git": "1"}) == (
        "the identity configuration changed (.mailmap)")


def test_texts_are_kept_as_blobs_not_json_lists_and_read_back_the_same():
    log = small_log()
    activity = {"periods": Texts(["2024-01", "2024-02"]), "people": Texts([]), "odd": Texts(["caf\udce9"])}
    state = HistoryState("/repo", {"cairn": "1"}, log.sha_of(3), 4, [("Ada", "a@x")], [4], [False], [0],
                         LogTotals(commits=4), log, {"activity": activity})
    data = encode_state(state)
    line, rest = data[len(MAGIC):].split(b"\n", 1)
    header = rest[:int(line.split()[0])]
    assert b"2024-01" not in header and log.paths[0].encode() not in header  # the strings are in the blobs
    back = decode_state(read_document(data))
    assert back.log.paths == log.paths and isinstance(back.analyses["activity"]["periods"], Texts)
    assert back.analyses["activity"] == activity
    # read back and written again untouched (an analysis not counted in that run): the same bytes
    assert encode_state(back) == data


def test_joined_strings_are_the_whole_blob_made_a_slice_at_a_time(monkeypatch):
    monkeypatch.setattr(Joined, "AT_ONCE", 2)  # slices of two strings: every seam between slices is crossed
    dates = ["2020-01-01", "", "x", "2021", "2022"]
    joined = Joined(dates)
    assert b"".join(joined.chunks()) == "\0".join(dates).encode("ascii") and joined.size == len("\0".join(dates))
    names = ["a/é", "b\udcff", "c"]  # a path that is not UTF-8 keeps its byte (surrogate escape)
    texts = Joined(names, "texts", "utf-8")
    assert b"".join(texts.chunks()) == "\0".join(names).encode("utf-8", "surrogateescape") == b"a/\xc3\xa9\0b\xff\0c"
    assert texts.size == 9 and Joined([]).size == 0 and list(Joined([]).chunks()) == []
    log = small_log()
    totals = LogTotals(commits=4, merges=1, newest=40)
    state = HistoryState("/repo", {"cairn": "1"}, log.sha_of(3), 4, [("Ada", "a@x")], [4], [False], [0], totals, log,
                         {"knowledge": {"touch": [5, Joined(dates)], "names": Texts(names)}})
    document = read_document(encode_state(state))
    assert document["analyses"]["knowledge"]["touch"] == [5, bytearray("\0".join(dates).encode("ascii"))]
    assert document["analyses"]["knowledge"]["names"] == names
    state.analyses["knowledge"]["touch"] = [1, Joined(["é"])]  # not ASCII: refused before anything is written
    with pytest.raises(UnicodeEncodeError):
        encode_state(state)


class _Memory:
    """An analysis' memory as the state holds one: turned into data (``to_json``) only when the state is written."""

    def __init__(self, data: dict) -> None:
        self.data = data

    def to_json(self) -> dict:
        return self.data


@pytest.mark.parametrize("depth", [0, 1, 2, 4, 9])
def test_the_header_made_in_parts_is_the_one_shot_encoding_with_its_blobs_in_the_same_order(depth):
    from cairn.ingest.history_state import _Blobs, json_in_parts

    def document() -> dict:
        memory = _Memory({"names": Texts(["a", "caf\udce9"]), "n": array("i", [1, 2]), "nested": {"x": [1, {"y": 2.5}]},
                          "table": Ragged(), "empty": {}, "by_number": {1: "one"}, "flags": bytearray(b"\x01")})
        return {"format": "f", "list": [array("q", [7]), None, True], "analyses": {"changes": memory, "plain": {
            "deep": {"deeper": {"deepest": [array("b", [3])]}}}}, "last": "\u00e9"}

    one_shot, parts = _Blobs(), _Blobs()
    expected = json.dumps(document(), separators=(",", ":"), default=one_shot.default)
    assert "".join(json_in_parts(document(), parts.default, depth)) == expected
    assert [bytes(part) for part in parts.bytes()] == [bytes(part) for part in one_shot.bytes()]
    assert b"".join(map(bytes, parts.bytes())) != b""


def test_merged_requests_round_trip_follow_a_reordering_and_credit_a_merger_of_someone_elses_tip():
    log = small_log()
    log.merged[3] = (1, [log.path_index["a.py"], log.path_index["c.py"]])  # merged by 0, the tip (position 1) is 2's
    assert log.merge_reviewer(3, [0, 1, 2]) == 0
    assert log.merge_reviewer(3, [0, 1, 0]) is None  # the tip's author is the merger under another identity
    log.author[1] = 0  # the merger's own tip: no review
    assert log.merge_reviewer(3, [0, 1, 2]) is None
    log.author[1] = 2
    state = HistoryState("/repo", {"cairn": "1"}, log.sha_of(3), 4, [("Ada", "a@x"), ("Bob", "b@x"), ("Cy", "c@x")],
                         [2, 1, 1], [False, False, False], [0, 1, 2], LogTotals(commits=4), log, {})
    assert decode_state(read_document(encode_state(state))).log.merged == log.merged
    assert log.reordered([0, 2, 1, 3]).merged == {3: (2, log.merged[3][1])}
    document = read_document(encode_state(state))
    document["log"]["merged"] = [[3, 1, [len(log.paths)]]]  # a path the log does not have
    with pytest.raises(ValueError):
        decode_state(document)


def test_every_ingest_module_the_mining_imports_is_in_the_fingerprint_or_said_to_decide_nothing():
    """The log parser was left out of the fingerprint's code digest: a change to how a trailer is read kept what the
    old code had read of the remembered commits. Each module of the ingest a mining module imports is a mining module
    itself or named in ``NOT_MINING``."""
    import re
    from pathlib import Path

    from cairn.ingest import history_state

    here = Path(history_state.__file__).resolve().parent
    imported = {name for module in history_state.MINING_MODULES
                for name in re.findall(r"cairn\.ingest\.([a-z_]+)", (here / f"{module}.py").read_text())}
    assert imported - set(history_state.MINING_MODULES) - set(history_state.NOT_MINING) == set()
    assert not set(history_state.MINING_MODULES) & set(history_state.NOT_MINING)

"""The parser's stream columns become the same log as appending its commits one record at a time.

``CommitLog.append_stream`` turns whole columns around at once (slices joined,
path ids renumbered); ``record_by_record`` below is the plain reading of what
the log must hold (the commit-at-a-time append it replaced), and every column of
both must agree: first parents, pull-request tips, path ids in the order the
oldest commit names them (its new paths, then its renames' old paths),
credited and interned identities, on a fresh log and on one that already
holds commits.
"""

from __future__ import annotations

import random

import pytest

from cairn.ingest.commits import NO_PARENT, CommitLog, CommitRecord, StreamColumns
from cairn.ingest.history import mine_history
from fixtures.changes import build_coupled


def record_by_record(log: CommitLog, records: list[CommitRecord]) -> None:
    """Append a stream (newest first) one commit at a time, oldest first."""
    new_positions = {r.sha: len(log) + i for i, r in enumerate(reversed(records))}

    def position(sha: str) -> int:
        found = new_positions.get(sha)
        if found is None:
            found = log.position_of(sha)
        return NO_PARENT if found is None else found

    for record in reversed(records):
        here = len(log)
        log.sha += bytes.fromhex(record.sha)
        log._sha_index = None
        log.committed.append(record.committed)
        log.authored.append(record.authored)
        log.author.append(record.author)
        log.merge.append(1 if len(record.parents) > 1 else 0)
        log.first_parent.append(position(record.parents[0]) if record.parents else NO_PARENT)
        log.change_path.extend([log.path_id(path) for _, path, _ in record.changes])
        log.change_old.extend([-1 if old is None else log.path_id(old) for _, _, old in record.changes])
        log.change_status.extend([ord(status) for status, _, _ in record.changes])
        log.change_end.append(len(log.change_path))
        log.credited.extend(record.credited)
        log.credited_end.append(len(log.credited))
        log.interned.extend(record.interned)
        log.interned_end.append(len(log.interned))
        if record.pull_request is not None and len(record.parents) > 1:
            log.pull_requests.append((record.pull_request, here, position(record.parents[1])))


def random_stream(rng: random.Random, first: int, count: int, known: list[str]) -> list[CommitRecord]:
    """``count`` commits on top of ``known`` ones (ids), newest first: merges, pull requests, renames from paths
    named nowhere else, copies, commits without changes, parents outside the history."""
    shas = known + [f"{first + i:040x}" for i in range(count)]
    out = []
    for i in range(len(known), len(shas)):
        parents = [shas[rng.randrange(i)]] if i else []
        if i and rng.random() < 0.15:
            parents.append(shas[rng.randrange(i)] if rng.random() < 0.8 else f"{999_999 + i:040x}")
        if i and rng.random() < 0.05:
            parents[0] = f"{888_888 + i:040x}"  # a parent outside the history
        changes = []
        if len(parents) < 2:
            for _ in range(rng.randrange(5)):
                status = rng.choice("AMMDRCT")
                path = f"p{rng.randrange(30)}.py"
                old = (f"old{rng.randrange(40)}.py" if rng.random() < 0.5 else f"p{rng.randrange(30)}.py") \
                    if status in "RC" else None
                changes.append((status, path, old))
        people = rng.sample(range(12), rng.randrange(1, 4))
        pr = f"login{i}" if len(parents) > 1 and rng.random() < 0.6 else None
        out.append(CommitRecord(shas[i], parents, people[0], 1000 + i, 2000 + i, people[1:], changes, people, pr))
    return out[::-1]


def columns_of(log: CommitLog) -> dict:
    return {name: (bytes(v) if isinstance(v, (bytes, bytearray)) else v.tolist() if hasattr(v, "tolist") else v)
            for name, v in log.columns().items()}


@pytest.mark.parametrize("seed", range(8))
def test_appending_columns_equals_appending_record_by_record_fresh_and_on_top_of_a_log(seed):
    rng = random.Random(seed)
    older = random_stream(rng, 1, 40, [])
    newer = random_stream(rng, 1000, 25, [r.sha for r in reversed(older)])
    fast, slow = CommitLog(), CommitLog()
    fast.append_stream(StreamColumns.from_records(older))
    record_by_record(slow, older)
    assert columns_of(fast) == columns_of(slow)
    fast.append_stream(StreamColumns.from_records(newer))
    record_by_record(slow, newer)
    assert columns_of(fast) == columns_of(slow)
    fast.validate()
    assert [fast.change_tuples(p) for p in range(len(fast))] == [slow.change_tuples(p) for p in range(len(slow))]


def test_stream_columns_give_back_the_records_they_were_built_from():
    records = random_stream(random.Random(3), 1, 30, [])
    stream = StreamColumns.from_records(records)
    assert [stream.record(i) for i in range(len(stream))] == records


def test_the_parser_writes_the_log_its_observed_commits_make_record_by_record(tmp_path):
    repo = build_coupled(tmp_path / "repo")
    observed: list[CommitRecord] = []
    history = mine_history(repo.root, observer=observed.append)
    expected = CommitLog()
    record_by_record(expected, observed)
    assert columns_of(history.log) == columns_of(expected)
    assert any(status == "R" for p in range(len(expected)) for status, _, _ in expected.change_tuples(p))


def test_appending_keeps_the_id_index_in_step_and_refuses_ids_of_another_length():
    rng = random.Random(5)
    first = random_stream(rng, 1, 30, [])
    log = CommitLog()
    log.append_stream(first)
    assert log.position_of(first[-1].sha) == 0  # the index is built now, and must follow the next append
    more = random_stream(rng, 100, 20, [r.sha for r in reversed(first)])[:20]
    log.append_stream(more)
    assert [log.position_of(r.sha) for r in more] == list(range(len(log) - 1, len(log) - 21, -1))
    short = CommitRecord("ab" * 19, [], 0, 1, 1, [], [], [0])
    with pytest.raises(ValueError, match="is not 40 hex digits"):
        CommitLog().append_stream([short])

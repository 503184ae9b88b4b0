"""KNOWS edges computed from the records in bulk against their definition (``History.file_knowledge``), the record
table folded into columns in batches, and ISO times from a per-day date against ``datetime``.

The history has what the bulk form must get right: a person under two identities (records folded), a renamed
file (records over its lineage), a bot, an agent, a human with no Person node, a reviewer who never delivered,
and files whose records sit in the table's columns beside files whose records a new read changed.
"""

from __future__ import annotations

import random
from array import array
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from cairn.graph.model import Label, Rel, RepoGraph, node_id
from cairn.ingest.commits import CommitLog
from cairn.ingest.identities import AGENT, BOT, HUMAN, Person
from cairn.ingest import knowledge
from cairn.ingest.knowledge import History, PersonHistory, RecordTable, iso_time, add_knowledge

KINDS = [HUMAN, HUMAN, BOT, AGENT, HUMAN, HUMAN]
FILES = [f"src/m{i}.py" for i in range(12)]
OLD = ["src/old0.py", "src/older0.py", "src/old5.py"]  # renamed into src/m0.py (a chain) and src/m5.py


def _history(seed: int) -> tuple[History, RepoGraph]:
    rng = random.Random(seed)
    people = [PersonHistory(Person(f"p{i}", f"P{i}", kind, [], [], None), commits=0 if i == 5 else 3)
              for i, kind in enumerate(KINDS)]
    identity_person = [0, 1, 2, 3, 4, 5, 0]  # identity 6 is person 0 again
    log = CommitLog()
    for path in FILES + OLD + ["gone.py"]:
        log.path_id(path)
    history = History(people=people, identity_person=identity_person, log=log,
                      renamed_from={"src/m0.py": {"src/old0.py"}, "src/old0.py": {"src/older0.py"}, "src/m5.py": {"src/old5.py"}})
    columns = {path: _records(rng) for path in rng.sample(FILES + OLD, 9)}  # kept in columns
    history.records = _table(log, columns)
    history.records.add({log.path_index[path]: _records(rng) for path in rng.sample(FILES + OLD, 6)})  # a new read
    graph = RepoGraph("r")
    for path in FILES:
        graph.add_node(Label.FILE, path)
    return history, graph


def _records(rng: random.Random) -> dict[int, list[int]]:
    """Raw identity -> [adds, deliveries, last touch, reviews]."""
    return {raw: [rng.choice([0, 0, 1]), rng.choice([0, 1, 2, 7]), rng.randrange(-10**9, 2 * 10**9), rng.choice([0, 0, 2])]
            for raw in rng.sample(range(7), rng.randrange(1, 7))}


def _table(log: CommitLog, by_path: dict[str, dict[int, list[int]]]) -> RecordTable:
    columns = {name: array(code) for name, code in RecordTable.TYPECODES.items()}
    for pid in range(len(log.paths)):
        records = by_path.get(log.paths[pid], {})
        columns["count"].append(len(records))
        for raw, (adds, deliveries, last, reviews) in records.items():
            for name, value in (("ident", raw), ("adds", adds), ("deliveries", deliveries), ("last", last), ("reviews", reviews)):
                columns[name].append(value)
    return RecordTable.from_columns(columns, len(log.paths), 7)


@pytest.mark.parametrize("remembered", [False, True])
def test_knows_edges_are_the_file_knowledge_of_humans_with_a_node(remembered: bool, monkeypatch) -> None:
    """Without a history state, each file's edges are computed from its records (a read's maps, columns); with one,
    the records are folded into columns first and the files with no rename history computed together (three at a
    time here: the runs of computed edges cross chunks)."""
    monkeypatch.setattr(knowledge, "AT_ONCE", 3)
    seen = []
    for seed in range(8):
        history, graph = _history(seed)
        if remembered:
            history.state = SimpleNamespace(analyses={}, changed=False)
        expected_edges, expected_changes = [], {}
        for path in FILES:
            if path not in history.log.path_index:
                continue
            everybody = history.file_knowledge(path)
            expected_changes[path] = sum(k.deliveries + k.first_authorship for k in everybody.values())
            for index, k in everybody.items():
                if KINDS[index] != HUMAN or index == 5 or not (k.is_candidate or k.reviews > 0):
                    continue
                expected_edges.append(((Rel.KNOWS.value, node_id(Label.PERSON, "r", f"p{index}"), node_id(Label.FILE, "r", path)),
                                       {"first_authorship": k.first_authorship, "deliveries": k.deliveries,
                                        "acceptances": k.acceptances, "doa": None if k.doa is None else round(k.doa, 6),
                                        "reviews": k.reviews, "last_touch": iso_time(k.last_touch)}))
        add_knowledge(graph, history)
        assert not history.records.changed if remembered else history.records.changed
        knows = [(key, edge.props) for key, edge in graph.edges.items() if key[0] == Rel.KNOWS.value]
        assert knows == expected_edges  # the same edges, values and order
        assert {n.key: n.get("changes") for n in graph.of_label(Label.FILE) if n.key in expected_changes} == expected_changes
        seen += [props for _, props in knows]
    assert any(e["doa"] is None for e in seen) and any(e["first_authorship"] for e in seen) and len(seen) > 100


def test_the_record_table_folds_changed_paths_in_among_its_columns() -> None:
    rng = random.Random(3)
    log = CommitLog()
    for i in range(30):
        log.path_id(f"p{i}.py")
    held = {f"p{i}.py": _records(rng) for i in range(0, 20, 2)}
    table = _table(log, held)
    read = {pid: _records(rng) for pid in (0, 1, 7, 8, 19, 24, 29)}  # held, new in between, past the columns' end
    expected = {log.path_index[path]: {raw: list(rec) for raw, rec in records.items()} for path, records in held.items()}
    for pid, records in read.items():
        mine = expected.setdefault(pid, {})
        for raw, rec in records.items():
            if raw in mine:
                acc = mine[raw]
                acc[0] += rec[0]
                acc[1] += rec[1]
                acc[3] += rec[3]
                acc[2] = max(acc[2], rec[2])
            else:
                mine[raw] = list(rec)
    table.add(read)
    columns = table.columns()
    assert list(columns["count"]) == [len(expected.get(pid, {})) for pid in range(30)]
    assert list(columns["ident"]) == [raw for pid in range(30) for raw in expected.get(pid, {})]
    for name, at in (("adds", 0), ("deliveries", 1), ("last", 2), ("reviews", 3)):
        assert list(columns[name]) == [rec[at] for pid in range(30) for rec in expected.get(pid, {}).values()]
    assert all(table.get(pid) == expected.get(pid, {}) for pid in range(30)) and not table.changed


def test_iso_times_are_what_datetime_writes() -> None:
    rng = random.Random(1)
    epochs = [0, -1, 59, 3_599, 86_399, 86_400, -86_400, -86_401, 951_782_400, -30_610_224_000, -30_610_224_001,
              253_402_300_799] + [rng.randrange(-30_610_224_000, 253_402_300_800) for _ in range(20_000)]
    for epoch in epochs:
        assert iso_time(epoch) == datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds"), epoch
    assert iso_time(None) is None

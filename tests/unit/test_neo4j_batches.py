"""How the Neo4j adapter cuts writes into transactions and spreads them over writers (no server needed)."""

from __future__ import annotations

import itertools
import random
import threading
import time

import pytest

from cairn.graph.neo4j.batches import cut, disjoint_rounds, edge_rounds, run_in_rounds


def test_cut_keeps_every_row_in_order_and_fills_batches_across_groups():
    groups = [("A", list(range(7))), ("B", []), ("C", list(range(100, 103)))]
    batches = cut(groups, 4)
    assert batches == [[("A", [0, 1, 2, 3])], [("A", [4, 5, 6]), ("C", [100])], [("C", [101, 102])]]
    assert cut([], 4) == [] and cut([("A", [1])], 0) == [[("A", [1])]]


@pytest.mark.parametrize("parts", [1, 2, 4, 6, 8])
def test_disjoint_rounds_hold_every_pair_once_and_no_partition_twice_in_a_round(parts):
    rounds = disjoint_rounds(parts)
    pairs = [pair for round_ in rounds for pair in round_]
    assert sorted(pairs) == [(i, j) for i in range(parts) for j in range(i, parts)]
    for round_ in rounds:
        used = [p for pair in round_ for p in set(pair)]
        assert len(used) == len(set(used)), round_


@pytest.mark.parametrize("writers", [1, 2, 3])
def test_edge_rounds_blocks_of_one_round_touch_disjoint_nodes(writers):
    rng = random.Random(writers)
    edges = [(rng.choice(["IMPORTS", "PART_OF"]), rng.randrange(500), rng.randrange(500)) for _ in range(3000)]
    rounds = edge_rounds(((t, a, b, (t, a, b)) for t, a, b in edges), writers, 100)
    written = []
    for round_ in rounds:
        nodes_of_blocks = []
        for block in round_:
            rows = [row for batch in block for _, statement in batch for row in statement]
            assert all(len(sum((s for _, s in batch), [])) <= 100 for batch in block)
            # rows of one statement are of its type
            assert all(row[0] == type_ for batch in block for type_, statement in batch for row in statement)
            nodes_of_blocks.append({n for _, a, b in rows for n in (a, b)})
            written.extend(rows)
        for one, other in itertools.combinations(nodes_of_blocks, 2):
            assert not one & other
    assert sorted(written) == sorted(edges)
    if writers == 1:
        assert len(rounds) == 1 and len(rounds[0]) == 1


def test_run_in_rounds_runs_rounds_in_order_and_a_blocks_batches_one_at_a_time():
    running: dict[str, int] = {}
    events = []
    lock = threading.Lock()

    def work(batch):
        block, index, round_ = batch
        with lock:
            assert running.get(block, 0) == 0, "two batches of one block at once"
            running[block] = 1
            events.append(("start", round_, block, index))
        time.sleep(0.01)
        with lock:
            running[block] = 0
            events.append(("end", round_, block, index))
        return 1

    rounds = [[[("a", i, 0) for i in range(3)], [("b", i, 0) for i in range(2)]], [[("c", i, 1) for i in range(2)]]]
    assert sum(run_in_rounds(rounds, work, writers=2)) == 7
    last_end_of_first_round = max(i for i, e in enumerate(events) if e[0] == "end" and e[1] == 0)
    first_start_of_second = min(i for i, e in enumerate(events) if e[0] == "start" and e[1] == 1)
    assert last_end_of_first_round < first_start_of_second
    assert [e[3] for e in events if e[0] == "start" and e[2] == "a"] == [0, 1, 2]


def test_run_in_rounds_stops_at_the_first_failure_and_raises_it():
    done = []

    def work(batch):
        if batch == "bad":
            raise RuntimeError("server gone")
        done.append(batch)
        return 1

    rounds = [[["ok1", "bad", "never"]], [["never either"]]]
    with pytest.raises(RuntimeError, match="server gone"):
        list(run_in_rounds(rounds, work, writers=2))
    assert done == ["ok1"]

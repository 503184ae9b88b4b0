"""How a graph's writes are cut into transactions and spread over parallel writers.

A *batch* is one write transaction: a list of statements, each ``(name, rows)`` for
one label or relationship type (Cypher cannot take a label or type as a parameter,
so each gets its own statement), at most the batch size rows in all.

Creating a relationship locks both of its nodes until the transaction commits, so
two writers creating relationships between the same nodes wait for each other (or
deadlock and retry): with two writers on a typical import graph that was slower
than one. ``edge_rounds`` therefore splits the nodes into ``2 × writers`` partitions
(by a number each node is given: the save gives its place in the graph) and the relationships into blocks, one per pair of partitions of
their ends; it orders the blocks in rounds in which no two blocks share a partition
(the first round the blocks within one partition, then the pairs of a round-robin
tournament), so the blocks of one round touch disjoint sets of nodes and run side
by side without lock waits. ``run_in_rounds`` runs one round after the other, each
block's batches one after the other on one writer.
"""

from __future__ import annotations

import queue
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

R = TypeVar("R")
B = TypeVar("B")

#: One transaction: a statement (its label or type, its rows) per label or type.
Batch = list[tuple[str, list[R]]]


def cut(groups: Iterable[tuple[str, Sequence[R]]], size: int) -> list[Batch[R]]:
    """``groups`` (name, rows) in batches of at most ``size`` rows; a batch may hold the ends of several groups."""
    size = max(1, size)
    batches: list[Batch[R]] = []
    current: Batch[R] = []
    room = size
    for name, rows in groups:
        start = 0
        while start < len(rows):
            taken = list(rows[start : start + room])
            current.append((name, taken))
            start += len(taken)
            room -= len(taken)
            if room == 0:
                batches.append(current)
                current, room = [], size
    if current:
        batches.append(current)
    return batches


def disjoint_rounds(parts: int) -> list[list[tuple[int, int]]]:
    """Every pair ``(i, j)``, ``i <= j < parts``, once, in rounds in which no partition appears twice.

    ``parts`` is 1 or even: the first round is the pairs ``(i, i)``, then the
    ``parts - 1`` rounds of a round-robin tournament (the circle method).
    """
    rounds = [[(i, i) for i in range(parts)]]
    ring = list(range(parts))
    for _ in range(parts - 1):
        rounds.append([(min(ring[k], ring[-1 - k]), max(ring[k], ring[-1 - k])) for k in range(parts // 2)])
        ring = [ring[0], ring[-1], *ring[1:-1]]
    return rounds


def edge_rounds(
    edges: Iterable[tuple[str, int, int, R]], writers: int, size: int
) -> list[list[list[Batch[R]]]]:
    """Rounds of blocks of batches for relationships given as ``(type, start node's number, end node's number, row)``.

    The blocks of a round touch disjoint sets of nodes (see the module docstring);
    with one writer there is one block. Within a block, rows stay grouped by type.
    """
    parts = 2 * writers if writers > 1 else 1
    blocks: dict[tuple[int, int], dict[str, list[R]]] = defaultdict(lambda: defaultdict(list))
    for type_, start, end, row in edges:
        a, b = start % parts, end % parts
        blocks[(a, b) if a <= b else (b, a)][type_].append(row)
    rounds = []
    for pairs in disjoint_rounds(parts):
        round_ = [cut(sorted(blocks[pair].items()), size) for pair in pairs if pair in blocks]
        if round_:
            rounds.append(round_)
    return rounds


def run_in_rounds(rounds: Iterable[Iterable[Sequence[B]]], work: Callable[[B], int], writers: int) -> Iterator[int]:
    """Run ``work(batch)`` for every batch; yield each result as it comes.

    Rounds run one after the other; the blocks of a round run side by side on up to
    ``writers`` threads, the batches of one block one after the other. The first
    failure stops the rest (batches under way finish) and is raised here.
    """
    results: queue.SimpleQueue[int | BaseException | None] = queue.SimpleQueue()
    stop = threading.Event()

    def lane(batches: Sequence[B]) -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    break
                results.put(work(batch))
        except BaseException as exc:  # handed to the caller's thread
            results.put(exc)
            return
        results.put(None)

    with ThreadPoolExecutor(max_workers=max(1, writers), thread_name_prefix="cairn-neo4j") as pool:
        try:
            for round_ in rounds:
                lanes = [block for block in round_ if block]
                for block in lanes:
                    pool.submit(lane, block)
                running = len(lanes)
                while running:
                    result = results.get()
                    if result is None:
                        running -= 1
                    elif isinstance(result, BaseException):
                        raise result
                    else:
                        yield result
        finally:
            stop.set()

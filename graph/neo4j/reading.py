"""Reading the complete run of a repository from Neo4j, whole (``read_graph``) or in part (``read_part``).

Neo4j has no snapshot reads: a save may switch runs and delete the old one while
a reader reads it. Both readers are read-transaction functions that return None
when what they read may not be one run whole (the counts recorded with the run do
not add up, or the run stopped being the complete one); ``load_with`` then reads
again, a few times.
"""

from __future__ import annotations

import time
from typing import Callable, Iterable

import neo4j

from cairn.graph.errors import StoreError, UnknownRepository
from cairn.graph.model import Edge, Label, Node, Rel, RepoGraph
from cairn.graph.neo4j.connection import Connection
from cairn.graph.neo4j.layout import NODE_LABEL, STATE_LABEL, label_of
from cairn.graph.neo4j.properties import decode_props

LOAD_ATTEMPTS = 5

#: A read-transaction function: (run, graph), or None to read again.
Reader = Callable[..., "tuple[str, RepoGraph] | None"]


def load_with(connection: Connection, repo: str, reader: Reader, *args: object) -> tuple[str, RepoGraph]:
    """(run, graph) that ``reader`` read from the complete run of ``repo``, read again while a save switches runs."""
    for _ in range(LOAD_ATTEMPTS):
        with connection.errors(f"load {repo} from"), connection.session(read=True) as session:
            read = session.execute_read(reader, repo, connection.location, *args)
        if read is not None:
            return read
        time.sleep(0.2)  # a concurrent save replaced the run while we read it
    raise StoreError(f"repository {repo!r} in Neo4j at {connection.location} kept changing while it was read; try again")


def complete_state(tx: neo4j.ManagedTransaction, repo: str, location: str) -> neo4j.Record:
    """``run``, ``nodes`` and ``edges`` of the complete run of ``repo``; ``UnknownRepository`` if it has none."""
    state = tx.run(
        f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) RETURN s.complete_run AS run, s.nodes AS nodes, s.edges AS edges",
        repo=repo,
    ).single()
    if state is None or state["run"] is None:
        raise UnknownRepository(f"repository {repo!r} is not in store {location}", repository=repo)
    return state


def _add_nodes(graph: RepoGraph, records: Iterable[neo4j.Record]) -> None:
    for record in records:
        stored = record["p"]
        node = Node(Label(label_of(stored["_id"])), graph.repo, stored["_key"], decode_props(stored))
        graph.nodes[node.id] = node


def _add_edges(graph: RepoGraph, records: Iterable[neo4j.Record]) -> None:
    for record in records:
        edge = Edge(Rel(record["t"]), record["s"], record["d"], decode_props(record["p"]))
        graph.edges[edge.key] = edge


def read_graph(tx: neo4j.ManagedTransaction, repo: str, location: str) -> tuple[str, RepoGraph] | None:
    """(run, graph): the complete run of ``repo``; None if what was read does not add up to it (a save switched runs)."""
    state = complete_state(tx, repo, location)
    run = state["run"]
    graph = RepoGraph(repo)
    _add_nodes(graph, tx.run(f"MATCH (n:{NODE_LABEL} {{_run: $run}}) RETURN properties(n) AS p", run=run))
    _add_edges(graph, tx.run(
        f"MATCH (a:{NODE_LABEL} {{_run: $run}})-[r]->(b) RETURN a._id AS s, type(r) AS t, b._id AS d, properties(r) AS p",
        run=run,
    ))
    if len(graph.nodes) != state["nodes"] or len(graph.edges) != state["edges"]:
        return None
    return run, graph


def read_part(
    tx: neo4j.ManagedTransaction, repo: str, location: str, labels: list[str], rels: list[str]
) -> tuple[str, RepoGraph] | None:
    """(run, the nodes of ``labels`` and relationships of ``rels`` of the complete run of ``repo``).

    None if the run stopped being the complete one before the read ended: its
    nodes may then have been deleted while they were read.
    """
    run = complete_state(tx, repo, location)["run"]
    graph = RepoGraph(repo)
    for label in labels:  # names from the Label enum, never from input
        _add_nodes(graph, tx.run(f"MATCH (n:`{label}`) WHERE n._run = $run RETURN properties(n) AS p", run=run))
    if rels:
        types = "|".join(f"`{rel}`" for rel in rels)  # names from the Rel enum, never from input
        _add_edges(graph, tx.run(
            f"MATCH (a:{NODE_LABEL} {{_run: $run}})-[r:{types}]->(b) "
            "RETURN a._id AS s, type(r) AS t, b._id AS d, properties(r) AS p",
            run=run,
        ))
    if complete_state(tx, repo, location)["run"] != run:
        return None
    return run, graph

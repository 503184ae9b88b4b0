"""Saving a repository graph into Neo4j: a new run written whole, readers switched to it, older runs deleted.

``save_graph`` first takes the repository's lease (``writing_run`` on its
``:CairnState``: a save of the same repository that starts later takes it over, and
this one's switch then fails). It writes every node as part of a new run with
``CREATE`` in batches (``UNWIND`` of parameter rows, one statement per label), under
the uniqueness constraint on ``(_id, _run)`` per label, so a node exists at most once
per run, keeping the internal ids the server gives them. It then creates the
relationships, matched by those ids (a seek by id costs half an index seek), in the
node-disjoint rounds of ``graph.neo4j.batches``. Each of those transactions first
checks that the save still holds the lease: the nodes of a run being written are
deleted only after its lease is lost (by ``delete_stale`` of the save that took it
over, or by ``delete_repository``, which removes the state first), and Neo4j reuses
the id of a deleted node only once every transaction open at its deletion has
closed, so an id matched in a transaction that saw the lease held is a node of this
run or no node at all (then fewer relationships are created than asked, and the
save fails). Checking each end's ``_run`` instead cost 12% of the server's CPU. Then it switches ``complete_run`` to the new run in one
transaction, and deletes every older run of that repository in bounded batches.

One statement per label and per relationship type: with the label and type as
parameters instead (``CREATE (n:$(row[0]))``, ``-[r:$(row[2])]->``, Neo4j 5.26), one
text for all, a cold server's first save cost it as much CPU (bench/neo4j_ingest.py,
interleaved, 0.92x items/s, within the noise) and the client more. A statement
creates its nodes or relationships with their properties in one map of the row's
columns (``graph.neo4j.properties.RowEncoder``: every property any of that label or type
has, in one text per save, each planned once), the repository and run as parameters:
``SET n += row`` from a map per row cost a cold server 3-4% more CPU
(bench/neo4j_ingest.py) and its Bolt network threads half as much again decoding. Measured and left: a
first save into an empty database without the constraints and indexes (to be
created after it) spent 0.7 s less of a cold server's 15 s on the nodes but more
on the relationships, before paying for the indexes at all; the properties
themselves cost it about a quarter (the same save with none: 12 s).
Measured again (4 December, one writer, per 5k-row transaction): a cold server's
first 5k nodes cost 1.6-1.7 s, every later 5k 0.45 s (90 µs a node); a
relationship costs 30-36 µs with two properties (IMPORTS) and 20 µs with none
(PART_OF), the same from the first relationship batch on, so the relationships'
11 s is no cold JIT. Dropping the Module uniqueness constraint took a quarter off
the later node batches (2.2 s to 1.6-1.7 s), dropping the ``_repo`` and ``_run``
indexes 7%: at most 0.6 s of the save's 15 s, left as they are. A JFR profile of
the Bolt workers: committing 57% (turning the transaction state into record
commands 25%, applying them 24%, of which index updates 12%, releasing the
per-relationship locks 7%), running the Cypher 30% (creating relationships 19%,
setting properties 13%), compiling the dozen statements 9%. Rows without the
``_json`` and ``_null`` columns (none of the bench's values needs them) cost the
server 4-6% less on the IMPORTS relationships but 0.4-3% of the whole save
(three interleaved pairs): not worth a second text per label and type.

Until the switch, readers see the previous run whole; a save cut short (a crash, a
lost server) leaves the previous run readable, and its leftovers are deleted by the
next save of that repository. Other repositories are never touched.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

import neo4j

from cairn.graph.errors import StoreError
from cairn.graph.model import Edge, Node, RepoGraph
from cairn.graph.neo4j.batches import Batch, cut, edge_rounds, run_in_rounds
from cairn.graph.neo4j.connection import Connection
from cairn.graph.neo4j.layout import ANSWER_LABEL, NODE_LABEL, STATE_LABEL
from cairn.graph.neo4j.properties import RowEncoder
from cairn.graph.neo4j.records import delete_records
from cairn.graph.store import Progress, progress_counter


def save_graph(
    connection: Connection,
    graph: RepoGraph,
    run: str,
    *,
    node_batch_size: int,
    edge_batch_size: int,
    delete_batch_size: int,
    writers: int,
    progress: Progress | None = None,
) -> None:
    """Write ``graph`` as the run ``run`` of its repository and make it the one readers see (see the module docstring)."""
    repo = graph.repo
    total = len(graph)
    advance = progress_counter(progress, total)

    edge_names: dict[str, set[str]] = defaultdict(set)  # relationship type -> its model properties' names
    for edge in graph.edges.values():
        if edge.source not in graph.nodes or edge.target not in graph.nodes:
            raise StoreError(
                f"saving {repo}: edge {edge.type.value} {edge.source} -> {edge.target} has an end that is not in the graph"
            )
        edge_names[edge.type.value].update(edge.current_props())
    by_label: dict[str, list[Node]] = defaultdict(list)
    node_names: dict[str, set[str]] = defaultdict(set)
    for node in graph.nodes.values():
        by_label[node.label.value].append(node)
        node_names[node.label.value].update(node.props)
    node_rows = {label: RowEncoder(names) for label, names in node_names.items()}
    edge_rows = {type_: RowEncoder(names) for type_, names in edge_names.items()}
    node_batches = cut(sorted(by_label.items()), node_batch_size)
    internal: dict[str, int] = {}  # node id -> the server's id of its node in this run

    def write_nodes(batch: Batch[Node]) -> int:
        statements = [
            (_node_statement(label, node_rows[label].columns),
             [[node.id, node.key, *node_rows[label].row(node.props)] for node in nodes])
            for label, nodes in batch
        ]
        with connection.session() as session:
            pairs = session.execute_write(_create_nodes, statements, repo, run)
        internal.update(pairs)
        return sum(len(nodes) for _, nodes in batch)

    def write_edges(batch: Batch[Edge]) -> int:
        statements = [
            (_relationship_statement(type_, edge_rows[type_].columns),
             [[internal[e.source], internal[e.target], *edge_rows[type_].row(e.current_props())] for e in edges])
            for type_, edges in batch
        ]
        with connection.session() as session:
            created = session.execute_write(_create_relationships, statements, repo, run)
        if created is None:
            raise _superseded(repo)
        wanted = sum(len(rows) for _, rows in statements)
        if created != wanted:
            raise StoreError(
                f"saving {repo}: {wanted - created} of its nodes vanished during the save "
                "(was it deleted or saved by someone else meanwhile?); save it again"
            )
        return wanted

    with connection.errors(f"save {repo} to"):
        connection.write(f"MERGE (s:{STATE_LABEL} {{repo: $repo}}) SET s.writing_run = $run", repo=repo, run=run)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cairn-neo4j-rounds") as planner:
            # The relationships' rounds are cut while the server writes the nodes, not after: they
            # partition the nodes by their place in the graph, known before the server ids are.
            place = {nid: i for i, nid in enumerate(graph.nodes)}
            rows = ((e.type.value, place[e.source], place[e.target], e) for e in graph.edges.values())
            rounds = planner.submit(edge_rounds, rows, writers, edge_batch_size)
            # Node creations never wait for each other's locks: every batch is a block of its own.
            for written in run_in_rounds([[[batch] for batch in node_batches]], write_nodes, writers):
                advance(written)
            for written in run_in_rounds(rounds.result(), write_edges, writers):
                advance(written)
        # The switch: from here on readers see the new run, whole.
        switched = connection.write(
            f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) WHERE s.writing_run = $run "
            "SET s.complete_run = $run, s.nodes = $nodes, s.edges = $edges, s.saved_at = $saved_at "
            "REMOVE s.writing_run RETURN count(s) AS switched",
            repo=repo,
            run=run,
            nodes=len(graph.nodes),
            edges=len(graph.edges),
            saved_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        if not switched[0]["switched"]:
            raise _superseded(repo)
    with connection.errors(f"remove the previous version of {repo} from"):
        connection.write(f"MATCH (a:{ANSWER_LABEL} {{repo: $repo}}) WHERE a.run <> $run DELETE a", repo=repo, run=run)
        delete_stale(connection, repo, keep_run=run, batch_size=delete_batch_size, writers=writers)
    if progress and total == 0:
        progress(0, 0)


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _property_map(names: list[str], first: int) -> str:
    """A Cypher map of the properties ``names`` from the row's columns ``first`` on."""
    return ", ".join(f"{_quoted(name)}: row[{first + i}]" for i, name in enumerate(names))


def _node_statement(label: str, names: list[str]) -> str:
    """Create a node of ``label`` per row ``[id, key, *properties in the order of names]``; return (id, server id) pairs."""
    # Label names from the Label enum, never from input; property names quoted.
    return (
        f"UNWIND $rows AS row CREATE (n:{NODE_LABEL}:{_quoted(label)} "
        f"{{_id: row[0], _repo: $repo, _key: row[1], _run: $run, {_property_map(names, 2)}}}) "
        "RETURN collect([row[0], id(n)]) AS ids"
    )


def _relationship_statement(type_: str, names: list[str]) -> str:
    """Create a relationship of ``type_`` per row ``[start id, end id, *properties in the order of names]``; return their count."""
    # Type names from the Rel enum, never from input; property names quoted.
    return (
        "UNWIND $rows AS row "
        "MATCH (a) WHERE id(a) = row[0] "
        "MATCH (b) WHERE id(b) = row[1] "
        f"CREATE (a)-[r:{_quoted(type_)} {{{_property_map(names, 2)}}}]->(b) "
        "RETURN count(r) AS created"
    )


def _create_nodes(
    tx: neo4j.ManagedTransaction, statements: list[tuple[str, list[list[Any]]]], repo: str, run: str
) -> list[tuple[str, int]]:
    """(node id, server id) of every node the ``statements`` (query, rows) create in this transaction."""
    pairs: list[tuple[str, int]] = []
    for query, rows in statements:
        pairs.extend(tx.run(query, rows=rows, repo=repo, run=run).single(strict=True)["ids"])
    return pairs


def _superseded(repo: str) -> StoreError:
    return StoreError(
        f"another save of {repo} started while this one ran, so this one was abandoned; "
        "the store holds that save's result"
    )


def _create_relationships(
    tx: neo4j.ManagedTransaction, statements: list[tuple[str, list[list[Any]]]], repo: str, run: str
) -> int | None:
    """How many of the relationships ``statements`` (query, rows: ``_relationship_statement``) were created.

    None, and nothing created, if the save of ``run`` no longer holds the lease of
    ``repo`` (see the module docstring: why the ids need no other check).
    """
    held = tx.run(
        f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) WHERE s.writing_run = $run RETURN count(s) AS held", repo=repo, run=run
    ).single(strict=True)["held"]
    if not held:
        return None
    created = 0
    for query, rows in statements:
        created += tx.run(query, rows=rows).single(strict=True)["created"]
    return created


def delete_repository(connection: Connection, repo: str, *, batch_size: int, writers: int) -> bool:
    """Delete ``repo``: its state, answers, review records and every node of every run; whether it had a complete run.

    A repository without a complete run keeps its review records (as in the
    embedded store); leftovers of saves that never completed go all the same.
    """
    with connection.session() as session:
        known = session.execute_write(_forget, repo)
    leftovers = connection.read(f"MATCH (n:{NODE_LABEL} {{_repo: $repo}}) RETURN count(n) > 0 AS any", repo=repo)
    if leftovers and leftovers[0]["any"]:
        delete_stale(connection, repo, everything=True, batch_size=batch_size, writers=writers)
    return known


def _forget(tx: neo4j.ManagedTransaction, repo: str) -> bool:
    known = tx.run(
        f"OPTIONAL MATCH (s:{STATE_LABEL} {{repo: $repo}}) RETURN s.complete_run IS NOT NULL AS known", repo=repo
    ).single(strict=True)["known"]
    if known:
        delete_records(tx, repo)
    tx.run(f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) DETACH DELETE s", repo=repo).consume()
    return bool(known)


def _run_write(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> None:
    tx.run(query, params).consume()


def delete_stale(
    connection: Connection,
    repo: str,
    *,
    keep_run: str | None = None,
    everything: bool = False,
    batch_size: int,
    writers: int,
) -> None:
    """Delete ``repo``'s nodes (with their relationships) of runs neither complete nor being written.

    Every batch re-reads the repository's state, so a save that starts or
    completes meanwhile keeps its run; ``keep_run`` is skipped outright.
    ``everything`` deletes all of them.
    """
    stale = connection.read(
        f"MATCH (n:{NODE_LABEL} {{_repo: $repo}}) WHERE n._run <> $keep RETURN id(n) AS id",
        repo=repo,
        keep=keep_run or "",
    )
    if not stale:
        return
    guard = "" if everything else (
        "AND (s IS NULL OR (n._run <> coalesce(s.complete_run, '') AND n._run <> coalesce(s.writing_run, ''))) "
    )
    # The ids were read before; ``_repo`` is re-checked because a deleted node's id may be reused.
    query = (
        f"OPTIONAL MATCH (s:{STATE_LABEL} {{repo: $repo}}) "
        "UNWIND $ids AS i MATCH (n) WHERE id(n) = i AND n._repo = $repo "
        f"{guard}DETACH DELETE n"
    )

    def delete(ids: list[int]) -> int:
        with connection.session() as session:
            session.execute_write(_run_write, query, {"ids": ids, "repo": repo})
        return len(ids)

    ids = [row["id"] for row in stale]
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    for _ in run_in_rounds([[[batch] for batch in batches]], delete, writers):
        pass


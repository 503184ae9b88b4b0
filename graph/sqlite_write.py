"""How the embedded store writes a new version of a repository: a merge with what is stored, or a patch.

``write_graph`` runs inside the store's write transaction (``SqliteStore.save_changes``).
Nodes, and the relationships of each type not patched, are merged: the stored
rows are read in key order, page by page (``BATCH`` rows), beside the new graph
sorted the same way, and only rows that differ are written or deleted, so
re-saving an unchanged graph rewrites no row. A table with no row at all (the
first save into a fresh store) is filled without its secondary indexes, which
are built again once it is full (one sort instead of a B-tree insert per row;
the write transaction covers the change of schema too). The relationships of a patched
type (``GraphChanges.patched``) are neither read nor compared: the deleted ones
go, the changed ones are written over the stored ones (an SQLite upsert that
leaves an identical row alone), and those at a deleted node go with it. Every
save increments the repository's generation, which makes its answers unreadable
(``graph.sqlite_store``: they are kept until the next answers are compared with them).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

from cairn.graph.errors import StoreError
from cairn.graph.model import Edge, RepoGraph
from cairn.graph.store import GraphChanges, Progress, progress_counter
from cairn.graph.values import dumps

#: Rows read per page and written per statement batch during a save.
BATCH = 5_000

_NODE_PAGE = "SELECT id, nid, props FROM nodes WHERE rid = ? AND id > ? ORDER BY id LIMIT ?"
_REL_PAGE = (
    "SELECT src, dst, props FROM relationships WHERE rid = ? AND type = ? AND (src, dst) > (?, ?) "
    "ORDER BY src, dst LIMIT ?"
)


def write_graph(conn: sqlite3.Connection, changes: GraphChanges, progress: Progress | None) -> int:
    """Make the stored rows of the repository the new version ``changes`` gives (inside the caller's write transaction).

    Returns the repository's new generation.
    """
    graph = changes.graph
    repo = graph.repo
    patched = sorted(rel.value for rel in changes.patched)
    skip = frozenset(patched)
    total = len(graph.nodes) + sum(1 for key in graph.edges if key[0] not in skip) + len(changes.changed)
    advance = progress_counter(progress, total)

    row = conn.execute("SELECT rid, generation FROM repositories WHERE repo = ?", (repo,)).fetchone()
    if row is None:
        rid = conn.execute(
            "INSERT INTO repositories (repo, props, generation, saved_at) VALUES (?, '{}', 0, '')", (repo,)
        ).lastrowid
        generation = 1
    else:
        rid, generation = row[0], row[1] + 1
    rebuilt = _drop_indexes_of_empty(conn, ("nodes", "relationships"))
    nids, gone = _sync_nodes(conn, rid, graph, advance)
    if patched:
        _drop_edges_at(conn, rid, gone, patched)
    _sync_relationships(conn, rid, graph, nids, advance, skip=skip)
    _patch_relationships(conn, rid, changes, nids, advance)
    for sql in rebuilt:
        conn.execute(sql)
    repo_node = graph.repository
    summary = serialise(repo_node.props if repo_node else {"repo": repo}, f"the Repository node of {repo}")
    conn.execute("UPDATE repositories SET props = ?, generation = ?, saved_at = ? WHERE rid = ?",
                 (summary, generation, now(), rid))
    if progress and total == 0:
        progress(0, 0)
    return generation


def _drop_indexes_of_empty(conn: sqlite3.Connection, tables: tuple[str, ...]) -> list[str]:
    """Drop the secondary indexes of those ``tables`` that hold no row; the statements that create them again."""
    rebuilt: list[str] = []
    for table in tables:
        if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
            continue
        for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                      "AND sql IS NOT NULL ORDER BY name", (table,)).fetchall():
            conn.execute(f'DROP INDEX "{name}"')
            rebuilt.append(sql)
    return rebuilt


class _Writes:
    """Statements of one kind gathered and run ``BATCH`` rows at a time."""

    def __init__(self, conn: sqlite3.Connection, sql: str):
        self.conn, self.sql, self.rows = conn, sql, []

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.conn.executemany(self.sql, self.rows)
            self.rows.clear()


# Both merges below read the stored rows a page at a time (keyset pagination), each
# page whole before anything is written, and every write concerns a key at most the
# last one read, so the pages never see the merge's own writes.

def _sync_nodes(conn: sqlite3.Connection, rid: int, graph: RepoGraph,
                advance: Callable[[int], None]) -> tuple[dict[str, int], list[int]]:
    """Make the stored nodes of ``rid`` those of ``graph``; the number (nid) of every node id, and those of the nodes deleted."""
    nodes = graph.nodes
    next_nid = conn.execute("SELECT coalesce(max(nid), 0) + 1 FROM nodes").fetchone()[0]
    inserts = _Writes(conn, "INSERT INTO nodes (nid, rid, id, label, key, props) VALUES (?, ?, ?, ?, ?, ?)")
    updates = _Writes(conn, "UPDATE nodes SET props = ? WHERE nid = ?")
    deletes = _Writes(conn, "DELETE FROM nodes WHERE nid = ?")
    nids: dict[str, int] = {}
    gone: list[int] = []
    stored = _pages(conn, _NODE_PAGE, (rid,), ("",))
    current = next(stored, None)
    for count, nid_text in enumerate(sorted(nodes), 1):
        node = nodes[nid_text]
        try:
            text = dumps(node.props)
        except (TypeError, ValueError) as exc:
            raise _unstorable(f"node {nid_text}", exc) from exc
        while current is not None and current[0] < nid_text:
            deletes.add((current[1],))
            gone.append(current[1])
            current = next(stored, None)
        if current is not None and current[0] == nid_text:
            nids[nid_text] = current[1]
            if current[2] != text:
                updates.add((text, current[1]))
            current = next(stored, None)
        else:
            nids[nid_text] = next_nid
            inserts.add((next_nid, rid, nid_text, node.label.value, node.key, text))
            next_nid += 1
        if count % BATCH == 0:
            advance(BATCH)
    while current is not None:
        deletes.add((current[1],))
        gone.append(current[1])
        current = next(stored, None)
    for writes in (deletes, updates, inserts):
        writes.flush()
    advance(len(nodes) % BATCH)
    return nids, gone


def _sync_relationships(conn: sqlite3.Connection, rid: int, graph: RepoGraph, nids: dict[str, int],
                        advance: Callable[[int], None], skip: frozenset[str] = frozenset()) -> None:
    """Make the stored relationships of ``rid`` those of ``graph``, type by type, except the types in ``skip``.

    Edges are numbered and sorted one type at a time, so what the merge holds
    besides the graph is one type's worth (a million edges of all types at
    50k files would be a hundred megabytes more).
    """
    by_type: dict[str, list[Edge]] = {}
    for key, edge in graph.edges.items():
        if key[0] in skip:
            continue
        found = by_type.get(key[0])
        if found is None:
            by_type[key[0]] = [edge]
        else:
            found.append(edge)

    def numbered(edge: Edge) -> tuple[int, int, Edge]:
        try:
            return (nids[edge.source], nids[edge.target], edge)
        except KeyError:
            raise StoreError(
                f"saving {graph.repo}: edge {edge.type.value} {edge.source} -> {edge.target} has an end that is not in the graph"
            ) from None

    inserts = _Writes(conn, "INSERT INTO relationships (rid, type, src, dst, props) VALUES (?, ?, ?, ?, ?)")
    updates = _Writes(conn, "UPDATE relationships SET props = ? WHERE rid = ? AND type = ? AND src = ? AND dst = ?")
    deletes = _Writes(conn, "DELETE FROM relationships WHERE rid = ? AND type = ? AND src = ? AND dst = ?")
    stored_types = {t for (t,) in conn.execute("SELECT DISTINCT type FROM relationships WHERE rid = ?", (rid,))}
    for type_ in sorted((set(by_type) | stored_types) - skip):
        # (src, dst) is unique within a type, so the sort never compares two edges
        edges = sorted(map(numbered, by_type.pop(type_, ())))
        if type_ not in stored_types:  # nothing to merge with (a first save): every edge is an insert
            _insert_edges(conn, rid, type_, edges, advance)
            continue
        stored = _pages(conn, _REL_PAGE, (rid, type_), (-1, -1))
        current = next(stored, None)
        for count, (src, dst, edge) in enumerate(edges, 1):
            try:  # what failed is worded only when something does, not for each of a million edges
                text = dumps(edge.props)
            except (TypeError, ValueError) as exc:
                raise _unstorable(f"edge {type_} {edge.source} -> {edge.target}", exc) from exc
            key = (src, dst)
            while current is not None and current[:2] < key:
                deletes.add((rid, type_, *current[:2]))
                current = next(stored, None)
            if current is not None and current[:2] == key:
                if current[2] != text:
                    updates.add((text, rid, type_, src, dst))
                current = next(stored, None)
            else:
                inserts.add((rid, type_, src, dst, text))
            if count % BATCH == 0:
                advance(BATCH)
        while current is not None:
            deletes.add((rid, type_, *current[:2]))
            current = next(stored, None)
        for writes in (deletes, updates, inserts):  # before the next type's pages are read
            writes.flush()
        advance(len(edges) % BATCH)


def _insert_edges(conn: sqlite3.Connection, rid: int, type_: str, edges: list[tuple[int, int, Edge]],
                  advance: Callable[[int], None]) -> None:
    """Insert ``edges`` (numbered, in key order) of a type ``rid`` has none of: the merge's rows without the merge."""
    insert = "INSERT INTO relationships (rid, type, src, dst, props) VALUES (?, ?, ?, ?, ?)"
    for start in range(0, len(edges), BATCH):
        batch = edges[start:start + BATCH]
        try:
            rows = [(rid, type_, src, dst, dumps(edge.props)) for src, dst, edge in batch]
        except (TypeError, ValueError):
            for _, _, edge in batch:  # name the first edge that cannot be stored
                serialise(edge.props, f"edge {type_} {edge.source} -> {edge.target}")
            raise
        conn.executemany(insert, rows)
        advance(len(batch))


def _drop_edges_at(conn: sqlite3.Connection, rid: int, gone: list[int], types: list[str]) -> None:
    """Delete the relationships of ``types`` at the deleted nodes ``gone`` (the other types are merged whole)."""
    marks = ", ".join("?" * len(types))
    for end in ("src", "dst"):
        conn.executemany(f"DELETE FROM relationships WHERE rid = ? AND {end} = ? AND type IN ({marks})",
                         [(rid, nid, *types) for nid in gone])


def _patch_relationships(conn: sqlite3.Connection, rid: int, changes: GraphChanges, nids: dict[str, int],
                         advance: Callable[[int], None]) -> None:
    """Delete the ``deleted`` relationships and write the ``changed`` ones of the patched types."""
    graph = changes.graph
    deletes = _Writes(conn, "DELETE FROM relationships WHERE rid = ? AND type = ? AND src = ? AND dst = ?")
    for type_, source, target in changes.deleted:
        src, dst = nids.get(source), nids.get(target)
        if src is not None and dst is not None:  # else an end went, and the edge with it
            deletes.add((rid, type_, src, dst))
    deletes.flush()
    upserts = _Writes(conn, "INSERT INTO relationships (rid, type, src, dst, props) VALUES (?, ?, ?, ?, ?) "
                            "ON CONFLICT (rid, type, src, dst) DO UPDATE SET props = excluded.props "
                            "WHERE props IS NOT excluded.props")
    for count, key in enumerate(sorted(changes.changed), 1):
        edge = graph.edges[key]
        try:
            src, dst = nids[edge.source], nids[edge.target]
        except KeyError:
            raise StoreError(
                f"saving {graph.repo}: edge {edge.type.value} {edge.source} -> {edge.target} has an end that is not in the graph"
            ) from None
        upserts.add((rid, key[0], src, dst, serialise(edge.props, f"edge {key[0]} {edge.source} -> {edge.target}")))
        if count % BATCH == 0:
            advance(BATCH)
    upserts.flush()
    advance(len(changes.changed) % BATCH)


def _pages(conn: sqlite3.Connection, page_sql: str, where: tuple[Any, ...], before_first: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """The stored rows ``where`` selects (``rid``, and the type of relationships) in key order, read ``BATCH`` at a time."""
    after = before_first
    width = len(before_first)
    while True:
        rows = conn.execute(page_sql, (*where, *after, BATCH)).fetchall()
        yield from rows
        if len(rows) < BATCH:
            return
        after = tuple(rows[-1][:width])


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def serialise(value: Any, what: str) -> str:
    try:
        return dumps(value)
    except (TypeError, ValueError) as exc:
        raise _unstorable(what, exc) from exc


def _unstorable(what: str, exc: Exception) -> StoreError:
    """A value ``dumps`` refused: a programming error, but say what failed."""
    return StoreError(f"cannot store {what}: {exc}")

"""How the embedded store writes a new version of a repository: a merge with what is stored, or a patch.

``write_graph`` runs inside the store's write transaction (``SqliteStore.save_changes``).
Nodes, and the relationships of each type not patched, are merged: the new rows
are sorted by key and cut into chunks (``graph.sqlite_chunks``); the chunks the
store holds as they are (same range, same digest) are skipped without reading or
serialising their rows (when the caller names the nodes that may have changed,
``GraphChanges.nodes_changed``, a chunk whose range is stored and holds none of
them, nor a node added or gone, keeps its stored digest without being digested;
for a type whose edges that may have changed the caller names, ``GraphChanges.edges_changed``, only the stored
chunks holding one of them, or an edge at a node deleted, are cut again: ``_sync_named``);
in the ranges of the others the stored rows are read in
key order, page by page (``BATCH`` rows), beside the new ones, and only rows
that differ are written or deleted, so re-saving an unchanged graph rewrites no
row, and a save that changes a few rows serialises little more than those. A table with no row at all (the
first save into a fresh store) is filled without its secondary indexes, which
are built again once it is full (one sort instead of a B-tree insert per row;
the write transaction covers the change of schema too). Rows are inserted many
to a statement (``insert_rows``), and the rows of a new repository or of a type
it had none of are inserted without the merge, their property maps encoded a
batch at a time (``graph.values.dumps_all``). The relationships of a patched
type (``GraphChanges.patched``) are neither read nor compared: the deleted ones
go, the changed ones are written over the stored ones (an SQLite upsert that
leaves an identical row alone), and those at a deleted node go with it; the
type's chunk list is dropped (the next merge of the type compares it whole). Every
save increments the repository's generation, which makes its answers unreadable
(``graph.sqlite_store``: they are kept until the next answers are compared with them).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right
from itertools import chain, groupby, islice
from operator import attrgetter, itemgetter, methodcaller
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Mapping

from cairn.graph.errors import StoreError
from cairn.graph.model import Edge, Label, RepoGraph, SlottedEdge, imports_rows, knows_rows
from cairn.graph.store import EdgeKey, GraphChanges, Progress, progress_counter, verifying_skips
from cairn.graph.sqlite_chunks import (
    NODES, Chunk, cut, decoded, edge_chunk_ends, encoded, forget, in_order, keep, node_chunk_ends, stored_chunks,
)
from cairn.graph.values import dumps, dumps_all, dumps_import, dumps_rows

#: Rows read per page and written per statement batch during a save.
BATCH = 5_000
#: Rows inserted by one statement (fewer when SQLite takes fewer parameters): a statement per row costs twice the CPU.
ROWS_PER_INSERT = 400

_NODE_INSERT = "INSERT INTO nodes (nid, rid, id, label, key, props)"
_EDGE_INSERT = "INSERT INTO relationships (rid, type, src, dst, props)"
_NODE_BY_REPOSITORY = "INSERT INTO nodes (rid, nid, id, label, key, props)"  # rid first: ``insert_rows``'s fixed value
_LABEL, _KEY, _LABEL_TEXT = attrgetter("label"), attrgetter("key"), {label: label.value for label in Label}.__getitem__
_SRC, _DST, _EDGE, _PROPS_OF = itemgetter(0), itemgetter(1), itemgetter(2), attrgetter("props")
_SOURCE, _TARGET = attrgetter("source"), attrgetter("target")
_CURRENT_PROPS = methodcaller("current_props")


def _slotted(kind: type) -> bool:
    return issubclass(kind, SlottedEdge)


def _SAME(props: dict[str, Any]) -> dict[str, Any]:  # noqa: N802 - the rows hold the properties themselves
    return props


def write_graph(conn: sqlite3.Connection, changes: GraphChanges, progress: Progress | None) -> int:
    """Make the stored rows of the repository the new version ``changes`` gives (inside the caller's write transaction).

    Returns the repository's new generation.
    """
    graph = changes.graph
    repo = graph.repo
    patched = sorted(rel.value for rel in changes.patched)
    skip = frozenset(patched)
    row = conn.execute("SELECT rid, generation FROM repositories WHERE repo = ?", (repo,)).fetchone()
    named = {rel.value: keys for rel, keys in changes.edges_changed.items()} if row is not None else {}
    by_type, counted = _edges_by_type(graph, skip, frozenset(named))
    total = len(graph.nodes) + sum(map(len, by_type.values())) + sum(counted.values()) + len(changes.changed)
    advance = progress_counter(progress, total)

    if row is None:
        rid = conn.execute(
            "INSERT INTO repositories (repo, props, generation, saved_at) VALUES (?, '{}', 0, '')", (repo,)
        ).lastrowid
        generation = 1
    else:
        rid, generation = row[0], row[1] + 1
    rebuilt = _drop_indexes_of_empty(conn, ("nodes", "relationships"))
    kept = stored_chunks(conn, rid) if row is not None else {}
    nids, gone = _sync_nodes(conn, rid, graph, advance, kept, new=row is None, changed=changes.nodes_changed,
                             added_named=changes.nodes_added_named)
    if patched:
        _drop_edges_at(conn, rid, gone, patched)
        forget(conn, rid, patched, kept)
    _sync_relationships(conn, rid, graph, by_type, nids, advance, kept, skip=skip,
                        unchunked=frozenset(rel.value for rel in changes.patched_next),
                        named=named, counted=counted, gone=gone)
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


class _Inserts(_Writes):
    """Rows of one table inserted ``ROWS_PER_INSERT`` to a statement (``insert_rows``), gathered ``BATCH`` at a time."""

    def flush(self) -> None:
        if self.rows:
            insert_rows(self.conn, self.sql, self.rows)
            self.rows.clear()


def insert_rows(conn: sqlite3.Connection, head: str, rows: Iterable[tuple[Any, ...]], fixed: tuple[Any, ...] = ()) -> None:
    """``head`` (``INSERT INTO table (columns)``) for every row of ``rows``, many rows to a statement: one ``VALUES``
    list of ``ROWS_PER_INSERT`` rows (the same rows, in the same order, as a statement per row inserts). ``fixed``:
    the values of the first columns, the same in every row (bound once a statement; the tuples of ``rows`` hold the
    other columns)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    width = len(first)
    per = max(1, min(ROWS_PER_INSERT, (conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - len(fixed)) // width))
    values = "(" + ", ".join("?" * width) + ")"
    if fixed:  # the parameters are numbered in the order they appear: the fixed ones first
        columns = ", ".join(["?"] * len(fixed) + [f"column{i}" for i in range(1, width + 1)])
        head = f"{head} SELECT {columns} FROM (VALUES "
        tail = ")"
    else:
        head, tail = f"{head} VALUES ", ""
    full = f"{head}{', '.join([values] * per)}{tail}"
    rows = chain((first,), rows)
    while True:
        part = list(islice(rows, per))
        if len(part) == per:
            conn.execute(full, [*fixed, *chain.from_iterable(part)])
            continue
        if part:
            conn.execute(f"{head}{', '.join([values] * len(part))}{tail}", [*fixed, *chain.from_iterable(part)])
        return


# The merges below read the stored rows of a key range a page at a time (keyset
# pagination), each page whole before anything is written, and every write concerns
# a key at most the last one read, so the pages never see the merge's own writes.
# Only the ranges of the chunks that differ from the stored ones are read
# (``graph.sqlite_chunks``); the rows of the others are the stored ones.

def _unmatched(chunks: list[tuple[int, Chunk]], known: set[Chunk]) -> Iterator[tuple[Any, Any, int, int, int]]:
    """The runs of consecutive chunks not stored as they are: (key after which the run starts or None, its last key
    or None, first row, end row, rows skipped before it)."""
    start = skipped = 0
    run: list[Any] | None = None
    for end, chunk in chunks:
        if chunk in known:
            if run is not None:
                yield run[0], run[1], run[2], start, run[3]
                run = None
            skipped += end - start
        elif run is None:
            run = [chunk[0], chunk[1], start, skipped]
            skipped = 0
        else:
            run[1] = chunk[1]
        start = end
    if run is not None:
        yield run[0], run[1], run[2], start, run[3]


def _range_sql(select: str, key: str, lo: Any, hi: Any) -> str:
    """``select`` (with its WHERE) limited to keys in (lo, hi] (None: unbounded), in key order, a page at a time."""
    order = key.strip("()")
    return (select + (f" AND {key} > {_marks(lo)}" if lo is not None else "")
            + (f" AND {key} <= {_marks(hi)}" if hi is not None else "") + f" ORDER BY {order} LIMIT ?")


def _marks(key: Any) -> str:
    return f"({', '.join('?' * len(key))})" if isinstance(key, tuple) else "?"


def _flat(key: Any) -> tuple[Any, ...]:
    return key if isinstance(key, tuple) else (key,)


def _range_pages(conn: sqlite3.Connection, select: str, key: str, where: tuple[Any, ...], lo: Any, hi: Any,
                 width: int) -> Iterator[tuple[Any, ...]]:
    """The stored rows ``select`` gives (``where`` its parameters) with keys in (lo, hi], in key order, ``BATCH`` at a
    time; a row's key is its first ``width`` columns."""
    bound = _flat(hi) if hi is not None else ()
    while True:
        sql = _range_sql(select, key, lo, hi)
        rows = conn.execute(sql, (*where, *(_flat(lo) if lo is not None else ()), *bound, BATCH)).fetchall()
        yield from rows
        if len(rows) < BATCH:
            return
        last = rows[-1][:width]
        lo = last if width > 1 else last[0]


def _sync_nodes(conn: sqlite3.Connection, rid: int, graph: RepoGraph, advance: Callable[[int], None],
                kept: dict[str, str], new: bool = False, changed: frozenset[str] | None = None,
                added_named: bool = False) -> tuple[dict[str, int], list[int]]:
    """Make the stored nodes of ``rid`` those of ``graph``; the number (nid) of every node id, and those of the nodes
    deleted. ``new``: ``rid`` was added by this save (it has no node to merge with). ``changed``: the nodes whose
    properties may differ from the stored ones (``GraphChanges.nodes_changed``; None: any may), every node added among
    them when ``added_named`` (then the numbers are those of a ``_Numbers``, read when asked: ``_sync_named_nodes``)."""
    if changed is not None and added_named and not new:
        found = _sync_named_nodes(conn, rid, graph, advance, kept, changed)
        if found is not None:
            return found
    graph.make_props()  # every node may be read whole
    nodes = graph.nodes
    ids = sorted(nodes)
    props = list(map(_PROPS_OF, map(nodes.__getitem__, ids)))
    rows, ends = list(zip(ids, props)), node_chunk_ends(ids)

    def as_json(i: int) -> str:
        return serialise(props[i], f"node {ids[i]}")

    if new:
        chunks = cut(rows, ends, itemgetter(0), as_json)
        nids = _insert_nodes(conn, rid, graph, ids, props)
        advance(len(ids))
        keep(conn, rid, NODES, encoded(chunks), kept)
        return nids, []
    known = decoded(kept.get(NODES), edges=False)
    stored_ids: dict[str, int] | None = None
    if changed is not None and known:  # the chunks holding no node that may have changed keep their stored digests
        stored_ids = dict(conn.execute("SELECT id, nid FROM nodes WHERE rid = ?", (rid,)))
        taken = _stored_digests(ids, ends, nodes, stored_ids, changed, known)
        chunks = cut(rows, ends, itemgetter(0), as_json, taken)
        if verifying_skips():
            _verify_skips(chunks, cut(rows, ends, itemgetter(0), as_json), graph.repo)
    else:
        chunks = cut(rows, ends, itemgetter(0), as_json)
    runs = list(_unmatched(chunks, known))
    whole = len(runs) == 1 and runs[0][2] == 0 and runs[0][3] == len(ids)
    nids: dict[str, int] = (stored_ids if stored_ids is not None else {} if whole
                            else dict(conn.execute("SELECT id, nid FROM nodes WHERE rid = ?", (rid,))))
    next_nid = conn.execute("SELECT coalesce(max(nid), 0) + 1 FROM nodes").fetchone()[0]
    inserts = _Inserts(conn, _NODE_INSERT)
    updates = _Writes(conn, "UPDATE nodes SET props = ? WHERE nid = ?")
    deletes = _Writes(conn, "DELETE FROM nodes WHERE nid = ?")
    gone: list[int] = []
    done = 0
    for lo, hi, start, end, skipped in runs:
        advance(skipped)
        done += skipped + end - start
        stored = _range_pages(conn, "SELECT id, nid, props FROM nodes WHERE rid = ?", "id", (rid,), lo, hi, 1)
        current = next(stored, None)
        for index in range(start, end):
            nid_text = ids[index]
            try:
                text = dumps(props[index])
            except (TypeError, ValueError) as exc:
                raise _unstorable(f"node {nid_text}", exc) from exc
            while current is not None and current[0] < nid_text:
                deletes.add((current[1],))
                gone.append(current[1])
                nids.pop(current[0], None)
                current = next(stored, None)
            if current is not None and current[0] == nid_text:
                nids[nid_text] = current[1]
                if current[2] != text:
                    updates.add((text, current[1]))
                current = next(stored, None)
            else:
                node = nodes[nid_text]
                nids[nid_text] = next_nid
                inserts.add((next_nid, rid, nid_text, node.label.value, node.key, text))
                next_nid += 1
            if (index - start + 1) % BATCH == 0:
                advance(BATCH)
        while current is not None:
            deletes.add((current[1],))
            gone.append(current[1])
            nids.pop(current[0], None)
            current = next(stored, None)
        advance((end - start) % BATCH)
    advance(len(ids) - done)
    for writes in (deletes, updates, inserts):
        writes.flush()
    keep(conn, rid, NODES, encoded(chunks), kept)
    return nids, gone


class _Numbers(dict):
    """Node numbers by id: those a save knows, the others read from the store when first asked (``load`` reads many
    at once). Read after the nodes are written: the nodes of the new graph, by the numbers they are stored under."""

    def __init__(self, conn: sqlite3.Connection, rid: int, known: dict[str, int]):
        super().__init__(known)
        self.conn, self.rid = conn, rid

    def __missing__(self, node_id: str) -> int:
        row = self.conn.execute("SELECT nid FROM nodes WHERE rid = ? AND id = ?", (self.rid, node_id)).fetchone()
        if row is None:
            raise KeyError(node_id)
        self[node_id] = row[0]
        return row[0]

    def get(self, node_id: str, default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[node_id]
        except KeyError:
            return default

    def load(self, ids: Iterable[str]) -> None:
        """Read the numbers of ``ids`` not known yet, many to a statement."""
        self.update(_numbers_of(self.conn, self.rid, [i for i in set(ids) if not dict.__contains__(self, i)]))


def _numbers_of(conn: sqlite3.Connection, rid: int, ids: list[str]) -> dict[str, int]:
    """The stored numbers of those of ``ids`` that ``rid`` has, by id."""
    found: dict[str, int] = {}
    per = max(1, min(500, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - 1))
    for start in range(0, len(ids), per):
        part = ids[start:start + per]
        found.update(conn.execute(f"SELECT id, nid FROM nodes WHERE rid = ? AND id IN ({', '.join('?' * len(part))})",
                                  (rid, *part)))
    return found


def _load_numbers(nids: dict[str, int], ids: Iterable[str]) -> None:
    """Make ``nids`` know the numbers of ``ids`` (a ``_Numbers`` reads those it lacks; a full map knows them)."""
    if type(nids) is _Numbers:
        nids.load(ids)


def _sync_named_nodes(conn: sqlite3.Connection, rid: int, graph: RepoGraph, advance: Callable[[int], None],
                      kept: dict[str, str], changed: frozenset[str]) -> tuple[_Numbers, list[int]] | None:
    """``_sync_nodes`` when ``changed`` names every node that may be added or differ from the stored one: only the
    stored chunks holding a named node, or a node gone, are read and cut again; no other node's id is looked at. The
    nodes gone are those named that the graph lacks, when as many nodes are stored as that makes; else (a node
    gone unnamed), or when the stored chunk list is missing: None, nothing written (``_sync_nodes`` compares every
    node's id). ``CAIRN_VERIFY_SKIPS=1`` checks the ids and the chunks against the whole comparison."""
    stored = in_order(kept.get(NODES), edges=False)
    if not stored:
        return None
    nodes = graph.nodes
    named = _numbers_of(conn, rid, list(changed))  # the stored numbers of the named nodes
    added = sorted(node_id for node_id in changed if node_id in nodes and node_id not in named)
    gone = {node_id: nid for node_id, nid in named.items() if node_id not in nodes}
    count = conn.execute("SELECT count(*) FROM nodes WHERE rid = ?", (rid,)).fetchone()[0]
    if count - len(gone) + len(added) != len(nodes):
        return None
    marked = _marked(stored, ((node_id, node_id in gone) for node_id in changed if node_id in nodes or node_id in gone))
    regions: list[tuple[int, int, list[tuple[Any, ...]], list[tuple[str, Any]], list[tuple[int, Chunk]]]] = []
    for first, last in _runs(sorted(marked)):
        lo, hi = stored[first][0], stored[last][1]
        rows_stored = list(_range_pages(conn, "SELECT id, nid, props FROM nodes WHERE rid = ?", "id", (rid,), lo, hi, 1))
        ids = [row[0] for row in rows_stored if row[0] in nodes]
        if len(ids) + sum(1 for row in rows_stored if row[0] in gone) != len(rows_stored):
            return _gone_unnamed(graph, next(row[0] for row in rows_stored if row[0] not in nodes and row[0] not in gone))
        ids.extend(node_id for node_id in added if (lo is None or node_id > lo) and (hi is None or node_id <= hi))
        ids.sort()
        if hi is not None and (not ids or ids[-1] != hi):
            return _gone_unnamed(graph, hi)
        graph.make_props(ids)  # the nodes of the region are read whole (those held unmade made: ``RepoGraph.hold_props``)
        rows = [(node_id, nodes[node_id].props) for node_id in ids]

        def as_json(i: int, rows: list[tuple[str, Any]] = rows) -> str:
            return serialise(rows[i][1], f"node {rows[i][0]}")

        chunks = cut(rows, node_chunk_ends(ids), itemgetter(0), as_json, after=lo)
        if hi is not None:
            chunks.pop()  # (the chunk after the range's last id: not the range's)
        regions.append((first, last, rows_stored, rows, chunks))
    merged = _spliced(stored, regions)
    if verifying_skips():
        _verify_named_nodes(conn, rid, graph, merged, set(gone), added)
    nids = _Numbers(conn, rid, {node_id: nid for node_id, nid in named.items() if node_id not in gone})
    next_nid = conn.execute("SELECT coalesce(max(nid), 0) + 1 FROM nodes").fetchone()[0]
    inserts = _Inserts(conn, _NODE_INSERT)
    updates = _Writes(conn, "UPDATE nodes SET props = ? WHERE nid = ?")
    deletes = _Writes(conn, "DELETE FROM nodes WHERE nid = ?")
    for first, last, rows_stored, rows, chunks in regions:
        texts = {node_id: (nid, text) for node_id, nid, text in rows_stored}
        for node_id, props in _differing(rows, chunks, stored[first:last + 1], texts, nids, changed, graph.repo):
            text = serialise(props, f"node {node_id}")
            was = texts.pop(node_id, None)
            if was is None:
                node = nodes[node_id]
                nids[node_id] = next_nid
                inserts.add((next_nid, rid, node_id, node.label.value, node.key, text))
                next_nid += 1
            else:
                nids[node_id] = was[0]
                if was[1] != text:
                    updates.add((text, was[0]))
        for nid, _ in texts.values():
            deletes.add((nid,))
    for writes in (deletes, updates, inserts):
        writes.flush()
    advance(len(nodes))
    keep(conn, rid, NODES, encoded((0, chunk) for chunk in merged), kept)
    return nids, sorted(gone.values())


def _marked(stored: list[Chunk], keys: Iterable[tuple[Any, bool]]) -> set[int]:
    """The numbers of the ``stored`` chunks (in key order) whose ranges take ``keys`` ((key, whether its row goes)):
    a key that ended a chunk and goes marks the next chunk too, which reaches into its range now."""
    bounds = [chunk[1] for chunk in stored[:-1]]
    marked: set[int] = set()
    for key, goes in keys:
        number = bisect_left(bounds, key)
        marked.add(number)
        if goes and number < len(bounds) and bounds[number] == key:
            marked.add(number + 1)
    return marked


def _differing(rows: list[tuple[Any, ...]], chunks: list[tuple[int, Chunk]], stored: list[Chunk],
               texts: dict[Any, Any], numbers: dict[str, int] | None = None, named: frozenset[str] | None = None,
               repo: str = "") -> Iterator[tuple[Any, ...]]:
    """The rows of the chunks cut in a range (``chunks`` of ``rows``) that are not among the ``stored`` chunks of that
    range, to be compared with the stored ones; the keys of the others (their rows are the stored rows as they are)
    are taken off ``texts`` (the stored rows by key), their numbers put in ``numbers`` (nodes: ``texts`` holds
    (number, text)). ``named`` (nodes): the nodes that may differ from the stored ones (``GraphChanges.nodes_changed``,
    every node added among them); a stored node of a chunk that differs but not named is stored as it is, and taken
    like those of the stored chunks (at 50k files the current Period node's chunk holds 30 other periods, 3.6 MB of
    JSON); ``CAIRN_VERIFY_SKIPS=1`` compares its text."""
    known = set(stored)
    verify = named is not None and verifying_skips()
    start = 0
    for end, chunk in chunks:
        if chunk in known:
            for row in rows[start:end]:
                key = row[0] if numbers is not None else row[:2]
                was = texts.pop(key)
                if numbers is not None:
                    numbers[key] = was[0]
        elif named is None:
            yield from rows[start:end]
        else:
            for row in rows[start:end]:
                key = row[0]
                if key in named or key not in texts:
                    yield row
                    continue
                was = texts.pop(key)
                numbers[key] = was[0]  # type: ignore[index]
                if verify and dumps(row[1]) != was[1]:
                    raise StoreError(f"saving {repo}: the node {key} differs from the stored one and was not named in "
                                     "nodes_changed")
        start = end


def _gone_unnamed(graph: RepoGraph, node_id: str) -> None:
    """None (every node's id is compared), or under ``CAIRN_VERIFY_SKIPS=1`` the error: the stored node ``node_id`` is
    gone from ``graph`` though no node was named gone there (a node added unnamed made up the count)."""
    if verifying_skips():
        raise StoreError(f"saving {graph.repo}: the stored node {node_id} is not in the new graph and was not named: a "
                         "node added was not named in nodes_changed")
    return None


def _spliced(stored: list[Chunk], regions: list[tuple[int, int, Any, Any, list[tuple[int, Chunk]]]]) -> list[Chunk]:
    """The stored chunk list with each region's chunks (first stored chunk, last, ..., the chunks cut there) in place
    of the stored chunks it was cut over, in order."""
    merged: list[Chunk] = []
    taken = 0
    for first, last, _, _, chunks in regions:
        merged.extend(stored[taken:first])
        merged.extend(map(itemgetter(1), chunks))
        taken = last + 1
    merged.extend(stored[taken:])
    return merged


def _verify_named_nodes(conn: sqlite3.Connection, rid: int, graph: RepoGraph, merged: list[Chunk], gone: set[str],
                        added: list[str]) -> None:
    """Raise when ``_sync_named_nodes`` would store other ids or chunks than the whole comparison: a node added or
    changed that ``GraphChanges.nodes_changed`` did not name (``CAIRN_VERIFY_SKIPS=1``)."""
    stored = {row[0] for row in conn.execute("SELECT id FROM nodes WHERE rid = ?", (rid,))}
    nodes = graph.nodes
    if stored - gone != nodes.keys() - set(added) or not gone <= stored:
        missed = sorted((nodes.keys() - stored - set(added)) | (stored - nodes.keys() - gone))
        raise StoreError(f"saving {graph.repo}: {len(missed)} node(s) added or gone that the count did not show, the first "
                         f"{missed[:1]}: a node added was not named in nodes_changed")
    graph.make_props()  # (every node read whole: those held unmade made)
    ids = sorted(nodes)
    rows = list(zip(ids, map(_PROPS_OF, map(nodes.__getitem__, ids))))
    full = [chunk for _, chunk in cut(rows, node_chunk_ends(ids), itemgetter(0), lambda i: dumps(rows[i][1]))]
    if full != merged:
        wrong = next((chunk for chunk in merged if chunk not in full), merged[0])
        raise StoreError(f"saving {graph.repo}: the node chunks kept as stored differ from the new graph, the first after "
                         f"{wrong[0]!r} up to {wrong[1]!r}: a changed node was not named in nodes_changed")


def _stored_digests(ids: list[str], ends: list[int], nodes: dict[str, Any], stored_ids: dict[str, int],
                    changed: frozenset[str], known: set[Chunk]) -> Callable[[int, Any, Any], str | None]:
    """For ``cut``: the stored digest of a chunk whose range is stored and holds no node that may differ from the
    stored one: none named in ``changed``, none added, none gone (a node gone lies in the chunk whose range takes
    its id). Such a chunk's rows are the stored rows of its range, as they are."""
    by_range = {(lo, hi): digest for lo, hi, digest in known}
    suspects = nodes.keys() - stored_ids.keys()
    suspects |= stored_ids.keys() - nodes.keys()
    suspects |= changed
    # the chunk holding (or whose range takes) an id: the number of chunk ends at or before its place among ``ids``
    marked = {bisect_right(ends, bisect_left(ids, node_id)) for node_id in suspects}

    def stored(number: int, lo: Any, hi: Any) -> str | None:
        return None if number in marked else by_range.get((lo, hi))

    return stored


def _verify_skips(taken: list[tuple[int, Chunk]], digested: list[tuple[int, Chunk]], repo: str) -> None:
    """Raise when a chunk given its stored digest (``_stored_digests``) holds other rows than that digest says: a node
    that changed was not named in ``GraphChanges.nodes_changed`` (the check ``CAIRN_VERIFY_SKIPS=1`` turns on)."""
    wrong = [chunk for (_, chunk), (_, real) in zip(taken, digested) if chunk != real]
    if wrong:
        lo, hi, _ = wrong[0]
        raise StoreError(f"saving {repo}: {len(wrong)} node chunk(s) taken as stored differ from the new graph, the "
                         f"first after {lo!r} up to {hi!r}: a changed node was not named in nodes_changed")


def _insert_nodes(conn: sqlite3.Connection, rid: int, graph: RepoGraph, ids: list[str],
                  props: list[dict[str, Any]]) -> dict[str, int]:
    """Insert the nodes of ``graph`` (``ids`` sorted, ``props`` theirs) for a repository that has none, numbered in
    that order as the merge numbers them: the merge's rows without the merge. Their numbers by id."""
    first = conn.execute("SELECT coalesce(max(nid), 0) + 1 FROM nodes").fetchone()[0]
    for start in range(0, len(ids), BATCH):  # a batch's texts at a time: a File's change days make long ones
        batch = ids[start:start + BATCH]
        texts = _texts(props[start:start + BATCH], lambda i: f"node {batch[i]}")
        stored = list(map(graph.nodes.__getitem__, batch))
        insert_rows(conn, _NODE_BY_REPOSITORY, zip(range(first + start, first + start + len(batch)), batch,
                                                   map(_LABEL_TEXT, map(_LABEL, stored)), map(_KEY, stored), texts),
                    fixed=(rid,))
    return dict(zip(ids, range(first, first + len(ids))))


def _texts(values: list[Any], what: Callable[[int], str]) -> list[str]:
    """The JSON texts of ``values`` (``dumps_all``); the error names the first that cannot be stored (``what(i)``)."""
    try:
        return dumps_all(values)
    except (TypeError, ValueError):
        for index, value in enumerate(values):
            serialise(value, what(index))
        raise


def _pair(row: tuple[Any, ...]) -> tuple[int, int]:
    return row[0], row[1]


def _stored_types(conn: sqlite3.Connection, rid: int) -> set[str]:
    """The relationship types ``rid`` has rows of (one seek in the key's index per type, not a scan of every row)."""
    types: set[str] = set()
    row = conn.execute("SELECT type FROM relationships WHERE rid = ? ORDER BY type LIMIT 1", (rid,)).fetchone()
    while row is not None:
        types.add(row[0])
        row = conn.execute("SELECT type FROM relationships WHERE rid = ? AND type > ? ORDER BY type LIMIT 1",
                           (rid, row[0])).fetchone()
    return types


def _edges_by_type(graph: RepoGraph, skip: frozenset[str],
                   counted: frozenset[str] = frozenset()) -> tuple[dict[str, list[Edge]], dict[str, int]]:
    """The edges of ``graph`` by type, but for the types in ``skip``, and for those in ``counted`` only how many there
    are. An edge's key starts with its type and a graph adds its edges a type at a time, so the keys are taken in runs
    of one type (in C: no bytecode per edge)."""
    by_type: dict[str, list[Edge]] = {}
    counts: dict[str, int] = {}
    edges = graph.edges_except(skip)  # (edges of those types not made yet stay so: ``graph.model.RepoGraph``)
    for type_, keys in groupby(edges, itemgetter(0)):
        if type_ in skip:
            continue
        if type_ in counted:
            counts[type_] = counts.get(type_, 0) + len(list(keys))
            continue
        found = by_type.get(type_)
        if found is None:
            found = by_type[type_] = []
        found.extend(map(edges.__getitem__, keys))
    return by_type, counts


def _edges_of(graph: RepoGraph, type_: str) -> list[Edge]:
    """The edges of ``graph`` of one type, in the graph's order."""
    return [edge for key, edge in graph.edges_of((type_,)).items() if key[0] == type_]


def _sync_relationships(conn: sqlite3.Connection, rid: int, graph: RepoGraph, by_type: dict[str, list[Edge]],
                        nids: dict[str, int], advance: Callable[[int], None], kept: dict[str, str],
                        skip: frozenset[str] = frozenset(), unchunked: frozenset[str] = frozenset(),
                        named: Mapping[str, frozenset[EdgeKey]] | None = None, counted: Mapping[str, int] | None = None,
                        gone: list[int] | None = None) -> None:
    """Make the stored relationships of ``rid`` those of ``graph`` (``by_type``: its edges by type, but for the types
    in ``skip`` and ``counted``), type by type, except the types in ``skip``. The types in ``unchunked`` (the next save
    will patch them, which drops their chunk list) are compared whole and get no chunk list. ``named``: for some
    types, the edges that may differ from the stored ones (``GraphChanges.edges_changed``; ``counted``: how many
    edges ``graph`` has of each, ``gone``: the nodes deleted), whose chunks alone are merged (``_sync_named``).

    Edges are numbered and sorted one type at a time, so what the merge holds
    besides the graph is one type's worth (a million edges of all types at
    50k files would be a hundred megabytes more).
    """

    inserts = _Inserts(conn, _EDGE_INSERT)
    updates = _Writes(conn, "UPDATE relationships SET props = ? WHERE rid = ? AND type = ? AND src = ? AND dst = ?")
    deletes = _Writes(conn, "DELETE FROM relationships WHERE rid = ? AND type = ? AND src = ? AND dst = ?")
    stored_types = _stored_types(conn, rid)
    named, counted = named or {}, counted or {}
    for type_ in sorted((set(by_type) | set(counted) | stored_types) - skip):
        if (type_ in named and type_ in stored_types and type_ not in unchunked
                and _sync_named(conn, rid, graph, type_, named[type_], counted.get(type_, 0), nids, gone or [], kept,
                                advance)):
            continue
        edges = by_type.pop(type_, None)
        if edges is None:
            edges = _edges_of(graph, type_) if type_ in counted else []
        # (src, dst) is unique within a type, so the sort never compares two edges. The rows of a type without chunk
        # list hold the edges, whose properties are made a batch at a time (a ``KnowsEdge`` keeps them in slots, not
        # in a dict); those of a chunked type their properties, which its digests are made of
        rows = _numbered(graph, edges, nids)
        chunked = type_ not in unchunked
        # (``current_props`` only for a type holding edges whose properties are in slots, ``SlottedEdge``s: a method
        # call per edge costs more than ``props``)
        current = _CURRENT_PROPS if any(map(_slotted, set(map(type, edges)))) else _PROPS_OF
        if chunked:
            rows = list(zip(map(_SRC, rows), map(_DST, rows), map(current, map(_EDGE, rows))))
        props_of = _SAME if chunked else current

        def unstorable(index: int, exc: Exception, rows: list[tuple[int, int, Any]] = rows,
                       edges: list[Edge] = edges, type_: str = type_) -> StoreError:
            """The error naming the edge of ``rows[index]`` (found only when one cannot be stored)."""
            src, dst, _ = rows[index]
            edge = next(e for e in edges if (nids[e.source], nids[e.target]) == (src, dst))
            return _unstorable(f"edge {type_} {edge.source} -> {edge.target}", exc)

        chunks = (cut(rows, edge_chunk_ends(rows), _pair, lambda i: _json_of(rows[i][2], i, unstorable)) if chunked
                  else [(len(rows), (None, None, ""))])  # one range, no digest: never taken as stored
        if type_ not in stored_types:  # nothing to merge with (a first save): every edge is an insert
            _insert_edges(conn, rid, type_, rows, advance, unstorable, props_of)
            if chunked:
                keep(conn, rid, type_, encoded(chunks), kept)
            continue
        done = 0
        for lo, hi, start, end, skipped in _unmatched(chunks, decoded(kept.get(type_), edges=True)):
            advance(skipped)
            done += skipped + end - start
            stored = _range_pages(conn, "SELECT src, dst, props FROM relationships WHERE rid = ? AND type = ?",
                                  "(src, dst)", (rid, type_), lo, hi, 2)
            current = next(stored, None)
            for index in range(start, end):
                src, dst, item = rows[index]
                try:  # what failed is worded only when something does, not for each of a million edges
                    text = dumps(props_of(item))
                except (TypeError, ValueError) as exc:
                    raise unstorable(index, exc) from exc
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
                if (index - start + 1) % BATCH == 0:
                    advance(BATCH)
            while current is not None:
                deletes.add((rid, type_, *current[:2]))
                current = next(stored, None)
            advance((end - start) % BATCH)
        advance(len(rows) - done)
        for writes in (deletes, updates, inserts):  # before the next type's rows are read
            writes.flush()
        if rows and chunked:
            keep(conn, rid, type_, encoded(chunks), kept)
        else:
            forget(conn, rid, [type_], kept)


def _numbered(graph: RepoGraph, edges: list[Edge], nids: dict[str, int]) -> list[tuple[int, int, Edge]]:
    """(src, dst, edge) for each of ``edges``, its ends' node numbers ``nids`` gives, in key order. (src, dst) is unique
    within a type, so the sort never compares two edges: no key function, whose key per edge the sort would hold
    besides (570,000 KNOWS edges at 50k files: 30 MB at the peak of a first save)."""
    _load_numbers(nids, chain(map(_SOURCE, edges), map(_TARGET, edges)))
    try:
        return sorted(zip(map(nids.__getitem__, map(_SOURCE, edges)), map(nids.__getitem__, map(_TARGET, edges)), edges))
    except KeyError:
        edge = next(e for e in edges if e.source not in nids or e.target not in nids)
        raise _endless(graph, edge) from None


def _endless(graph: RepoGraph, edge: Edge) -> StoreError:
    return StoreError(f"saving {graph.repo}: edge {edge.type.value} {edge.source} -> {edge.target} has an end that is "
                      "not in the graph")


def _sync_named(conn: sqlite3.Connection, rid: int, graph: RepoGraph, type_: str, named: frozenset[EdgeKey],
                count: int, nids: dict[str, int], gone: list[int], kept: dict[str, str],
                advance: Callable[[int], None]) -> bool:
    """Merge the stored relationships of ``type_`` with those of ``graph`` in the ranges of the stored chunks that may
    hold a difference: a named edge's (``named``: ``GraphChanges.edges_changed``), or a stored edge's at a node
    deleted (``gone``); the other chunks are the stored ones, neither read nor digested. ``count``: the edges of the
    type ``graph`` holds. False (nothing written) when the type has no stored chunk list, or the stored rows of a range
    are not those the promise says (then the type is merged as a whole).

    A range runs from a stored chunk's first key to a stored chunk's last key, so the chunks cut in it are those a
    cut of every edge makes there: a key that ended a chunk and goes makes the range take the next chunk too.
    """
    stored = in_order(kept.get(type_), edges=True)
    if not stored:
        return False
    edges = graph.edges_of((type_,))
    _load_numbers(nids, chain(map(itemgetter(1), named), map(itemgetter(2), named)))
    suspects: dict[tuple[int, int], Edge | None] = {}  # (src, dst) -> the edge ``graph`` holds there, or None
    for key in named:
        edge = edges.get(key)
        src, dst = nids.get(key[1]), nids.get(key[2])
        if src is None or dst is None:
            if edge is not None:
                raise _endless(graph, edge)
            continue
        suspects[(src, dst)] = edge
    for end in ("src", "dst"):  # a stored edge at a node deleted goes with it
        for nid in gone:
            for key in conn.execute(f"SELECT src, dst FROM relationships WHERE rid = ? AND type = ? AND {end} = ?",
                                    (rid, type_, nid)):
                suspects[key] = None
    marked = _marked(stored, ((key, edge is None) for key, edge in suspects.items()))
    regions: list[tuple[int, int, list[tuple[Any, ...]], list[tuple[int, int, Any]], list[tuple[int, Chunk]]]] = []
    for first, last in _runs(sorted(marked)):
        lo, hi = stored[first][0], stored[last][1]
        rows_stored = list(_range_pages(
            conn, "SELECT r.src, r.dst, r.props, a.id, b.id FROM relationships r LEFT JOIN nodes a ON a.nid = r.src "
                  "LEFT JOIN nodes b ON b.nid = r.dst WHERE r.rid = ? AND r.type = ?", "(r.src, r.dst)", (rid, type_),
            lo, hi, 2))
        rows: list[tuple[int, int, Edge]] = []
        for src, dst, _, source, target in rows_stored:
            if (src, dst) not in suspects:
                edge = edges.get((type_, source, target))
                if edge is None:  # a stored edge the graph lacks, not named: the promise is wrong
                    return _broken(graph, type_, (src, dst))
                rows.append((src, dst, edge))
        rows.extend((*key, edge) for key, edge in suspects.items()
                    if edge is not None and (lo is None or key > lo) and (hi is None or key <= hi))
        rows.sort(key=_pair)
        if hi is not None and (not rows or _pair(rows[-1]) != hi):
            return _broken(graph, type_, hi)
        current = _CURRENT_PROPS if any(map(_slotted, set(map(type, map(_EDGE, rows))))) else _PROPS_OF
        rows = list(zip(map(_SRC, rows), map(_DST, rows), map(current, map(_EDGE, rows))))

        def as_json(i: int, rows: list[tuple[int, int, Any]] = rows) -> str:
            return serialise(rows[i][2], f"edge {type_} {rows[i][0]} -> {rows[i][1]}")

        chunks = cut(rows, edge_chunk_ends(rows), _pair, as_json, after=lo)
        if hi is not None:
            chunks.pop()  # (the chunk after the range's last key: not the range's)
        regions.append((first, last, rows_stored, rows, chunks))
    inserts = _Inserts(conn, _EDGE_INSERT)
    updates = _Writes(conn, "UPDATE relationships SET props = ? WHERE rid = ? AND type = ? AND src = ? AND dst = ?")
    deletes = _Writes(conn, "DELETE FROM relationships WHERE rid = ? AND type = ? AND src = ? AND dst = ?")
    merged = _spliced(stored, regions)
    for first, last, rows_stored, rows, chunks in regions:
        texts = {row[:2]: row[2] for row in rows_stored}
        for src, dst, props in _differing(rows, chunks, stored[first:last + 1], texts):
            text = serialise(props, f"edge {type_} {src} -> {dst}")
            was = texts.pop((src, dst), None)
            if was is None:
                inserts.add((rid, type_, src, dst, text))
            elif was != text:
                updates.add((text, rid, type_, src, dst))
        for src, dst in texts:
            deletes.add((rid, type_, src, dst))
    if verifying_skips():
        _verify_named(graph, type_, nids, merged)
    for writes in (deletes, updates, inserts):
        writes.flush()
    if count:
        keep(conn, rid, type_, encoded((0, chunk) for chunk in merged), kept)
    else:
        forget(conn, rid, [type_], kept)
    advance(count)
    return True


def _broken(graph: RepoGraph, type_: str, key: tuple[int, int]) -> bool:
    """False (the type is merged whole), or under ``CAIRN_VERIFY_SKIPS=1`` the error: the stored edge at ``key`` is gone
    from ``graph`` though ``GraphChanges.edges_changed`` did not name it."""
    if verifying_skips():
        raise StoreError(f"saving {graph.repo}: the stored {type_} edge {key} is not in the new graph: an edge that "
                         "changed was not named in edges_changed")
    return False


def _runs(numbers: list[int]) -> Iterator[tuple[int, int]]:
    """The runs of consecutive numbers in ``numbers`` (sorted): (first, last)."""
    for _, run in groupby(enumerate(numbers), lambda pair: pair[1] - pair[0]):
        run = list(run)
        yield run[0][1], run[-1][1]


def _verify_named(graph: RepoGraph, type_: str, nids: dict[str, int], merged: list[Chunk]) -> None:
    """Raise when the chunks ``_sync_named`` made of ``type_`` are not those a cut of every edge makes: an edge that
    differs from the stored one was not named in ``GraphChanges.edges_changed`` (``CAIRN_VERIFY_SKIPS=1``)."""
    edges = _edges_of(graph, type_)
    current = _CURRENT_PROPS if any(map(_slotted, set(map(type, edges)))) else _PROPS_OF
    rows = [(src, dst, current(edge)) for src, dst, edge in _numbered(graph, edges, nids)]
    full = [chunk for _, chunk in cut(rows, edge_chunk_ends(rows), _pair, lambda i: dumps(rows[i][2]))]
    if full != merged:
        wrong = next(chunk for chunk in merged if chunk not in full) if len(full) == len(merged) else merged[0]
        raise StoreError(f"saving {graph.repo}: the {type_} chunks kept as stored differ from the new graph, the first "
                         f"after {wrong[0]!r} up to {wrong[1]!r}: an edge that changed was not named in edges_changed")


def _insert_edges(conn: sqlite3.Connection, rid: int, type_: str, rows: list[tuple[int, int, Any]],
                  advance: Callable[[int], None], unstorable: Callable[[int, Exception], StoreError],
                  props_of: Callable[[Any], dict[str, Any]]) -> None:
    """Insert ``rows`` ((src, dst, props or edge: ``props_of`` gives the properties), in key order) of a type ``rid``
    has none of: the merge's rows without the merge (the texts of a batch made together: ``graph.values.dumps_all``,
    or ``dumps_rows`` from the slots of ``KnowsEdge``s, without a dict each)."""
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        items = list(map(_EDGE, batch))
        try:
            slotted = knows_rows(items) if props_of is _CURRENT_PROPS else None
            texts = dumps_rows(*slotted) if slotted is not None else None
            if texts is None and props_of is _CURRENT_PROPS and type_ == "IMPORTS":
                texts = _imports_texts(items)
            if texts is None:
                texts = dumps_all(items if props_of is _SAME else list(map(props_of, items)))
        except (TypeError, ValueError):
            for index in range(start, start + len(batch)):  # name the first edge that cannot be stored
                _json_of(props_of(rows[index][2]), index, unstorable)
            raise
        insert_rows(conn, _EDGE_INSERT, zip(map(_SRC, batch), map(_DST, batch), texts), fixed=(rid, type_))
        advance(len(batch))


def _imports_texts(edges: list[Edge]) -> list[str]:
    """``dumps`` of each edge's ``current_props``, those of the ``ImportsEdge``s made from their slots."""
    return [dumps(edge.current_props()) if row is None else dumps_import(*row)
            for edge, row in zip(edges, imports_rows(edges))]


def _json_of(props: Any, index: int, unstorable: Callable[[int, Exception], StoreError]) -> str:
    try:
        return dumps(props)
    except (TypeError, ValueError) as exc:
        raise unstorable(index, exc) from exc


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
    _load_numbers(nids, chain.from_iterable(key[1:] for key in chain(changes.deleted, changes.changed)))
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
        edge = graph.edge(key)
        if edge is None:
            raise KeyError(key)
        try:
            src, dst = nids[edge.source], nids[edge.target]
        except KeyError:
            raise StoreError(
                f"saving {graph.repo}: edge {edge.type.value} {edge.source} -> {edge.target} has an end that is not in the graph"
            ) from None
        upserts.add((rid, key[0], src, dst, serialise(edge.current_props(), f"edge {key[0]} {edge.source} -> {edge.target}")))
        if count % BATCH == 0:
            advance(BATCH)
    upserts.flush()
    advance(len(changes.changed) % BATCH)


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

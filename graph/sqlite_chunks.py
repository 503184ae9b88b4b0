"""Chunk digests: how a save of the embedded store finds the few stored rows that differ without reading the others.

The rows of one *kind* (a repository's nodes, or its relationships of one type)
are taken in key order (a node's id; a relationship's ``(src, dst)`` node
numbers) and cut into chunks after every key whose own hash says so (about one
key in ``SPREAD``). A chunk's bounds depend only on the keys themselves, so a
row added, changed or removed changes its own chunk and leaves every other
chunk as it was. A chunk is its range of keys (after the previous chunk's last
key, up to its own last key; the last chunk of a kind reaches to the end) and a
digest of its keys and properties: SHA-256 of their ``marshal`` form (version
0: no references, no interned-string marks, so equal values give equal bytes in
any process), computed for a whole chunk at once, so no JSON text is made for
it. A value ``marshal`` does not take as it is (a date, a subclass of a string)
is digested as its JSON text instead.

The ``digests`` table keeps, for each repository and kind, the list of its
chunks as the last save stored them. The next save cuts the new version the same
way: a chunk whose range and digest are stored holds exactly the stored rows of
that range (barring a SHA-256 collision), so its rows are neither read nor
serialised; the rows in the ranges of the other chunks are merged with the
stored ones as JSON text (``graph.sqlite_write``). Unequal digests only cost a
comparison (a tuple for a list, a set in another order): the JSON text decides
what is written.

A kind without a stored chunk list (a store written before this table existed;
a type the last save patched instead of merging) is merged whole, and gets its
list then.
"""

from __future__ import annotations

import json
import marshal
import sqlite3
from itertools import compress, count
from operator import itemgetter, methodcaller, not_
from typing import Any, Callable, Iterable
from zlib import crc32

#: A key ends a chunk when the low bits of its hash are all zero: chunks of about this many rows.
SPREAD = 32
_MASK = SPREAD - 1
_KEY = itemgetter(0, 1)
_UTF8 = methodcaller("encode", "utf-8", "surrogatepass")
#: The kind under which a repository's nodes are kept (relationship kinds are their type names, in capitals).
NODES = "nodes"

#: (the last key of the previous chunk or None for the first, its own last key or None for the last, digest)
Chunk = tuple[Any, Any, str]


def node_chunk_ends(ids: list[str]) -> list[int]:
    """Where the chunks of nodes sorted by id end: the index after each id that ends one (in C, id after id)."""
    return list(compress(count(1), map(not_, map(_MASK.__and__, map(crc32, map(_UTF8, ids))))))


def edge_chunk_ends(rows: list[tuple[int, int, Any]]) -> list[int]:
    """Where the chunks of relationships sorted by (src, dst) end (``rows``: (src, dst, props)): after each key whose
    hash (a tuple of ints hashes alike in every process) has its low bits zero; computed in C, row after row."""
    return list(compress(count(1), map(not_, map(_MASK.__and__, map(hash, map(_KEY, rows))))))


def cut(rows: list[tuple[Any, ...]], ends: list[int], key_of: Callable[[tuple[Any, ...]], Any],
        as_json: Callable[[int], str], stored: Callable[[int, Any, Any], str | None] | None = None,
        after: Any = None) -> list[tuple[int, Chunk]]:
    """The chunks of ``rows`` (key and properties, sorted by key), in key order: (index after its last row, chunk).

    ``ends``: where chunks end (``node_chunk_ends``, ``edge_chunk_ends``); the last chunk (to the end of the keys)
    is always there, empty when the last row ends a chunk or there is no row. ``as_json(i)`` is the JSON text of
    row ``i``'s properties, for a chunk ``marshal`` cannot take as it is (it raises what the save raises for a
    value that cannot be stored). ``stored(number, previous key, last key)``: the stored digest of a chunk the
    caller knows holds the stored rows as they are (its rows are then not digested), else None. ``after``: the key
    before the first row (the rows are those of a range of keys, the first chunk reaching back to it)."""
    chunks: list[tuple[int, Chunk]] = []
    start, previous = 0, after
    for number, end in enumerate(ends):
        last = key_of(rows[end - 1])
        known = stored(number, previous, last) if stored is not None else None
        chunks.append((end, (previous, last, known if known is not None else _digest(rows, start, end, as_json))))
        start, previous = end, last
    known = stored(len(ends), previous, None) if stored is not None else None
    chunks.append((len(rows), (previous, None, known if known is not None else _digest(rows, start, len(rows), as_json))))
    return chunks


def _digest(rows: list[tuple[Any, ...]], start: int, end: int, as_json: Callable[[int], str]) -> str:
    try:
        data = marshal.dumps(rows[start:end], 0)
    except ValueError:  # a value marshal takes only as something else: its JSON text
        data = marshal.dumps([(*rows[i][:-1], as_json(i)) for i in range(start, end)], 0)
    import hashlib  # here: a query that only reads the store never digests (hashlib loads OpenSSL: 3 ms, 4 MB)

    return hashlib.sha256(data).hexdigest()[:32]  # SHA-256: the fastest of hashlib's here (hardware), kept to 128 bits


def stored_chunks(conn: sqlite3.Connection, rid: int) -> dict[str, str]:
    """The stored chunk lists of ``rid``: kind -> its text (decoded when a kind is merged, by ``decoded``)."""
    return dict(conn.execute("SELECT kind, chunks FROM digests WHERE rid = ?", (rid,)))


def decoded(text: str | None, edges: bool) -> set[Chunk]:
    """The chunks of a stored list (``encoded``'s text); none for a missing or unreadable one (the kind is merged whole)."""
    return set(in_order(text, edges))


def in_order(text: str | None, edges: bool) -> list[Chunk]:
    """The chunks of a stored list in key order (the last one reaching to the end of the keys); none for a missing or
    unreadable one."""
    if text is None:
        return []
    try:
        ends = json.loads(text)
        out: list[Chunk] = []
        previous = None
        for last, digest in ends:
            if edges and last is not None:
                last = (int(last[0]), int(last[1]))
            elif not edges and last is not None and not isinstance(last, str):
                raise TypeError("node chunk key")
            out.append((previous, last, str(digest)))
            previous = last
        if out and out[-1][1] is not None:
            raise ValueError("a chunk list ends with the last chunk")
        return out
    except (ValueError, TypeError, IndexError, KeyError):
        return []


def encoded(chunks: Iterable[tuple[int, Chunk]]) -> str:
    return json.dumps([[list(last) if isinstance(last, tuple) else last, digest] for _, (_, last, digest) in chunks],
                      separators=(",", ":"), ensure_ascii=False)


def keep(conn: sqlite3.Connection, rid: int, kind: str, text: str, stored: dict[str, str]) -> None:
    """Store ``kind``'s chunk list (no write when it is the stored one)."""
    if stored.get(kind) != text:
        conn.execute("INSERT OR REPLACE INTO digests (rid, kind, chunks) VALUES (?, ?, ?)", (rid, kind, text))


def forget(conn: sqlite3.Connection, rid: int, kinds: Iterable[str], stored: dict[str, str]) -> None:
    """Drop the chunk lists of ``kinds`` (their rows were written another way: merged whole next time)."""
    gone = [(rid, kind) for kind in kinds if kind in stored]
    if gone:
        conn.executemany("DELETE FROM digests WHERE rid = ? AND kind = ?", gone)

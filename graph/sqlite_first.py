"""The first save into a store that has no database yet: the database is built aside and appears whole.

A save into an existing database is one transaction in WAL mode, which writes
every page twice (to the WAL, then to the database when it is checkpointed). A
first save has nothing to keep: it builds the database in a temporary file
beside ``cairn.db`` (``.cairn.db.*.tmp``) with neither journal nor WAL and
without syncing as it goes, sets the file to WAL mode, syncs it once, and
publishes it by a hard link to ``cairn.db``, which fails if that name exists.
So ``cairn.db`` is either absent or whole: a writer killed before the link
leaves no database (the temporary file, which the next first save removes once
it is ``STALE_TEMP_SECONDS`` old), readers never see a half-built file and never
wait, and a database that another process (or thread) created meanwhile is left
alone: the caller then saves into it the usual way. (At 10k files, 241k
relationships and 56 MB, the COMMIT of the same save in WAL mode cost 0.15–0.17 s
of CPU, the same save under a rollback journal 0.02–0.05 s.)
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Iterable

from cairn.graph.atomic import remove_stale_temporaries
from cairn.graph.sqlite_write import write_graph
from cairn.graph.store import GraphChanges, Progress

#: SQLite's page cache while the new database is built, in KiB. It also bounds the memory each CREATE INDEX sorts in
#: (the first save builds the indexes once the tables are full): with a store's 32 MiB the index of 1.1 million
#: relationships at 50k files took 33 MB more, at the peak of a cold ingest, for no less time. The rows go in key
#: order and no journal is kept, so a page leaves the cache once, written once.
FIRST_SAVE_CACHE_KIB = 8192


def save_into_new_database(path: Path, schema: Iterable[str], version: int, changes: GraphChanges,
                           progress: Progress | None) -> int | None:
    """Save ``changes`` as the whole content of a new database at ``path`` (``schema``: its statements, ``version``
    its ``user_version``); the repository's generation, or None when ``path`` exists (nothing was saved)."""
    if path.exists():
        return None
    remove_stale_temporaries(path)
    import secrets  # here, not above: only a first save needs it

    # Created as SQLite creates a database (0666 less the umask), not 0600 as tempfile would: the linked file is
    # the store's database, which other users (a team's API, say) may have to read.
    name = str(path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp")
    os.close(os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    built = Path(name)
    try:
        conn = sqlite3.connect(name, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")  # nobody else sees the file: an error drops it
            conn.execute("PRAGMA synchronous = OFF")  # synced once, whole, before it is linked
            conn.execute(f"PRAGMA cache_size = -{FIRST_SAVE_CACHE_KIB}")
            conn.execute("BEGIN IMMEDIATE")
            for statement in schema:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(version)}")
            generation = write_graph(conn, changes, progress)
            conn.execute("COMMIT")
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                return None
        finally:
            conn.close()
        with open(name, "rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(name, path)
        except OSError:  # the name exists now, or this file system has no hard links: the usual save
            return None
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return generation
    finally:
        with contextlib.suppress(FileNotFoundError):
            built.unlink()

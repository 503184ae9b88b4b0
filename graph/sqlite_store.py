"""The embedded adapter: every repository of a store in one SQLite database.

Layout of a store directory (default ``.cairn/``)::

    cairn.db          the database, in WAL mode (``cairn.db-wal`` and ``-shm`` beside it)
    .gitignore        ``*``: a store inside a checkout never shows in its ``git status``
    locks/<slug>.lock the repository's writer lock, across processes (``GraphStore.writer_lock``)
    cache/            ingest's parse cache (owned by ingest, not by this module)

Tables::

    repositories(rid, repo, props, generation, saved_at)  props: its Repository node's, for listing
    nodes(nid, rid, id, label, key, props)                 indexes (rid, id) unique, (rid, label)
    relationships(rid, type, src, dst, props)             src/dst: node numbers (nid); the key
                                                           (rid, type, src, dst) serves (rid, type) and
                                                           (rid, type, src); index (rid, dst)
    answers(rid, name, generation, value)                 derived answers (``GraphStore.save_answers``), and one
                                                           row named "" whose generation is the one they describe
    reviews(repo, records)                                 review records kept across ingests
    digests(rid, kind, chunks)                             what a save compares first: the chunks of the
                                                           nodes and of each relationship type
                                                           (``graph.sqlite_chunks``)
    meta(key, value)                                       e.g. when a JSON store was migrated
    relationships_by_id                                    a view: relationships with repository
                                                           names and node ids, for people with sqlite3

Repositories and nodes are numbered (``rid``, ``nid``) so relationships and
their indexes hold small integers, not the node ids' text three times over.
Properties and answers are JSON text (``graph.values.dumps``), so every store
gives back what JSON gives back.

A save is one write transaction: readers (WAL: the writer never blocks them) see
the previous version until it commits, and a writer killed at any point leaves
the previous version whole, since SQLite rolls an uncommitted transaction back.
The first save into a store that has no database yet builds the whole database
aside and links it in (``graph.sqlite_first``): killed before, it leaves none.
A save writes only what changed (``graph.sqlite_write``: a merge with the stored
rows, or a patch of the edge types a ``GraphChanges`` names); re-saving an
unchanged graph rewrites no row. Every save increments the repository's
generation, which makes its answers unreadable: they are read only while the
row named "" in ``answers`` holds the current generation. The first
``save_answers`` after a save deletes the answers it neither gives nor names
unchanged, writes those whose text changed, leaves the others alone and moves
that row on, in one transaction. Reads (``load``,
``load_part``, ``load_around``) and saves run with the cyclic garbage collector
paused: they build or serialise many small objects and no cycles.
Writers wait for one another (``busy_timeout``); a whole load-modify-save holds
the repository's writer lock, which here is also an ``flock`` so other processes
wait for it too. Each thread gets its own
connection, so one store object may serve a threaded HTTP server.

The ``.gitignore`` is written when the store directory is created, as pytest
does for ``.pytest_cache``, and added to an existing store that lacks one when
it is opened or written (a read-only store is left as it is).

A store directory written by the JSON store of earlier versions (``store.json``,
``graphs/``, ``reviews/``; see ``graph.legacy_json``) is migrated on first open,
in the transaction that creates the database, and its files removed afterwards.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from cairn.graph import legacy_json
from cairn.graph.atomic import write_atomic
from cairn.graph.errors import StoreError, UnknownRepository
from cairn.graph.lazy_props import lazy_edge_columns, lazy_edges
from cairn.graph.model import Edge, Label, Node, Rel, RepoGraph
from cairn.graph.store import GraphChanges, GraphStore, Progress, RepositorySummary
from cairn.graph.values import dumps, loads

# (the writing, ``graph.sqlite_write`` and ``sqlite_first``, is imported by what writes: an ingest that finds nothing
# changed only reads)

#: Rows read per page (as many as a save writes per statement batch, ``sqlite_write.BATCH``).
BATCH = 5_000

DATABASE = "cairn.db"
#: 2: the ``digests`` table (``graph.sqlite_chunks``); a store of version 1 gets it when first opened (its first save
#: then compares every row, as version 1 did, and stores the chunks). Version 1 builds refuse a version 2 store.
#: 3: no index of relationships by (rid, src): every read and delete by source names the types, which the primary
#: key (rid, type, src, dst) serves; building it cost a cold save of 241k relationships a tenth of its CPU. A store
#: of version 1 or 2 loses it when first opened; version 2 builds refuse a version 3 store.
SCHEMA_VERSION = 3
#: How long a writer waits for another writer of the same store before giving up.
BUSY_TIMEOUT_SECONDS = 600.0
GITIGNORE = b"# Created by Cairn automatically: the store is not part of the repository.\n*\n"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS repositories (rid INTEGER PRIMARY KEY, repo TEXT NOT NULL UNIQUE,"
    " props TEXT NOT NULL, generation INTEGER NOT NULL, saved_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS nodes (nid INTEGER PRIMARY KEY, rid INTEGER NOT NULL, id TEXT NOT NULL,"
    " label TEXT NOT NULL, key TEXT NOT NULL, props TEXT NOT NULL)",
    "CREATE UNIQUE INDEX IF NOT EXISTS nodes_by_id ON nodes (rid, id)",
    "CREATE INDEX IF NOT EXISTS nodes_by_label ON nodes (rid, label)",
    "CREATE TABLE IF NOT EXISTS relationships (rid INTEGER NOT NULL, type TEXT NOT NULL, src INTEGER NOT NULL,"
    " dst INTEGER NOT NULL, props TEXT NOT NULL, PRIMARY KEY (rid, type, src, dst)) WITHOUT ROWID",
    "DROP INDEX IF EXISTS relationships_by_src",  # schema 2 had it
    "CREATE INDEX IF NOT EXISTS relationships_by_dst ON relationships (rid, dst)",
    "CREATE TABLE IF NOT EXISTS answers (rid INTEGER NOT NULL, name TEXT NOT NULL, generation INTEGER NOT NULL,"
    " value TEXT NOT NULL, PRIMARY KEY (rid, name)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS reviews (repo TEXT PRIMARY KEY, records TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS digests (rid INTEGER NOT NULL, kind TEXT NOT NULL, chunks TEXT NOT NULL,"
    " PRIMARY KEY (rid, kind)) WITHOUT ROWID",
    "CREATE VIEW IF NOT EXISTS relationships_by_id AS SELECT p.repo AS repo, r.type AS type, a.id AS src, b.id AS dst,"
    " r.props AS props FROM relationships r JOIN repositories p ON p.rid = r.rid JOIN nodes a ON a.nid = r.src"
    " JOIN nodes b ON b.nid = r.dst",
)

#: The row of ``answers`` that says which generation the repository's answers describe (no answer has this name):
#: a save makes them all unreadable at once by moving on, without touching them.
_ANSWERED = ""
#: SQLite's page cache of a store's connection, in KiB
CACHE_KIB = 32768
#: ... while answers are written (``save_answers``): their pages go through the cache once, and those of 30 MB of
#: answers at 50k files filled all of it, 24 MB more at the peak of a cold ingest (the same time)
ANSWERS_CACHE_KIB = 4096

#: SQLite's own default: a commit that leaves the write-ahead log this many pages long copies it into the database.
WAL_AUTOCHECKPOINT = 1000
#: An answer written only when its text changed (an unchanged one is left as it is, written at an earlier generation).
_KEEP_ANSWER = ("INSERT INTO answers (rid, name, generation, value) VALUES (?, ?, ?, ?) ON CONFLICT (rid, name) "
                "DO UPDATE SET value = excluded.value, generation = excluded.generation WHERE value <> excluded.value")
_KEEP_ANSWER_ALWAYS = ("INSERT INTO answers (rid, name, generation, value) VALUES (?, ?, ?, ?) ON CONFLICT (rid, name) "
                       "DO UPDATE SET generation = excluded.generation")

_LABELS = {label.value: label for label in Label}
_RELS = {rel.value: rel for rel in Rel}

_EDGES_WITH_IDS = (
    "SELECT r.type, a.id, b.id, r.props FROM relationships r "
    "JOIN nodes a ON a.nid = r.src JOIN nodes b ON b.nid = r.dst WHERE r.rid = ?"
)

class SqliteStore(GraphStore):
    """A ``GraphStore`` in ``<root>/cairn.db``; one database holds many repositories."""

    def __init__(self, root: Path, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS):
        self.root = Path(root)
        self.location = str(self.root)
        self.path = self.root / DATABASE
        self.busy_timeout = busy_timeout
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"store {self.root} is a file, not a directory")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._epoch = 0  # bumped by close(): connections of an earlier epoch are closed
        self._prepared = False
        #: The generation of each repository this object last saved or loaded: what its answers describe.
        self._generations: dict[str, int] = {}
        if self.root.is_dir():
            self._ignore_in_git()

    def _ignore_in_git(self) -> None:
        path = self.root / ".gitignore"
        if path.exists():
            return
        try:
            write_atomic(path, GITIGNORE)
        except OSError:
            pass  # a read-only store: reading it must still work

    # -- connections and transactions ------------------------------------------------
    def _connection(self, create: bool) -> sqlite3.Connection | None:
        """This thread's connection; None when there is no database and ``create`` is false."""
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == self._epoch:
            return held[1]
        if not self.path.exists():
            if not create and not legacy_json.has_legacy_store(self.root):
                return None
            self.root.mkdir(parents=True, exist_ok=True)
            self._ignore_in_git()
        conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: durable against a crash of the process
            conn.execute("PRAGMA journal_size_limit = 67108864")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            with self._lock:
                if not self._prepared:
                    self._prepare(conn)
                    self._prepared = True
        except BaseException:
            conn.close()
            raise
        with self._lock:
            self._connections.append(conn)
            self._local.held = (self._epoch, conn)
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Create the tables of a new database, refuse a newer one, migrate a JSON store."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            if version > SCHEMA_VERSION or version < 0:
                raise StoreError(
                    f"store {self.root} was written by a newer Cairn (schema {version}); upgrade Cairn or re-ingest into a new store"
                )
            with _transaction(conn, write=True):
                if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                    for statement in _SCHEMA:
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if legacy_json.has_legacy_store(self.root):
            self._migrate_legacy(conn)

    def _migrate_legacy(self, conn: sqlite3.Connection) -> None:
        from cairn.graph.sqlite_write import now, write_graph

        with _transaction(conn, write=True):
            done = conn.execute("SELECT value FROM meta WHERE key = 'json_store_migrated'").fetchone()
            if done is None:
                for graph in legacy_json.legacy_graphs(self.root):
                    write_graph(conn, GraphChanges(graph), None)
                for repo, records in legacy_json.legacy_reviews(self.root):
                    conn.execute("INSERT OR REPLACE INTO reviews (repo, records) VALUES (?, ?)", (repo, dumps(records)))
                conn.execute("INSERT INTO meta (key, value) VALUES ('json_store_migrated', ?)", (now(),))
        legacy_json.remove_legacy_files(self.root)

    @contextlib.contextmanager
    def _errors(self, doing: str, *, decoding: bool = False) -> Iterator[None]:
        """SQLite's exceptions as one-line ``StoreError``s naming the store; with ``decoding`` (a read), so is a stored
        value that does not decode (a row damaged outside Cairn), instead of surfacing as a JSON error."""
        try:
            yield
        except (ValueError, TypeError, KeyError) as exc:
            if not decoding:
                raise
            raise StoreError(
                f"cannot {doing} store {self.root}: a stored value is damaged ({type(exc).__name__}: {exc}); "
                "re-ingest the repository (or move the store away)"
            ) from exc
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    f"cannot {doing} store {self.root}: another Cairn process kept it locked for over "
                    f"{self.busy_timeout:g} s; try again"
                ) from exc
            raise StoreError(f"cannot {doing} store {self.root}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot {doing} store {self.root}: {self.path} is damaged or not a Cairn database ({exc}); "
                "move it away and re-ingest"
            ) from exc
        except sqlite3.Error as exc:
            raise StoreError(f"cannot {doing} store {self.root}: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot {doing} store {self.root}: {exc.strerror or exc}") from exc

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
            self._epoch += 1
        for conn in connections:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    # -- the writer lock across processes --------------------------------------------
    def _lock_location(self) -> str:
        return str(self.root.resolve())

    @contextlib.contextmanager
    def _other_processes_lock(self, repo: str) -> Iterator[None]:
        path = self.root / "locks" / f"{_slug(repo)}.lock"
        with self._errors(f"lock {repo} in"):
            self.root.mkdir(parents=True, exist_ok=True)
            self._ignore_in_git()
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(path, "a+")
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _reading(self, repo: str) -> Iterator[tuple[sqlite3.Connection, int, RepoGraph]]:
        """A read of ``repo``: the connection, the repository's number and an empty graph to fill, in one read
        transaction; the generation read is then the one the graph describes (answers saved next belong to it)."""
        with self._errors(f"load {repo} from", decoding=True), _collector_paused():
            conn = self._connection(create=False)
            if conn is None:
                raise self._unknown(repo)
            graph = RepoGraph(repo)
            with _transaction(conn, write=False):
                rid, generation = self._repository(conn, repo)
                yield conn, rid, graph
        self._generations[repo] = generation

    # -- GraphStore -------------------------------------------------------------------
    def save(self, graph: RepoGraph, progress: Progress | None = None) -> None:
        self.save_changes(GraphChanges(graph), progress)

    def save_changes(self, changes: GraphChanges, progress: Progress | None = None) -> None:
        from cairn.graph.sqlite_write import write_graph

        repo = changes.graph.repo
        with self._errors(f"save {repo} to"), _collector_paused():
            generation = self._first_save(changes, progress)
            if generation is None:
                conn = self._connection(create=True)
                assert conn is not None
                # not checkpointed at this commit: the answers' save that follows it (``save_answers``) does, once for
                # both (after a commit at 50k files the two write 6 MB: a checkpoint each synced the files twice);
                # without one, the next commit or the close does
                conn.execute("PRAGMA wal_autocheckpoint = 0")
                try:
                    with _transaction(conn, write=True):
                        generation = write_graph(conn, changes, progress)
                finally:
                    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT}")
        self._generations[repo] = generation

    def _first_save(self, changes: GraphChanges, progress: Progress | None) -> int | None:
        """The save into a store with no database yet, built aside and linked in whole (``graph.sqlite_first``); None
        when there is a database (or one to migrate from JSON) to save into."""
        if self.path.exists() or legacy_json.has_legacy_store(self.root):
            return None
        self.root.mkdir(parents=True, exist_ok=True)
        self._ignore_in_git()
        from cairn.graph.sqlite_first import save_into_new_database

        return save_into_new_database(self.path, _SCHEMA, SCHEMA_VERSION, changes, progress)

    def load(self, repo: str) -> RepoGraph:
        with self._reading(repo) as (conn, rid, graph):
            ids = _read_nodes(graph, conn.execute("SELECT nid, id, label, key, props FROM nodes WHERE rid = ?", (rid,)))
            edges, rels = graph.edges, _RELS
            rows = conn.execute("SELECT type, src, dst, props FROM relationships WHERE rid = ?", (rid,))
            for (type_, src, dst, _), props in _decoded(rows):
                source, target = ids[src], ids[dst]
                edges[(type_, source, target)] = Edge(rels[type_], source, target, props)
        return graph

    def load_part(self, repo: str, labels: Iterable[Label | str] = (), rels: Iterable[Rel | str] = ()) -> RepoGraph:
        wanted_labels = sorted({Label(label).value for label in labels})
        wanted_rels = sorted({Rel(rel).value for rel in rels})
        with self._reading(repo) as (conn, rid, graph):
            numbers: dict[int, str] | None = None
            if wanted_labels:
                marks = ", ".join("?" * len(wanted_labels))
                numbers = _read_nodes(graph, conn.execute(
                    "SELECT nid, id, label, key, props FROM nodes INDEXED BY nodes_by_label "
                    f"WHERE rid = ? AND label IN ({marks})", (rid, *wanted_labels)))
            # decoded when first read (graph.lazy_props): a PR check reads every component dependency, and looks into
            # the properties of a few
            if wanted_rels and numbers is None:  # no node read: each end's id from the join
                marks = ", ".join("?" * len(wanted_rels))
                lazy_edges(_runs(conn.execute(f"{_EDGES_WITH_IDS} AND r.type IN ({marks})", (rid, *wanted_rels))),
                           _RELS, graph.edges)
            elif wanted_rels:  # the ids of the nodes read, and of other ends looked up (no join of 90,000 rows twice)
                for type_ in wanted_rels:  # in the order of the primary key, as one statement of them all reads them
                    columns = _edge_columns(conn, rid, type_, numbers)
                    if columns is not None:
                        lazy_edge_columns(type_, _RELS[type_], *columns, graph.edges, BATCH)
                    else:
                        lazy_edges(_with_ids(conn, numbers, conn.execute(
                            "SELECT type, src, dst, props FROM relationships WHERE rid = ? AND type = ?", (rid, type_))),
                            _RELS, graph.edges)
        return graph

    reads_around = True
    makes_held_props = True  # (``graph.sqlite_write`` asks before it reads nodes whole)

    def load_around(self, repo: str, ids: Iterable[str], rels: Iterable[Rel | str] = ()) -> RepoGraph:
        wanted = sorted(set(ids))
        wanted_rels = sorted({Rel(rel).value for rel in rels})
        with self._reading(repo) as (conn, rid, graph):
            numbers: dict[int, str] = {}
            for chunk in _chunks(wanted):
                numbers.update(_read_nodes(graph, conn.execute(
                    f"SELECT nid, id, label, key, props FROM nodes WHERE rid = ? AND id IN ({_marks(chunk)})", (rid, *chunk))))
            found: dict[tuple[str, int, int], Any] = {}  # (type, src, dst) by node numbers -> props
            if wanted_rels and numbers:
                types = _marks(wanted_rels)
                # by source: the primary key (rid, type, src) seeks each pair; by target, SQLite would take the
                # primary key too and read every relationship of those types (570,000 KNOWS at 50k files, 0.2 s
                # for a handful of ids): the index on (rid, dst) seeks each node
                for end, index in (("src", ""), ("dst", " INDEXED BY relationships_by_dst")):
                    for chunk in _chunks(sorted(numbers)):
                        rows = conn.execute(
                            f"SELECT type, src, dst, props FROM relationships{index} WHERE rid = ? AND {end} IN "
                            f"({_marks(chunk)}) AND type IN ({types})", (rid, *chunk, *wanted_rels))
                        for (type_, src, dst, _), props in _decoded(rows):
                            found[(type_, src, dst)] = props
            others = sorted({n for _, src, dst in found for n in (src, dst)} - numbers.keys())
            for chunk in _chunks(others):
                numbers.update(_read_nodes(graph, conn.execute(
                    f"SELECT nid, id, label, key, props FROM nodes WHERE nid IN ({_marks(chunk)})", chunk)))
            for (type_, src, dst), props in found.items():
                source, target = numbers[src], numbers[dst]
                graph.edges[(type_, source, target)] = Edge(_RELS[type_], source, target, props)
        return graph

    def repositories(self) -> list[RepositorySummary]:
        with self._errors("list the repositories in", decoding=True):
            conn = self._connection(create=False)
            if conn is None:
                return []
            rows = conn.execute("SELECT repo, props FROM repositories ORDER BY repo").fetchall()
            return [RepositorySummary(repo, loads(props)) for repo, props in rows]

    def delete(self, repo: str) -> None:
        with self._errors(f"delete {repo} from"):
            conn = self._connection(create=False)
            if conn is None:
                raise self._unknown(repo)
            with _transaction(conn, write=True):
                rid, _ = self._repository(conn, repo)
                for table in ("relationships", "nodes", "answers", "digests", "repositories"):
                    conn.execute(f"DELETE FROM {table} WHERE rid = ?", (rid,))
                conn.execute("DELETE FROM reviews WHERE repo = ?", (repo,))
        self._generations.pop(repo, None)

    def save_reviews(self, repo: str, records: list[dict[str, Any]]) -> None:
        from cairn.graph.sqlite_write import serialise

        text = serialise(records, f"the review records of {repo}")
        with self._errors(f"save review records of {repo} to"):
            conn = self._connection(create=True)
            assert conn is not None
            conn.execute("INSERT OR REPLACE INTO reviews (repo, records) VALUES (?, ?)", (repo, text))

    def load_reviews(self, repo: str) -> list[dict[str, Any]]:
        with self._errors(f"read review records of {repo} from", decoding=True):
            conn = self._connection(create=False)
            row = conn.execute("SELECT records FROM reviews WHERE repo = ?", (repo,)).fetchone() if conn else None
            return list(loads(row[0])) if row else []

    keeps_unchanged_answers = True

    def save_answers(self, repo: str, answers: Mapping[str, Any], unchanged: Iterable[str] = ()) -> None:
        # An unchanged answer's row is left as it is (kept, not deleted): its text is never made again. Answers that
        # come as the texts this store keeps (``stored_text``: an ingest's, computed in a child) are written as they
        # are, one at a time (at 50k files 30 MB of them are not held twice, nor decoded to be encoded again).
        texts: Callable[[str], str] | None = getattr(answers, "stored_text", None)
        if texts is None:
            from cairn.graph.sqlite_write import serialise

            rows = [(name, serialise(value, f"answer {name!r} of {repo}")) for name, value in answers.items()]
            names = [name for name, _ in rows]
        else:
            names = list(answers)
        unchanged = set(unchanged)
        if _ANSWERED in names or _ANSWERED in unchanged:
            raise StoreError(f"cannot store an answer of {repo} without a name")
        with self._errors(f"save answers of {repo} to"):
            conn = self._connection(create=False)
            if conn is None:
                raise self._unknown(repo)
            conn.execute(f"PRAGMA cache_size = -{ANSWERS_CACHE_KIB}")
            try:
                with _transaction(conn, write=True):
                    rid, current = self._repository(conn, repo)
                    if self._generations.get(repo, current) != current:
                        return  # another save replaced the graph they describe: they would never be read
                    answered = conn.execute("SELECT generation FROM answers WHERE rid = ? AND name = ?", (rid, _ANSWERED)).fetchone()
                    if answered is None or answered[0] != current:  # kept for an earlier version: only those given stand
                        given = set(names) | unchanged
                        conn.executemany("DELETE FROM answers WHERE rid = ? AND name = ?", [
                            (rid, name) for (name,) in conn.execute("SELECT name FROM answers WHERE rid = ?", (rid,))
                            if name not in given and name != _ANSWERED])
                    if texts is None:
                        conn.executemany(_KEEP_ANSWER, [(rid, name, current, text) for name, text in rows])
                    else:
                        conn.executemany(_KEEP_ANSWER, ((rid, name, current, texts(name)) for name in names))
                    conn.execute(_KEEP_ANSWER_ALWAYS, (rid, _ANSWERED, current, ""))
            finally:
                conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")

    def load_answer(self, repo: str, name: str) -> Any | None:
        return self.load_answers(repo, (name,)).get(name)

    def load_answers(self, repo: str, names: Iterable[str]) -> dict[str, Any]:
        wanted = sorted(set(names) - {_ANSWERED})
        with self._errors(f"read answers {', '.join(map(repr, wanted))} of {repo} from", decoding=True):
            conn = self._connection(create=False)
            if conn is None or not wanted:
                return {}
            rows = conn.execute(
                "SELECT a.name, a.value FROM repositories r "
                "JOIN answers m ON m.rid = r.rid AND m.name = ? AND m.generation = r.generation "
                f"JOIN answers a ON a.rid = r.rid WHERE r.repo = ? AND a.name IN ({', '.join('?' * len(wanted))})",
                (_ANSWERED, repo, *wanted),
            ).fetchall()  # one statement: one version of the graph
            return {name: loads(value) for name, value in rows}

    def load_answer_parts(self, repo: str, names: Iterable[str], keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        # SQLite takes the parts out of the kept text (``->``: each as JSON text, NULL when missing), so only those are
        # decoded here. A SQLite without ``->`` (before 3.38), a kept text it does not read as JSON (``dumps`` writes
        # NaN as Python does) or a key that needs escaping in a JSON path leave it to the port's way: the answers
        # decoded whole.
        keys, wanted = list(keys), sorted(set(names) - {_ANSWERED})
        if not keys or not wanted or any('"' in key or "\\" in key for key in keys):
            return super().load_answer_parts(repo, wanted, keys)
        parts = ", ".join(["a.value -> ?"] * len(keys))
        with self._errors(f"read answers {', '.join(map(repr, wanted))} of {repo} from", decoding=True):
            conn = self._connection(create=False)
            if conn is None:
                return {}
            try:
                rows = conn.execute(
                    f"SELECT a.name, json_type(a.value), {parts} FROM repositories r "
                    "JOIN answers m ON m.rid = r.rid AND m.name = ? AND m.generation = r.generation "
                    f"JOIN answers a ON a.rid = r.rid WHERE r.repo = ? AND a.name IN ({', '.join('?' * len(wanted))})",
                    (*(f'$."{key}"' for key in keys), _ANSWERED, repo, *wanted),
                ).fetchall()  # one statement: one version of the graph
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise
                rows = None
            if rows is not None:
                return {name: {key: None if text is None else loads(text) for key, text in zip(keys, texts)}
                        for name, kind, *texts in rows if kind == "object"}
        return super().load_answer_parts(repo, wanted, keys)

    # -- helpers --------------------------------------------------------------------------
    def _unknown(self, repo: str) -> UnknownRepository:
        return UnknownRepository(f"repository {repo!r} is not in store {self.root}", repository=repo)

    def _repository(self, conn: sqlite3.Connection, repo: str) -> tuple[int, int]:
        """(rid, generation) of ``repo``; ``UnknownRepository`` if it is not stored."""
        row = conn.execute("SELECT rid, generation FROM repositories WHERE repo = ?", (repo,)).fetchone()
        if row is None:
            raise self._unknown(repo)
        return row[0], row[1]


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection, write: bool) -> Iterator[sqlite3.Connection]:
    """One transaction: ``BEGIN IMMEDIATE`` (the write lock, waited for) or a read snapshot."""
    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    """``items`` in runs short enough for one statement's parameters."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _marks(items: list[Any]) -> str:
    return ", ".join("?" * len(items))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a graph is read: it builds many small objects and no cycles, and the
    collector would walk the growing heap again and again (about half of the time of a large load). It is switched
    back on only if it was on: a caller that paused it (``ingest.gcpause``) keeps it paused."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _slug(repo: str) -> str:
    """A file name for ``repo``: readable, and distinct for distinct names."""
    import hashlib  # here, not above: only a writer takes the lock this names, and a query starts faster without it

    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", repo)[:60].strip("._") or "repo"
    return f"{readable}-{hashlib.sha1(repo.encode()).hexdigest()[:10]}"


def _decoded(cursor: sqlite3.Cursor) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(row, its last column decoded) for every row of ``cursor``, decoded ``BATCH`` rows at a time.

    One decode per chunk costs a call per chunk instead of per row, and the maps
    of a chunk share their key strings (the decoder memoises keys within a call):
    without that, a million relationships would each hold their own copy of "doa".
    """
    while True:
        rows = cursor.fetchmany(BATCH)
        if not rows:
            return
        yield from zip(rows, loads("[" + ",".join([row[-1] for row in rows]) + "]"))


def _runs(cursor: sqlite3.Cursor) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of ``cursor``, ``BATCH`` at a time."""
    while True:
        rows = cursor.fetchmany(BATCH)
        if not rows:
            return
        yield rows


def _with_ids(conn: sqlite3.Connection, numbers: dict[int, str], cursor: sqlite3.Cursor) -> Iterator[list[tuple[str, str, str, str]]]:
    """``(type, source id, target id, props)`` for each ``(type, src, dst, props)`` row of ``cursor``, ``BATCH`` at
    a time: the ids from ``numbers`` (node number -> id), where the others are added as they are met."""
    for rows in _runs(cursor):
        try:
            named = [(type_, numbers[src], numbers[dst], props) for type_, src, dst, props in rows]
        except KeyError:  # an end among no node read yet: look up every such end of the run, once
            missing = sorted({n for row in rows for n in (row[1], row[2]) if n not in numbers})
            for chunk in _chunks(missing):
                numbers.update(conn.execute(f"SELECT nid, id FROM nodes WHERE nid IN ({_marks(chunk)})", chunk))
            named = [(type_, numbers[src], numbers[dst], props) for type_, src, dst, props in rows]
        yield named


def _edge_columns(conn: sqlite3.Connection, rid: int, type_: str,
                  numbers: dict[int, str]) -> tuple[list[str], list[str], list[str]] | None:
    """The relationships of one type as columns, (source ids, target ids, props texts), in the order of the primary
    key; the ids from ``numbers`` (node number -> id), where the others are added as they are met. None when there is
    none, or when a text holds the separator (a stored text written by ``dumps`` never does: JSON escapes it).

    SQLite joins each column into one string (``group_concat``, one row): 90,000 component dependencies are read in
    half the time of as many rows, each a tuple of four new objects."""
    sources, targets, texts = conn.execute(
        "SELECT group_concat(src), group_concat(dst), group_concat(props, char(30)) FROM relationships "
        "WHERE rid = ? AND type = ?", (rid, type_)).fetchone()
    if sources is None:
        return None
    src, dst, props = list(map(int, sources.split(","))), list(map(int, targets.split(","))), texts.split("\x1e")
    if len(props) != len(src):
        return None
    try:
        return [numbers[n] for n in src], [numbers[n] for n in dst], props
    except KeyError:  # an end among no node read: look up every such end, once
        missing = sorted({n for n in (*src, *dst) if n not in numbers})
        for chunk in _chunks(missing):
            numbers.update(conn.execute(f"SELECT nid, id FROM nodes WHERE nid IN ({_marks(chunk)})", chunk))
        return [numbers[n] for n in src], [numbers[n] for n in dst], props


def _read_nodes(graph: RepoGraph, rows: sqlite3.Cursor) -> dict[int, str]:
    """Add the nodes of ``rows`` (nid, id, label, key, props) to ``graph``; their ids by number."""
    repo, nodes, labels = graph.repo, graph.nodes, _LABELS
    ids: dict[int, str] = {}
    for (nid, node_id, label, key, _), props in _decoded(rows):
        nodes[node_id] = Node(labels[label], repo, key, props)
        ids[nid] = node_id
    return ids


__all__ = ["SqliteStore", "DATABASE", "SCHEMA_VERSION"]

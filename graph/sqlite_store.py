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
                                                           (rid, type, src, dst) serves (rid, type);
                                                           indexes (rid, src), (rid, dst)
    answers(rid, name, generation, value)                 derived answers (``GraphStore.save_answers``)
    reviews(repo, records)                                 review records kept across ingests
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
A save writes only what changed: the stored rows are read in key order, page by
page, beside the new graph sorted the same way, and only rows that differ are
written or deleted; re-saving an unchanged graph rewrites no row. Every save
increments the repository's generation and drops its answers; answers are kept
with the generation they describe and read only while it is the current one.
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
import hashlib
import re
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from cairn.graph import legacy_json
from cairn.graph.atomic import write_atomic
from cairn.graph.errors import StoreError, UnknownRepository
from cairn.graph.model import Edge, Label, Node, Rel, RepoGraph
from cairn.graph.store import GraphChanges, GraphStore, Progress, RepositorySummary
from cairn.graph.values import dumps, loads

DATABASE = "cairn.db"
SCHEMA_VERSION = 1
#: How long a writer waits for another writer of the same store before giving up.
BUSY_TIMEOUT_SECONDS = 600.0
GITIGNORE = b"# Created by Cairn automatically: the store is not part of the repository.\n*\n"
#: Rows read per page and written per statement batch during a save.
BATCH = 5_000

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
    "CREATE INDEX IF NOT EXISTS relationships_by_src ON relationships (rid, src)",
    "CREATE INDEX IF NOT EXISTS relationships_by_dst ON relationships (rid, dst)",
    "CREATE TABLE IF NOT EXISTS answers (rid INTEGER NOT NULL, name TEXT NOT NULL, generation INTEGER NOT NULL,"
    " value TEXT NOT NULL, PRIMARY KEY (rid, name)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS reviews (repo TEXT PRIMARY KEY, records TEXT NOT NULL) WITHOUT ROWID",
    "CREATE VIEW IF NOT EXISTS relationships_by_id AS SELECT p.repo AS repo, r.type AS type, a.id AS src, b.id AS dst,"
    " r.props AS props FROM relationships r JOIN repositories p ON p.rid = r.rid JOIN nodes a ON a.nid = r.src"
    " JOIN nodes b ON b.nid = r.dst",
)

_LABELS = {label.value: label for label in Label}
_RELS = {rel.value: rel for rel in Rel}

_NODE_PAGE = "SELECT id, nid, props FROM nodes WHERE rid = ? AND id > ? ORDER BY id LIMIT ?"
_REL_PAGE = (
    "SELECT src, dst, props FROM relationships WHERE rid = ? AND type = ? AND (src, dst) > (?, ?) "
    "ORDER BY src, dst LIMIT ?"
)
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
            conn.execute("PRAGMA cache_size = -32768")  # 32 MiB
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
        with _transaction(conn, write=True):
            done = conn.execute("SELECT value FROM meta WHERE key = 'json_store_migrated'").fetchone()
            if done is None:
                for graph in legacy_json.legacy_graphs(self.root):
                    _write_graph(conn, GraphChanges(graph), None)
                for repo, records in legacy_json.legacy_reviews(self.root):
                    conn.execute("INSERT OR REPLACE INTO reviews (repo, records) VALUES (?, ?)", (repo, dumps(records)))
                conn.execute("INSERT INTO meta (key, value) VALUES ('json_store_migrated', ?)", (_now(),))
        legacy_json.remove_legacy_files(self.root)

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """SQLite's exceptions as one-line ``StoreError``s naming the store."""
        try:
            yield
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

    # -- GraphStore -------------------------------------------------------------------
    def save(self, graph: RepoGraph, progress: Progress | None = None) -> None:
        self.save_changes(GraphChanges(graph), progress)

    def save_changes(self, changes: GraphChanges, progress: Progress | None = None) -> None:
        repo = changes.graph.repo
        with self._errors(f"save {repo} to"):
            conn = self._connection(create=True)
            assert conn is not None
            with _transaction(conn, write=True):
                generation = _write_graph(conn, changes, progress)
        self._generations[repo] = generation

    def load(self, repo: str) -> RepoGraph:
        with self._errors(f"load {repo} from"):
            conn = self._connection(create=False)
            if conn is None:
                raise self._unknown(repo)
            graph = RepoGraph(repo)
            with _transaction(conn, write=False):
                rid, generation = self._repository(conn, repo)
                ids = _read_nodes(graph, conn.execute("SELECT nid, id, label, key, props FROM nodes WHERE rid = ?", (rid,)))
                edges, rels = graph.edges, _RELS
                rows = conn.execute("SELECT type, src, dst, props FROM relationships WHERE rid = ?", (rid,))
                for (type_, src, dst, _), props in _decoded(rows):
                    source, target = ids[src], ids[dst]
                    edges[(type_, source, target)] = Edge(rels[type_], source, target, props)
        self._generations[repo] = generation
        return graph

    def load_part(self, repo: str, labels: Iterable[Label | str] = (), rels: Iterable[Rel | str] = ()) -> RepoGraph:
        wanted_labels = sorted({Label(label).value for label in labels})
        wanted_rels = sorted({Rel(rel).value for rel in rels})
        with self._errors(f"load {repo} from"):
            conn = self._connection(create=False)
            if conn is None:
                raise self._unknown(repo)
            graph = RepoGraph(repo)
            with _transaction(conn, write=False):
                rid, generation = self._repository(conn, repo)
                if wanted_labels:
                    marks = ", ".join("?" * len(wanted_labels))
                    _read_nodes(graph, conn.execute(
                        "SELECT nid, id, label, key, props FROM nodes INDEXED BY nodes_by_label "
                        f"WHERE rid = ? AND label IN ({marks})", (rid, *wanted_labels)))
                if wanted_rels:
                    marks = ", ".join("?" * len(wanted_rels))
                    edges, rel_types = graph.edges, _RELS
                    rows = conn.execute(f"{_EDGES_WITH_IDS} AND r.type IN ({marks})", (rid, *wanted_rels))
                    for (type_, source, target, _), props in _decoded(rows):
                        edges[(type_, source, target)] = Edge(rel_types[type_], source, target, props)
        self._generations[repo] = generation
        return graph

    def repositories(self) -> list[RepositorySummary]:
        with self._errors("list the repositories in"):
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
                for table in ("relationships", "nodes", "answers", "repositories"):
                    conn.execute(f"DELETE FROM {table} WHERE rid = ?", (rid,))
                conn.execute("DELETE FROM reviews WHERE repo = ?", (repo,))
        self._generations.pop(repo, None)

    def save_reviews(self, repo: str, records: list[dict[str, Any]]) -> None:
        text = _serialise(records, f"the review records of {repo}")
        with self._errors(f"save review records of {repo} to"):
            conn = self._connection(create=True)
            assert conn is not None
            conn.execute("INSERT OR REPLACE INTO reviews (repo, records) VALUES (?, ?)", (repo, text))

    def load_reviews(self, repo: str) -> list[dict[str, Any]]:
        with self._errors(f"read review records of {repo} from"):
            conn = self._connection(create=False)
            row = conn.execute("SELECT records FROM reviews WHERE repo = ?", (repo,)).fetchone() if conn else None
        return list(loads(row[0])) if row else []

    def save_answers(self, repo: str, answers: Mapping[str, Any]) -> None:
        rows = [(name, _serialise(value, f"answer {name!r} of {repo}")) for name, value in answers.items()]
        with self._errors(f"save answers of {repo} to"):
            conn = self._connection(create=False)
            if conn is None:
                raise self._unknown(repo)
            with _transaction(conn, write=True):
                rid, current = self._repository(conn, repo)
                if self._generations.get(repo, current) != current:
                    return  # another save replaced the graph they describe: they would never be read
                conn.executemany(
                    "INSERT OR REPLACE INTO answers (rid, name, generation, value) VALUES (?, ?, ?, ?)",
                    [(rid, name, current, text) for name, text in rows],
                )

    def load_answer(self, repo: str, name: str) -> Any | None:
        with self._errors(f"read answer {name!r} of {repo} from"):
            conn = self._connection(create=False)
            if conn is None:
                return None
            row = conn.execute(
                "SELECT a.value FROM repositories r JOIN answers a ON a.rid = r.rid AND a.generation = r.generation "
                "WHERE r.repo = ? AND a.name = ?",
                (repo, name),
            ).fetchone()
        return loads(row[0]) if row else None

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


def _slug(repo: str) -> str:
    """A file name for ``repo``: readable, and distinct for distinct names."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", repo)[:60].strip("._") or "repo"
    return f"{readable}-{hashlib.sha1(repo.encode()).hexdigest()[:10]}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _serialise(value: Any, what: str) -> str:
    try:
        return dumps(value)
    except (TypeError, ValueError) as exc:  # a programming error, but say what failed
        raise StoreError(f"cannot store {what}: {exc}") from exc


def _write_graph(conn: sqlite3.Connection, changes: GraphChanges, progress: Progress | None) -> int:
    """Make the stored rows of the repository the new version ``changes`` gives (inside the caller's write transaction).

    Returns the repository's new generation.
    """
    graph = changes.graph
    repo = graph.repo
    patched = sorted(rel.value for rel in changes.patched)
    skip = frozenset(patched)
    total = len(graph.nodes) + sum(1 for key in graph.edges if key[0] not in skip) + len(changes.changed)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    row = conn.execute("SELECT rid, generation FROM repositories WHERE repo = ?", (repo,)).fetchone()
    if row is None:
        rid = conn.execute(
            "INSERT INTO repositories (repo, props, generation, saved_at) VALUES (?, '{}', 0, '')", (repo,)
        ).lastrowid
        generation = 1
    else:
        rid, generation = row[0], row[1] + 1
    nids, gone = _sync_nodes(conn, rid, graph, advance)
    if patched:
        _drop_edges_at(conn, rid, gone, patched)
    _sync_relationships(conn, rid, graph, nids, advance, skip=skip)
    _patch_relationships(conn, rid, changes, nids, advance)
    repo_node = graph.repository
    summary = _serialise(repo_node.props if repo_node else {"repo": repo}, f"the Repository node of {repo}")
    conn.execute("DELETE FROM answers WHERE rid = ?", (rid,))
    conn.execute("UPDATE repositories SET props = ?, generation = ?, saved_at = ? WHERE rid = ?",
                 (summary, generation, _now(), rid))
    if progress and total == 0:
        progress(0, 0)
    return generation


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
        text = _serialise(node.props, f"node {nid_text}")
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
    """Make the stored relationships of ``rid`` those of ``graph``, type by type, except the types in ``skip``."""
    by_type: dict[str, list[tuple[int, int, Edge]]] = {}
    for key, edge in graph.edges.items():
        if key[0] in skip:
            continue
        try:
            numbered = (nids[edge.source], nids[edge.target], edge)
        except KeyError:
            raise StoreError(
                f"saving {graph.repo}: edge {edge.type.value} {edge.source} -> {edge.target} has an end that is not in the graph"
            ) from None
        found = by_type.get(key[0])
        if found is None:
            by_type[key[0]] = [numbered]
        else:
            found.append(numbered)
    inserts = _Writes(conn, "INSERT INTO relationships (rid, type, src, dst, props) VALUES (?, ?, ?, ?, ?)")
    updates = _Writes(conn, "UPDATE relationships SET props = ? WHERE rid = ? AND type = ? AND src = ? AND dst = ?")
    deletes = _Writes(conn, "DELETE FROM relationships WHERE rid = ? AND type = ? AND src = ? AND dst = ?")
    stored_types = {t for (t,) in conn.execute("SELECT DISTINCT type FROM relationships WHERE rid = ?", (rid,))}
    for type_ in sorted((set(by_type) | stored_types) - skip):
        edges = by_type.get(type_, [])
        edges.sort(key=lambda numbered: (numbered[0], numbered[1]))
        stored = _pages(conn, _REL_PAGE, (rid, type_), (-1, -1)) if type_ in stored_types else iter(())
        current = next(stored, None)
        for count, (src, dst, edge) in enumerate(edges, 1):
            text = _serialise(edge.props, f"edge {type_} {edge.source} -> {edge.target}")
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
        upserts.add((rid, key[0], src, dst, _serialise(edge.props, f"edge {key[0]} {edge.source} -> {edge.target}")))
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


def _read_nodes(graph: RepoGraph, rows: sqlite3.Cursor) -> dict[int, str]:
    """Add the nodes of ``rows`` (nid, id, label, key, props) to ``graph``; their ids by number."""
    repo, nodes, labels = graph.repo, graph.nodes, _LABELS
    ids: dict[int, str] = {}
    for (nid, node_id, label, key, _), props in _decoded(rows):
        nodes[node_id] = Node(labels[label], repo, key, props)
        ids[nid] = node_id
    return ids


__all__ = ["SqliteStore", "DATABASE", "SCHEMA_VERSION"]

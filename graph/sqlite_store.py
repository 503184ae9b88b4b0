"""The embedded adapter: every repository of a store in one SQLite database.

Layout of a store directory (default ``.cairn/``)::

    cairn.db          the database, in WAL mode (``cairn.db-wal`` and ``-shm`` beside it)
    .gitignore        ``*``, so a store inside a checkout is never committed
    cache/            ingest's parse cache (owned by ingest, not by this module)

Tables, every one keyed by repository first::

    repositories(repo, props, generation, saved_at)  props: its Repository node's, for listing
    nodes(repo, id, label, key, props)                index (repo, label)
    relationships(repo, type, src, dst, props)        the key (repo, type, src, dst) serves
                                                      (repo, type); indexes (repo, src), (repo, dst)
    answers(repo, name, generation, value)            derived answers (``GraphStore.save_answers``)
    reviews(repo, records)                            review records kept across ingests
    meta(key, value)                                  e.g. when a JSON store was migrated

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
Writers wait for one another (``busy_timeout``). Each thread gets its own
connection, so one store object may serve a threaded HTTP server.

A store directory written by the JSON store of earlier versions (``store.json``,
``graphs/``, ``reviews/``; see ``graph.legacy_json``) is migrated on first open,
in the transaction that creates the database, and its files removed afterwards.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from cairn.graph import legacy_json
from cairn.graph.atomic import write_atomic
from cairn.graph.model import Edge, Label, Node, Rel, RepoGraph
from cairn.graph.store import GraphStore, Progress, RepositorySummary, StoreError, UnknownRepository
from cairn.graph.values import dumps

DATABASE = "cairn.db"
SCHEMA_VERSION = 1
#: How long a writer waits for another writer of the same store before giving up.
BUSY_TIMEOUT_SECONDS = 600.0
#: Rows read per page and written per statement batch during a save.
BATCH = 5_000

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS repositories (repo TEXT PRIMARY KEY, props TEXT NOT NULL,"
    " generation INTEGER NOT NULL, saved_at TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS nodes (repo TEXT NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL,"
    " key TEXT NOT NULL, props TEXT NOT NULL, PRIMARY KEY (repo, id)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS nodes_by_label ON nodes (repo, label)",
    "CREATE TABLE IF NOT EXISTS relationships (repo TEXT NOT NULL, type TEXT NOT NULL, src TEXT NOT NULL,"
    " dst TEXT NOT NULL, props TEXT NOT NULL, PRIMARY KEY (repo, type, src, dst)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS relationships_by_src ON relationships (repo, src)",
    "CREATE INDEX IF NOT EXISTS relationships_by_dst ON relationships (repo, dst)",
    "CREATE TABLE IF NOT EXISTS answers (repo TEXT NOT NULL, name TEXT NOT NULL, generation INTEGER NOT NULL,"
    " value TEXT NOT NULL, PRIMARY KEY (repo, name)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS reviews (repo TEXT PRIMARY KEY, records TEXT NOT NULL) WITHOUT ROWID",
)

_LABELS = {label.value: label for label in Label}
_RELS = {rel.value: rel for rel in Rel}

_NODE_PAGE = "SELECT id, props FROM nodes WHERE repo = ? AND id > ? ORDER BY id LIMIT ?"
_NODE_UPSERT = (
    "INSERT INTO nodes (repo, id, label, key, props) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (repo, id) DO UPDATE SET label = excluded.label, key = excluded.key, props = excluded.props"
)
_NODE_DELETE = "DELETE FROM nodes WHERE repo = ? AND id = ?"
_REL_PAGE = (
    "SELECT type, src, dst, props FROM relationships WHERE repo = ? AND (type, src, dst) > (?, ?, ?) "
    "ORDER BY type, src, dst LIMIT ?"
)
_REL_UPSERT = (
    "INSERT INTO relationships (repo, type, src, dst, props) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (repo, type, src, dst) DO UPDATE SET props = excluded.props"
)
_REL_DELETE = "DELETE FROM relationships WHERE repo = ? AND type = ? AND src = ? AND dst = ?"


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
            if not (self.root / ".gitignore").exists():
                write_atomic(self.root / ".gitignore", b"*\n")
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
                    _write_graph(conn, graph, None)
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

    # -- GraphStore -------------------------------------------------------------------
    def save(self, graph: RepoGraph, progress: Progress | None = None) -> None:
        with self._errors(f"save {graph.repo} to"):
            conn = self._connection(create=True)
            assert conn is not None
            with _transaction(conn, write=True):
                generation = _write_graph(conn, graph, progress)
        self._generations[graph.repo] = generation

    def load(self, repo: str) -> RepoGraph:
        with self._errors(f"load {repo} from"):
            conn = self._connection(create=False)
            if conn is None:
                raise self._unknown(repo)
            graph = RepoGraph(repo)
            with _transaction(conn, write=False):
                generation = self._generation(conn, repo)
                _read_nodes(graph, conn.execute("SELECT id, label, key, props FROM nodes WHERE repo = ?", (repo,)))
                _read_edges(graph, conn.execute("SELECT type, src, dst, props FROM relationships WHERE repo = ?", (repo,)))
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
                generation = self._generation(conn, repo)
                if wanted_labels:
                    marks = ", ".join("?" * len(wanted_labels))
                    _read_nodes(graph, conn.execute(
                        f"SELECT id, label, key, props FROM nodes INDEXED BY nodes_by_label WHERE repo = ? AND label IN ({marks})", (repo, *wanted_labels)))
                if wanted_rels:
                    marks = ", ".join("?" * len(wanted_rels))
                    _read_edges(graph, conn.execute(
                        f"SELECT type, src, dst, props FROM relationships WHERE repo = ? AND type IN ({marks})", (repo, *wanted_rels)))
        self._generations[repo] = generation
        return graph

    def repositories(self) -> list[RepositorySummary]:
        with self._errors("list the repositories in"):
            conn = self._connection(create=False)
            if conn is None:
                return []
            rows = conn.execute("SELECT repo, props FROM repositories ORDER BY repo").fetchall()
        return [RepositorySummary(repo, json.loads(props)) for repo, props in rows]

    def delete(self, repo: str) -> None:
        with self._errors(f"delete {repo} from"):
            conn = self._connection(create=False)
            if conn is None:
                raise self._unknown(repo)
            with _transaction(conn, write=True):
                self._generation(conn, repo)
                for table in ("nodes", "relationships", "answers", "reviews", "repositories"):
                    conn.execute(f"DELETE FROM {table} WHERE repo = ?", (repo,))
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
        return list(json.loads(row[0])) if row else []

    def save_answers(self, repo: str, answers: Mapping[str, Any]) -> None:
        rows = [(name, _serialise(value, f"answer {name!r} of {repo}")) for name, value in answers.items()]
        with self._errors(f"save answers of {repo} to"):
            conn = self._connection(create=False)
            if conn is None:
                raise self._unknown(repo)
            with _transaction(conn, write=True):
                current = self._generation(conn, repo)
                described = self._generations.get(repo, current)
                if described != current:
                    return  # another save replaced the graph they describe: they would never be read
                conn.executemany(
                    "INSERT OR REPLACE INTO answers (repo, name, generation, value) VALUES (?, ?, ?, ?)",
                    [(repo, name, current, text) for name, text in rows],
                )

    def load_answer(self, repo: str, name: str) -> Any | None:
        with self._errors(f"read answer {name!r} of {repo} from"):
            conn = self._connection(create=False)
            if conn is None:
                return None
            row = conn.execute(
                "SELECT a.value FROM answers a JOIN repositories r ON r.repo = a.repo AND r.generation = a.generation "
                "WHERE a.repo = ? AND a.name = ?",
                (repo, name),
            ).fetchone()
        return json.loads(row[0]) if row else None

    # -- helpers --------------------------------------------------------------------------
    def _unknown(self, repo: str) -> UnknownRepository:
        return UnknownRepository(f"repository {repo!r} is not in store {self.root}")

    def _generation(self, conn: sqlite3.Connection, repo: str) -> int:
        row = conn.execute("SELECT generation FROM repositories WHERE repo = ?", (repo,)).fetchone()
        if row is None:
            raise self._unknown(repo)
        return row[0]


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


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _serialise(value: Any, what: str) -> str:
    try:
        return dumps(value)
    except (TypeError, ValueError) as exc:  # a programming error, but say what failed
        raise StoreError(f"cannot store {what}: {exc}") from exc


def _write_graph(conn: sqlite3.Connection, graph: RepoGraph, progress: Progress | None) -> int:
    """Make the stored rows of ``graph.repo`` equal ``graph`` (inside the caller's write transaction).

    Returns the repository's new generation.
    """
    repo = graph.repo
    total = len(graph)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    row = conn.execute("SELECT generation FROM repositories WHERE repo = ?", (repo,)).fetchone()
    generation = (row[0] if row else 0) + 1
    nodes = graph.nodes

    def node_row(nid: str) -> tuple[str, tuple[Any, ...]]:
        node = nodes[nid]
        text = _serialise(node.props, f"node {nid}")
        return text, (repo, nid, node.label.value, node.key, text)

    edges = graph.edges

    def edge_row(key: tuple[str, str, str]) -> tuple[str, tuple[Any, ...]]:
        edge = edges[key]
        text = _serialise(edge.props, f"edge {key[0]} {key[1]} -> {key[2]}")
        return text, (repo, key[0], key[1], key[2], text)

    _sync(conn, repo, sorted(nodes), node_row, _NODE_PAGE, ("",), _NODE_UPSERT, _NODE_DELETE, advance)
    _sync(conn, repo, sorted(edges), edge_row, _REL_PAGE, ("", "", ""), _REL_UPSERT, _REL_DELETE, advance)
    repo_node = graph.repository
    summary = _serialise(repo_node.props if repo_node else {"repo": repo}, f"the Repository node of {repo}")
    conn.execute("DELETE FROM answers WHERE repo = ?", (repo,))
    conn.execute(
        "INSERT INTO repositories (repo, props, generation, saved_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (repo) DO UPDATE SET props = excluded.props, generation = excluded.generation, saved_at = excluded.saved_at",
        (repo, summary, generation, _now()),
    )
    if progress and total == 0:
        progress(0, 0)
    return generation


def _sync(
    conn: sqlite3.Connection,
    repo: str,
    keys: list[Any],
    row_of: Callable[[Any], tuple[str, tuple[Any, ...]]],
    page_sql: str,
    before_first: tuple[str, ...],
    upsert_sql: str,
    delete_sql: str,
    advance: Callable[[int], None],
) -> None:
    """Merge the sorted ``keys`` with the stored rows of one table: write what differs, delete what is gone.

    Stored rows are read a page at a time, each page whole before anything is
    written, and every write concerns a key at most the last one read, so the
    pages never see this merge's own writes.
    """
    width = len(before_first)
    upserts: list[tuple[Any, ...]] = []
    deletes: list[tuple[Any, ...]] = []

    def flush() -> None:
        if deletes:
            conn.executemany(delete_sql, deletes)
            deletes.clear()
        if upserts:
            conn.executemany(upsert_sql, upserts)
            upserts.clear()

    stored = _pages(conn, repo, page_sql, before_first)
    current = next(stored, None)
    unit = (lambda r: r[0]) if width == 1 else (lambda r: r[:width])
    since_progress = 0
    for key in keys:
        text, row = row_of(key)
        while current is not None and unit(current) < key:
            deletes.append((repo, *current[:width]))
            current = next(stored, None)
        if current is not None and unit(current) == key:
            if current[width] != text:
                upserts.append(row)
            current = next(stored, None)
        else:
            upserts.append(row)
        since_progress += 1
        if len(upserts) + len(deletes) >= BATCH:
            flush()
        if since_progress >= BATCH:
            advance(since_progress)
            since_progress = 0
    while current is not None:
        deletes.append((repo, *current[:width]))
        current = next(stored, None)
        if len(deletes) >= BATCH:
            flush()
    flush()
    if since_progress:
        advance(since_progress)


def _pages(conn: sqlite3.Connection, repo: str, page_sql: str, before_first: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """The stored rows of ``repo`` in key order, read ``BATCH`` at a time (keyset pagination)."""
    after = before_first
    width = len(before_first)
    while True:
        rows = conn.execute(page_sql, (repo, *after, BATCH)).fetchall()
        yield from rows
        if len(rows) < BATCH:
            return
        after = tuple(rows[-1][:width])


def _read_nodes(graph: RepoGraph, rows: Iterable[tuple[str, str, str, str]]) -> None:
    repo, nodes, labels, loads = graph.repo, graph.nodes, _LABELS, json.loads
    for nid, label, key, props in rows:
        nodes[nid] = Node(labels[label], repo, key, loads(props))


def _read_edges(graph: RepoGraph, rows: Iterable[tuple[str, str, str, str]]) -> None:
    edges, rels, loads = graph.edges, _RELS, json.loads
    for type_, src, dst, props in rows:
        edges[(type_, src, dst)] = Edge(rels[type_], src, dst, loads(props))


__all__ = ["SqliteStore", "DATABASE", "SCHEMA_VERSION"]

"""The Neo4j adapter: repositories stored in a Neo4j 5 database over Bolt.

Layout in the database:

* every Cairn node is a Neo4j node with two labels, its ``Label`` (``:Module``,
  ``:Person`` …) and ``:CairnNode``; its own properties are stored as they are,
  so teams can query them with Cypher (``MATCH (c:Component {name: 'api'})``);
* internal properties start with ``_``: ``_id`` (``graph.model.node_id``),
  ``_repo``, ``_key``, ``_run`` (the save that wrote it), and ``_json`` / ``_null``
  (names of properties stored as JSON text / whose value is None; see below). A
  property of the model whose name itself starts with ``_`` is stored with one more
  ``_`` in front;
* edges are relationships of their ``Rel`` type with their properties and ``_run``;
* one ``:CairnState {repo}`` node per repository holds ``complete_run``, the run
  readers see, and the node and edge counts of that run;
* one ``:CairnReviews {repo}`` node per repository holds its review records
  (``ingest.reviews``) as JSON text; saves of the graph leave it alone;
* one ``:CairnAnswer {repo, name}`` node per derived answer (``save_answers``)
  holds it as JSON text in ``value``, with the ``run`` it was computed from: it
  is read only while that run is the complete one, and deleted by the next save.

Saving writes the whole graph as a new run (``CREATE`` in batches, under a
uniqueness constraint on ``(_id, _run)`` per label, so a node exists at most once per
run), then switches ``complete_run`` to it in one transaction, then deletes every
older run of that repository in bounded batches. Until the switch, readers see the
previous run whole; a save cut short (a crash, a lost server) leaves the previous
run readable, and its leftovers are deleted by the next save of that repository.
Other repositories are never touched. Neo4j has no snapshot reads, so ``load``
checks what it read against the counts recorded with the run and reads again if a
concurrent save replaced the run meanwhile.

Property values Neo4j cannot hold (maps, lists of maps or of mixed types, empty
lists, integers beyond 64 bits) are stored as JSON text and their names listed in
``_json``; None values are listed in ``_null`` (Neo4j has no null properties; to
Cypher they read as null, as absent properties do). Values are first normalised as
the embedded store's JSON does (tuples and sets become lists, dates ISO strings),
so ``load`` returns exactly what the embedded store returns for the same graph
(``graph.values.json_default`` is that normalisation, shared by both).

Client Cypher (``cypher``) is vetted three times before it reads anything:
``graph.cypher_policy`` refuses every clause but reads (LOAD CSV, SHOW, TERMINATE,
writes, procedures off its allow-list …); the server's plan of the query
(``EXPLAIN``) must be a read with no file or URL access; and it runs in READ access
mode, where the server refuses any write. It runs with a transaction timeout and its
answer is streamed until the row or byte cap of its ``CypherLimits``. Answers are
JSON values: temporal values as ISO 8601 text, NaN and infinities as null.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
import uuid
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Mapping
from urllib.parse import unquote, urlsplit, urlunsplit

import neo4j
from neo4j import exceptions as neo4j_errors

from cairn.graph.cypher_policy import CypherLimits, CypherRefused, check_parameters, check_read_only
from cairn.graph.errors import (
    ConfigError,
    CypherLimitExceeded,
    CypherNotAllowed,
    CypherQueryError,
    CypherWriteRefused,
    Neo4jUnavailable,
    StoreError,
    UnknownRepository,
)
from cairn.graph.model import Edge, Label, Node, Rel, RepoGraph
from cairn.graph.neo4j_cypher import TIMEOUT_CODES, bounded_reader, check_plan
from cairn.graph.store import GraphStore, Progress, RepositorySummary
from cairn.graph.values import json_default

USER_ENV = "CAIRN_NEO4J_USER"
PASSWORD_ENV = "CAIRN_NEO4J_PASSWORD"
DATABASE_ENV = "CAIRN_NEO4J_DATABASE"
DEFAULT_DATABASE = "neo4j"

NODE_LABEL = "CairnNode"
STATE_LABEL = "CairnState"
REVIEWS_LABEL = "CairnReviews"  # one node per repository: its review records, as JSON text
ANSWER_LABEL = "CairnAnswer"  # one node per repository and answer name: a derived answer, as JSON text
INTERNAL = ("_id", "_repo", "_key", "_run", "_json", "_null")

_INT64 = (-(2**63), 2**63 - 1)

# The driver logs every retried transaction (a deadlock between our two writers, say)
# as a warning; without a handler Python would print those to stderr of the CLI.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
_LOAD_ATTEMPTS = 5


# -- property encoding -----------------------------------------------------------

def _native_list(value: list[Any]) -> bool:
    """Whether Neo4j stores ``value`` as a list property unchanged: non-empty, one primitive type."""
    if not value:
        return False
    kind = type(value[0])
    if kind not in (str, bool, int, float):
        return False
    if kind is int and not all(type(v) is int and _INT64[0] <= v <= _INT64[1] for v in value):
        return False
    return all(type(v) is kind for v in value)


def encode_props(props: dict[str, Any]) -> dict[str, Any]:
    """The Neo4j properties that hold ``props`` (without the internal ones but ``_json``/``_null``)."""
    out: dict[str, Any] = {}
    as_json: list[str] = []
    nulls: list[str] = []
    for name, value in props.items():
        stored = "_" + name if name.startswith("_") else name
        kind = type(value)
        if kind is str or kind is bool or kind is float:
            out[stored] = value
            continue
        if kind is int and _INT64[0] <= value <= _INT64[1]:
            out[stored] = value
            continue
        if value is None:
            nulls.append(stored)
            continue
        if kind is list and _native_list(value):
            out[stored] = value
            continue
        try:
            text = json.dumps(value, separators=(",", ":"), default=json_default)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"cannot store property {name!r}: {exc}") from exc
        normal = json.loads(text)
        if isinstance(normal, str) or (isinstance(normal, list) and _native_list(normal)):
            out[stored] = normal
        elif normal is None:
            nulls.append(stored)
        else:
            out[stored] = text
            as_json.append(stored)
    if as_json:
        out["_json"] = as_json
    if nulls:
        out["_null"] = nulls
    return out


def decode_props(stored: dict[str, Any]) -> dict[str, Any]:
    """The model properties held by the Neo4j properties ``stored`` (internal ones dropped)."""
    as_json = set(stored.get("_json") or ())
    out: dict[str, Any] = {}
    for name, value in stored.items():
        if name.startswith("_") and not name.startswith("__"):
            continue
        if name in as_json:
            value = json.loads(value)
        out[name[1:] if name.startswith("__") else name] = value
    for name in stored.get("_null") or ():
        out[name[1:] if name.startswith("__") else name] = None
    return out


def _label_of(nid: str) -> str:
    return nid.split("|", 1)[0]


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# -- the store ---------------------------------------------------------------------

class Neo4jStore(GraphStore):
    """A ``GraphStore`` in a Neo4j 5 database; one database may hold many repositories."""

    #: Rows per write transaction and concurrent writer sessions; measured with
    #: bench/neo4j_ingest.py (larger transactions were slower, not faster).
    node_batch_size = 5_000
    edge_batch_size = 5_000
    delete_batch_size = 2_000
    writers = 2

    def __init__(
        self,
        uri: str,
        auth: tuple[str, str] | None = None,
        database: str | None = None,
        location: str | None = None,
        connection_timeout: float = 10.0,
        retry_time: float = 15.0,
    ):
        self.location = location or uri
        #: The run of each repository this object last saved or loaded: what its answers describe.
        self._runs: dict[str, str] = {}
        self.database = database or os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=connection_timeout,
                max_transaction_retry_time=retry_time,
                notifications_min_severity="OFF",
            )
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise StoreError(f"invalid Neo4j URI {self.location}: {exc}") from exc
        try:
            with self._errors("connect to"):
                self._driver.verify_connectivity()
            self._ensure_schema()
        except BaseException:
            self._driver.close()
            raise

    @classmethod
    def from_uri(cls, uri: str, **options: Any) -> "Neo4jStore":
        """Open the store at ``bolt://[user[:password]@]host:port`` (or ``neo4j://``…).

        Credentials in the URI win; else ``$CAIRN_NEO4J_USER``/``$CAIRN_NEO4J_PASSWORD``;
        else none (a server with authentication disabled). ``options`` go to the constructor.
        """
        try:
            parts = urlsplit(uri)
            host = parts.hostname or ""
            port = parts.port
        except ValueError as exc:
            without_credentials = re.sub(r"//[^@/]*@", "//", uri)
            raise StoreError(f"invalid Neo4j URI {without_credentials}: {exc}") from exc
        user = unquote(parts.username) if parts.username else os.environ.get(USER_ENV)
        if parts.password is not None:
            password = unquote(parts.password)
        else:
            password = os.environ.get(PASSWORD_ENV, "")
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        netloc = host + (f":{port}" if port is not None else "")
        plain = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        shown = urlunsplit((parts.scheme, (f"{user}@" if user else "") + netloc, parts.path, parts.query, ""))
        if not host:
            raise StoreError(f"invalid Neo4j URI {shown}: no host")
        return cls(plain, auth=(user, password) if user else None, location=shown, **options)

    def close(self) -> None:
        self._driver.close()

    # -- plumbing -----------------------------------------------------------------
    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn the driver's exceptions into one-line ``StoreError``s naming the server."""
        try:
            yield
        except neo4j_errors.AuthError as exc:
            raise Neo4jUnavailable(f"Neo4j at {self.location} refused the credentials ({_reason(exc)})") from exc
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, neo4j_errors.IncompleteCommit) as exc:
            raise Neo4jUnavailable(f"cannot {doing} Neo4j at {self.location}: {_reason(exc)}") from exc
        except neo4j_errors.Neo4jError as exc:
            raise StoreError(f"Neo4j at {self.location} failed to {doing} it: {_reason(exc)}") from exc
        except neo4j_errors.DriverError as exc:
            raise StoreError(f"cannot {doing} Neo4j at {self.location}: {_reason(exc)}") from exc
        except OSError as exc:
            raise Neo4jUnavailable(f"cannot {doing} Neo4j at {self.location}: {exc}") from exc

    def _session(self, read: bool = False) -> neo4j.Session:
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    def _write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        with self._session() as session:
            return session.execute_write(lambda tx: tx.run(query, params).data())

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        with self._session(read=True) as session:
            return session.execute_read(lambda tx: tx.run(query, params).data())

    def _ensure_schema(self) -> None:
        """Uniqueness constraints and indexes, created before any data is written."""
        wanted: dict[str, str] = {}
        for label in Label:
            name = f"cairn_{label.value.lower()}_id_run"
            wanted[name] = f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:`{label.value}`) REQUIRE (n._id, n._run) IS UNIQUE"
        wanted["cairn_state_repo"] = f"CREATE CONSTRAINT cairn_state_repo IF NOT EXISTS FOR (s:{STATE_LABEL}) REQUIRE s.repo IS UNIQUE"
        wanted["cairn_reviews_repo"] = f"CREATE CONSTRAINT cairn_reviews_repo IF NOT EXISTS FOR (r:{REVIEWS_LABEL}) REQUIRE r.repo IS UNIQUE"
        wanted["cairn_answer_repo_name"] = (
            f"CREATE CONSTRAINT cairn_answer_repo_name IF NOT EXISTS FOR (a:{ANSWER_LABEL}) REQUIRE (a.repo, a.name) IS UNIQUE"
        )
        wanted["cairn_node_repo"] = f"CREATE INDEX cairn_node_repo IF NOT EXISTS FOR (n:{NODE_LABEL}) ON (n._repo)"
        wanted["cairn_node_run"] = f"CREATE INDEX cairn_node_run IF NOT EXISTS FOR (n:{NODE_LABEL}) ON (n._run)"
        with self._errors("read the schema of"):
            present = {r["name"] for r in self._read("SHOW INDEXES YIELD name RETURN name")}
        missing = [query for name, query in wanted.items() if name not in present]
        if not missing:
            return
        with self._errors("create the schema in"), self._session() as session:
            for query in missing:
                try:
                    session.run(query).consume()
                except neo4j_errors.ClientError as exc:
                    # Another client created the same rule at the same moment.
                    if exc.code != "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists":
                        raise
            session.run("CALL db.awaitIndexes(300)").consume()

    # -- GraphStore -------------------------------------------------------------------
    def save(self, graph: RepoGraph, progress: Progress | None = None) -> None:
        repo = graph.repo
        run = uuid.uuid4().hex
        total = len(graph)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, total)

        node_batches: list[tuple[str, list[dict[str, Any]]]] = []
        by_label: dict[str, list[Node]] = defaultdict(list)
        for node in graph.nodes.values():
            by_label[node.label.value].append(node)
        for label, nodes in by_label.items():
            node_batches.extend((label, batch) for batch in _chunks(nodes, self.node_batch_size))
        by_type: dict[str, list[Edge]] = defaultdict(list)
        for edge in graph.edges.values():
            by_type[edge.type.value].append(edge)
        edge_batches = [(type_, batch) for type_, edges in by_type.items() for batch in _chunks(edges, self.edge_batch_size)]

        # Neo4j's internal node ids, for the relationship writes: a seek by id costs half
        # an index seek. They are used only while this run's nodes exist, when they are
        # stable, and the relationship query re-checks ``_run`` all the same.
        internal: dict[str, int] = {}

        def write_nodes(label: str, nodes: list[Node]) -> int:
            rows = []
            for node in nodes:
                row = encode_props(node.props)
                row["_id"] = node.id
                row["_repo"] = repo
                row["_key"] = node.key
                row["_run"] = run
                rows.append(row)
            query = (
                "UNWIND range(0, size($rows) - 1) AS i "
                f"CREATE (n:{NODE_LABEL}:`{label}`) SET n = $rows[i] "
                "RETURN collect([i, id(n)]) AS ids"
            )
            with self._session() as session:
                pairs = session.execute_write(_run_write, query, {"rows": rows}, "ids")
            for i, neo_id in pairs:
                internal[rows[i]["_id"]] = neo_id
            return len(rows)

        def write_edges(type_: str, edges: list[Edge]) -> int:
            rows = []
            for edge in edges:
                try:
                    rows.append([internal[edge.source], internal[edge.target], encode_props(edge.props)])
                except KeyError:
                    raise StoreError(
                        f"saving {repo}: edge {edge.type.value} {edge.source} -> {edge.target} has an end that is not in the graph"
                    ) from None
            query = (
                "UNWIND $rows AS row "
                "MATCH (a) WHERE id(a) = row[0] AND a._run = $run "
                "MATCH (b) WHERE id(b) = row[1] AND b._run = $run "
                f"CREATE (a)-[r:`{type_}`]->(b) SET r = row[2], r._run = $run "
                "RETURN count(r) AS created"
            )
            with self._session() as session:
                created = session.execute_write(_run_write, query, {"rows": rows, "run": run}, "created")
            if created != len(rows):
                raise StoreError(
                    f"saving {repo}: {len(rows) - created} of its nodes vanished during the save "
                    "(was it deleted or saved by someone else meanwhile?); save it again"
                )
            return len(rows)

        with self._errors(f"save {repo} to"):
            # The lease: a save of this repository that starts after this one makes this one's switch fail.
            self._write(f"MERGE (s:{STATE_LABEL} {{repo: $repo}}) SET s.writing_run = $run", repo=repo, run=run)
            for written in self._parallel(write_nodes, node_batches):
                advance(written)
            for written in self._parallel(write_edges, edge_batches):
                advance(written)
            # The switch: from here on readers see the new run, whole.
            switched = self._write(
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
                raise StoreError(
                    f"another save of {repo} started while this one ran, so this one was abandoned; "
                    "the store holds that save's result"
                )
        self._runs[repo] = run
        with self._errors(f"remove the previous version of {repo} from"):
            self._write(f"MATCH (a:{ANSWER_LABEL} {{repo: $repo}}) WHERE a.run <> $run DELETE a", repo=repo, run=run)
            self._delete_stale(repo, keep_run=run)
        if progress and total == 0:
            progress(0, 0)

    def _parallel(self, work: Callable[..., int], batches: Iterable[tuple[Any, ...]]) -> Iterator[int]:
        """Run ``work(*batch)`` for every batch on ``writers`` sessions; yield results as they finish.

        Transaction functions are retried by the driver on transient errors
        (deadlocks between the writers included). The first failure stops the rest.
        """
        with ThreadPoolExecutor(max_workers=max(1, self.writers), thread_name_prefix="cairn-neo4j") as pool:
            pending: set[Future[int]] = {pool.submit(work, *batch) for batch in batches}
            try:
                while pending:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        yield future.result()
            finally:
                for future in pending:
                    future.cancel()

    def _delete_stale(self, repo: str, keep_run: str | None = None, everything: bool = False) -> None:
        """Delete ``repo``'s nodes (with their relationships) of runs neither complete nor being written.

        Every batch re-reads the repository's state, so a save that starts or
        completes meanwhile keeps its run; ``keep_run`` is skipped outright.
        ``everything`` deletes all of them.
        """
        stale = self._read(
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
            with self._session() as session:
                session.execute_write(_run_write, query, {"ids": ids, "repo": repo})
            return len(ids)

        ids = [row["id"] for row in stale]
        for _ in self._parallel(delete, [(batch,) for batch in _chunks(ids, self.delete_batch_size)]):
            pass

    def load(self, repo: str) -> RepoGraph:
        return self._load_with(repo, _read_graph)

    def load_part(self, repo: str, labels: Iterable[Label | str] = (), rels: Iterable[Rel | str] = ()) -> RepoGraph:
        wanted_labels = sorted({Label(label).value for label in labels})
        wanted_rels = sorted({Rel(rel).value for rel in rels})
        return self._load_with(repo, _read_part, wanted_labels, wanted_rels)

    def _load_with(self, repo: str, reader: Callable[..., tuple[str, RepoGraph] | None], *args: Any) -> RepoGraph:
        for _ in range(_LOAD_ATTEMPTS):
            with self._errors(f"load {repo} from"), self._session(read=True) as session:
                read = session.execute_read(reader, repo, self.location, *args)
            if read is not None:
                run, graph = read
                self._runs[repo] = run
                return graph
            time.sleep(0.2)  # a concurrent save replaced the run while we read it
        raise StoreError(f"repository {repo!r} in Neo4j at {self.location} kept changing while it was read; try again")

    def save_answers(self, repo: str, answers: Mapping[str, Any]) -> None:
        rows = []
        for name, value in answers.items():
            try:
                rows.append({"name": name, "value": json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=json_default)})
            except (TypeError, ValueError) as exc:
                raise StoreError(f"cannot store answer {name!r} of {repo}: {exc}") from exc
        with self._errors(f"save answers of {repo} to"):
            run = self._runs.get(repo)
            if run is None:
                state = self._read(f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) RETURN s.complete_run AS run", repo=repo)
                run = state[0]["run"] if state else None
            if run is None:
                raise UnknownRepository(f"repository {repo!r} is not in store {self.location}", repository=repo)
            # Written only while ``run`` is the complete one: answers about a replaced graph would never be read.
            self._write(
                f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) WHERE s.complete_run = $run "
                f"UNWIND $rows AS row MERGE (a:{ANSWER_LABEL} {{repo: $repo, name: row.name}}) "
                "SET a.value = row.value, a.run = $run",
                repo=repo, run=run, rows=rows,
            )

    def load_answer(self, repo: str, name: str) -> Any | None:
        with self._errors(f"read answer {name!r} of {repo} from"):
            rows = self._read(
                f"MATCH (s:{STATE_LABEL} {{repo: $repo}}) MATCH (a:{ANSWER_LABEL} {{repo: $repo, name: $name}}) "
                "WHERE a.run = s.complete_run RETURN a.value AS value",
                repo=repo, name=name,
            )
        return json.loads(rows[0]["value"]) if rows else None

    def repositories(self) -> list[RepositorySummary]:
        with self._errors("list the repositories in"):
            rows = self._read(
                f"MATCH (s:{STATE_LABEL}) WHERE s.complete_run IS NOT NULL "
                "OPTIONAL MATCH (r:Repository {_id: 'Repository|' + s.repo, _run: s.complete_run}) "
                "RETURN s.repo AS repo, properties(r) AS props ORDER BY repo"
            )
        return [
            RepositorySummary(row["repo"], decode_props(row["props"]) if row["props"] is not None else {"repo": row["repo"]})
            for row in rows
        ]

    def save_reviews(self, repo: str, records: list[dict[str, Any]]) -> None:
        with self._errors(f"save review records of {repo} to"):
            self._write(f"MERGE (r:{REVIEWS_LABEL} {{repo: $repo}}) SET r.records = $records",
                        repo=repo, records=json.dumps(records, ensure_ascii=False))

    def load_reviews(self, repo: str) -> list[dict[str, Any]]:
        with self._errors(f"read review records of {repo} from"):
            rows = self._read(f"MATCH (r:{REVIEWS_LABEL} {{repo: $repo}}) RETURN r.records AS records", repo=repo)
        return list(json.loads(rows[0]["records"])) if rows and rows[0]["records"] else []

    def delete(self, repo: str) -> None:
        self._runs.pop(repo, None)
        with self._errors(f"delete {repo} from"):
            self._write(f"MATCH (r:{REVIEWS_LABEL} {{repo: $repo}}) DELETE r", repo=repo)
            self._write(f"MATCH (a:{ANSWER_LABEL} {{repo: $repo}}) DELETE a", repo=repo)
            rows = self._write(
                f"OPTIONAL MATCH (s:{STATE_LABEL} {{repo: $repo}}) "
                "WITH s, s.complete_run IS NOT NULL AS known DETACH DELETE s RETURN known",
                repo=repo,
            )
            known = bool(rows and rows[0]["known"])
            leftovers = self._read(f"MATCH (n:{NODE_LABEL} {{_repo: $repo}}) RETURN count(n) > 0 AS any", repo=repo)
            if leftovers and leftovers[0]["any"]:
                self._delete_stale(repo, everything=True)
        if not known:
            raise UnknownRepository(f"repository {repo!r} is not in store {self.location}", repository=repo)

    def cypher(self, query: str, params: dict[str, Any] | None = None, limits: CypherLimits | None = None) -> list[dict[str, Any]]:
        """Run a client's read-only ``query`` within ``limits`` (default: ``CypherLimits.from_env()``); see the module docstring."""
        try:
            limits = limits or CypherLimits.from_env()
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        try:
            check_read_only(query)
            check_parameters(params)
        except CypherRefused as exc:
            raise (CypherWriteRefused if exc.writes else CypherNotAllowed)(str(exc)) from None
        with self._errors("query"):
            try:
                with self._session(read=True) as session:
                    check_plan(session, query, params or {}, limits, self.location)
                    return session.execute_read(bounded_reader(limits), query, params or {})
            except neo4j_errors.AuthError:
                raise
            except neo4j_errors.Neo4jError as exc:
                if exc.code in ("Neo.ClientError.Statement.AccessMode", "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase"):
                    raise CypherWriteRefused(
                        f"Neo4j at {self.location} refused the query: it writes, and Cypher queries here are read-only"
                    ) from exc
                if exc.code in TIMEOUT_CODES:
                    raise CypherLimitExceeded(
                        f"the query ran longer than {limits.timeout_seconds:g} s, the time limit, and was stopped: narrow it "
                        "(or raise the limit: --cypher-timeout / $CAIRN_CYPHER_TIMEOUT)"
                    ) from exc
                raise CypherQueryError(f"Cypher query failed on {self.location}: {_reason(exc)}") from exc


def _run_write(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any], column: str | None = None) -> Any:
    result = tx.run(query, params)
    if column is None:
        result.consume()
        return None
    return result.single(strict=True)[column]


def _complete_state(tx: neo4j.ManagedTransaction, repo: str, location: str) -> neo4j.Record:
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
        node = Node(Label(_label_of(stored["_id"])), graph.repo, stored["_key"], decode_props(stored))
        graph.nodes[node.id] = node


def _add_edges(graph: RepoGraph, records: Iterable[neo4j.Record]) -> None:
    for record in records:
        edge = Edge(Rel(record["t"]), record["s"], record["d"], decode_props(record["p"]))
        graph.edges[edge.key] = edge


def _read_graph(tx: neo4j.ManagedTransaction, repo: str, location: str) -> tuple[str, RepoGraph] | None:
    """(run, graph): the complete run of ``repo``; None if what was read does not add up to it (a save switched runs)."""
    state = _complete_state(tx, repo, location)
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


def _read_part(
    tx: neo4j.ManagedTransaction, repo: str, location: str, labels: list[str], rels: list[str]
) -> tuple[str, RepoGraph] | None:
    """(run, the nodes of ``labels`` and relationships of ``rels`` of the complete run of ``repo``).

    None if the run stopped being the complete one before the read ended: its
    nodes may then have been deleted while they were read.
    """
    run = _complete_state(tx, repo, location)["run"]
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
    if _complete_state(tx, repo, location)["run"] != run:
        return None
    return run, graph


def _reason(exc: BaseException) -> str:
    """The first line of what the driver or server said, without a stack of causes."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(message).split())[:300]


__all__ = ["Neo4jStore", "encode_props", "decode_props"]

"""The Neo4j adapter: repositories stored in a Neo4j 5 database over Bolt.

``Neo4jStore`` is the ``GraphStore`` port on Neo4j; its parts live in
``graph.neo4j``: the connection (``connection``), what the database holds
(``layout``) and how property values are stored (``properties``), saving a graph
as a new run that readers are switched to whole (``writing``, ``batches``),
reading the complete run (``reading``), and answers and review records beside the
graph (``records``). ``load`` returns exactly what the embedded store returns for
the same graph.

Client Cypher (``cypher``) is vetted by ``graph.cypher_policy``, by the server's
plan and by READ access mode, and bounded by ``CypherLimits``
(``graph.neo4j_cypher``). Answers are JSON values: temporal values as ISO 8601
text, NaN and infinities as null.
"""

from __future__ import annotations

import uuid
from typing import Any, Iterable, Mapping

import neo4j

from cairn.graph.cypher_policy import CypherLimits
from cairn.graph.errors import UnknownRepository
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.neo4j import records as beside_graph
from cairn.graph.neo4j.connection import Connection, parse_uri
from cairn.graph.neo4j.layout import STATE_LABEL, ensure_schema
from cairn.graph.neo4j.properties import decode_props, encode_props
from cairn.graph.neo4j.reading import load_with, read_graph, read_part
from cairn.graph.neo4j.writing import delete_repository, save_graph
from cairn.graph.neo4j_cypher import run_client_query
from cairn.graph.store import GraphStore, Progress, RepositorySummary


class Neo4jStore(GraphStore):
    """A ``GraphStore`` in a Neo4j 5 database; one database may hold many repositories."""

    #: Rows per write transaction and concurrent writer sessions. Measured with
    #: bench/neo4j_ingest.py (366k items, 2 loaded cores): 5k-, 50k- and 400k-row
    #: relationship transactions cost the server the same CPU; one writer against two
    #: in node-disjoint rounds (``graph.neo4j.batches``) was within the noise.
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
        self._connection = Connection(uri, auth, database, self.location, connection_timeout, retry_time)
        self.database = self._connection.database
        try:
            ensure_schema(self._connection)
        except BaseException:
            self._connection.close()
            raise

    @classmethod
    def from_uri(cls, uri: str, **options: Any) -> "Neo4jStore":
        """Open the store at ``bolt://[user[:password]@]host:port`` (or ``neo4j://``…).

        Credentials in the URI win; else ``$CAIRN_NEO4J_USER``/``$CAIRN_NEO4J_PASSWORD``;
        else none (a server with authentication disabled). ``options`` go to the constructor.
        """
        plain, auth, shown = parse_uri(uri)
        return cls(plain, auth=auth, location=shown, **options)

    @property
    def _driver(self) -> neo4j.Driver:
        return self._connection.driver

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return self._connection.read(query, **params)

    def close(self) -> None:
        self._connection.close()

    # -- the graph --------------------------------------------------------------------
    def save(self, graph: RepoGraph, progress: Progress | None = None) -> None:
        run = uuid.uuid4().hex
        save_graph(
            self._connection, graph, run,
            node_batch_size=self.node_batch_size, edge_batch_size=self.edge_batch_size,
            delete_batch_size=self.delete_batch_size, writers=self.writers, progress=progress,
        )
        self._runs[graph.repo] = run

    def load(self, repo: str) -> RepoGraph:
        run, graph = load_with(self._connection, repo, read_graph)
        self._runs[repo] = run
        return graph

    def load_part(self, repo: str, labels: Iterable[Label | str] = (), rels: Iterable[Rel | str] = ()) -> RepoGraph:
        wanted_labels = sorted({Label(label).value for label in labels})
        wanted_rels = sorted({Rel(rel).value for rel in rels})
        run, graph = load_with(self._connection, repo, read_part, wanted_labels, wanted_rels)
        self._runs[repo] = run
        return graph

    def repositories(self) -> list[RepositorySummary]:
        with self._connection.errors("list the repositories in"):
            rows = self._connection.read(
                f"MATCH (s:{STATE_LABEL}) WHERE s.complete_run IS NOT NULL "
                "OPTIONAL MATCH (r:Repository {_id: 'Repository|' + s.repo, _run: s.complete_run}) "
                "RETURN s.repo AS repo, properties(r) AS props ORDER BY repo"
            )
        return [
            RepositorySummary(row["repo"], decode_props(row["props"]) if row["props"] is not None else {"repo": row["repo"]})
            for row in rows
        ]

    def delete(self, repo: str) -> None:
        self._runs.pop(repo, None)
        with self._connection.errors(f"delete {repo} from"):
            known = delete_repository(self._connection, repo, batch_size=self.delete_batch_size, writers=self.writers)
        if not known:
            raise UnknownRepository(f"repository {repo!r} is not in store {self.location}", repository=repo)

    # -- beside the graph -------------------------------------------------------------
    def save_answers(self, repo: str, answers: Mapping[str, Any]) -> None:
        beside_graph.save_answers(self._connection, repo, self._runs.get(repo), answers)

    def load_answer(self, repo: str, name: str) -> Any | None:
        return beside_graph.load_answers(self._connection, repo, [name]).get(name)

    def load_answers(self, repo: str, names: Iterable[str]) -> dict[str, Any]:
        return beside_graph.load_answers(self._connection, repo, list(dict.fromkeys(names)))

    def save_reviews(self, repo: str, records: list[dict[str, Any]]) -> None:
        beside_graph.save_reviews(self._connection, repo, records)

    def load_reviews(self, repo: str) -> list[dict[str, Any]]:
        return beside_graph.load_reviews(self._connection, repo)

    # -- client Cypher ----------------------------------------------------------------
    def cypher(self, query: str, params: dict[str, Any] | None = None, limits: CypherLimits | None = None) -> list[dict[str, Any]]:
        """Run a client's read-only ``query`` within ``limits`` (default: ``CypherLimits.from_env()``); see the module docstring."""
        return run_client_query(self._connection, query, params, limits)


__all__ = ["Neo4jStore", "encode_props", "decode_props"]

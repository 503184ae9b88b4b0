"""FastAPI dependencies: the store from app state, the repository a request names, its graph.

Who may call is decided in ``api.auth``.

Nothing here is global: ``create_app`` puts a ``ServiceState`` on
``app.state``, and every route reaches it through these dependencies, so two
apps (or two test servers) never share a store, a token or a cache.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from cairn.api.deliveries import DeliveryLog
from cairn.api.jobs import JobRegistry
from cairn.graph.cypher_policy import CypherLimits
from cairn.graph.model import RepoGraph
from cairn.graph.store import GraphStore, RepositorySummary, UnknownRepository


class ProblemError(Exception):
    """An error answered as ``application/problem+json``."""

    def __init__(self, status: int, title: str, detail: str, *, slug: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers
        self.slug = slug or title.lower().replace(" ", "-")


#: Cypher queries one server runs at once; more wait for nothing: they get a 429, and /health stays answered.
CYPHER_CONCURRENCY = 4


@dataclass
class ServiceState:
    store: GraphStore
    token: str | None
    webhook_secret: str | None
    public_read: bool = False
    cypher_limits: CypherLimits = field(default_factory=CypherLimits.from_env)
    cypher_slots: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(CYPHER_CONCURRENCY))
    deliveries: DeliveryLog = field(default_factory=DeliveryLog)
    jobs: JobRegistry = field(default_factory=JobRegistry)
    _graphs: dict[str, tuple[tuple, RepoGraph]] = field(default_factory=dict)
    _forgotten: dict[str, int] = field(default_factory=dict)  # per repository: how often its cached graph was dropped
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def graph(self, summary: RepositorySummary) -> RepoGraph:
        """The repository's graph, loaded once per ingest (keyed by its ingest time and head)."""
        version = (summary.props.get("ingested_at"), summary.props.get("head"))
        with self._lock:
            cached = self._graphs.get(summary.repo)
            generation = self._forgotten.get(summary.repo, 0)
        if cached and cached[0] == version:
            return cached[1]
        graph = self.store.load(summary.repo)
        with self._lock:
            if self._forgotten.get(summary.repo, 0) == generation:  # not a graph a writer replaced while it loaded
                self._graphs[summary.repo] = (version, graph)
        return graph

    def forget(self, repo: str) -> None:
        with self._lock:
            self._graphs.pop(repo, None)
            self._forgotten[repo] = self._forgotten.get(repo, 0) + 1


def get_state(request: Request) -> ServiceState:
    return request.app.state.cairn


State = Annotated[ServiceState, Depends(get_state)]


def get_store(state: State) -> GraphStore:
    return state.store


Store = Annotated[GraphStore, Depends(get_store)]


def resolve_repository(store: GraphStore, name: str | None) -> RepositorySummary:
    """The named repository, or the only one; never a path, never guessed from the server's directory."""
    known = store.repositories()
    if name:
        for r in known:
            if r.repo == name:
                return r
        names = ", ".join(sorted(r.repo for r in known))
        raise UnknownRepository(
            f"repository {name!r} is not in the store"
            + (f"; it holds: {names}" if names else "; it is empty: ingest a repository with `cairn ingest PATH` first")
        )
    if not known:
        raise UnknownRepository("the store holds no repository yet: ingest one with `cairn ingest PATH` first")
    if len(known) > 1:
        raise ProblemError(
            400, "Repository required",
            f"the store holds several repositories ({', '.join(sorted(r.repo for r in known))}): name one with ?repository=NAME",
            slug="repository-required",
        )
    return known[0]


RepositoryParam = Annotated[
    str | None,
    Query(max_length=300, description="A repository in the store; may be omitted when the store holds only one"),
]


def get_repository(store: Store, repository: RepositoryParam = None) -> RepositorySummary:
    return resolve_repository(store, repository)


RepositoryDep = Annotated[RepositorySummary, Depends(get_repository)]


def get_graph(state: State, summary: RepositoryDep) -> RepoGraph:
    return state.graph(summary)


Graph = Annotated[RepoGraph, Depends(get_graph)]

def lazy_import(module: str, what: str) -> Any:
    """A module from another part of Cairn, or a 501 problem when this build lacks it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            raise ProblemError(501, "Not available", f"{what} is not available in this build of Cairn ({module} is missing)",
                               slug="not-implemented") from None
        raise

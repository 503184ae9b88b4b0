"""The workspace every service works on: a store, how a repository is chosen, and the graph cache.

Choosing the repository a request is about is done here and only here:

* a name given (or the interface's default) must be in the store;
* none given: the only repository of the store;
* several and none named: the one whose checkout contains ``cwd`` when the
  interface has a working directory (the CLI), else an error that says how
  this interface names one (``--repo``, ``?repository=``, ``repository``).

A repository's graph is loaded once per ingest: the cache is keyed by the
repository's ``ingested_at`` and ``head``, so a re-ingest (by anyone) is seen
at the next request; a graph loaded while a writer replaced it is not kept.
Most reads never load it: they read an answer kept at ingest
(``services.answers``), or only the part of the graph their analysis reads
(``part``: the labels and relationship types it names, cached the same way,
or the whole graph when that is cached already).
What a service derives from a graph once and reuses (the knowledge map's
index, say) is kept beside it (``derived``) and dropped with it. The store is
opened on first use.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from cairn.api.bootstrap import is_neo4j_uri, open_store
from cairn.graph.errors import RepositoryRequired, UnknownRepository
from cairn.graph.model import Label, Rel, RepoGraph
from cairn.graph.store import GraphStore, RepositorySummary

CACHE_ENV = "CAIRN_CACHE_DIR"

T = TypeVar("T")


class Workspace:
    """A store with its repository resolution and graph cache (see the module docstring)."""

    def __init__(self, store: GraphStore | str | None, *, naming_hint: str, default_repo: str | None = None,
                 cwd: Path | None = None, label: str | None = None):
        self._opener: Callable[[], GraphStore] | None = None
        self._store: GraphStore | None = None
        if isinstance(store, GraphStore):
            self._store = store
        else:
            location = store
            self._opener = lambda: open_store(location)
        self.naming_hint = naming_hint
        self.default_repo = default_repo
        self.cwd = cwd
        self.label = label
        self._graphs: dict[str, tuple[tuple, RepoGraph, dict[str, Any]]] = {}  # repo -> (version, graph, derived)
        # repo -> (version, {(labels, rels): (part, derived)})
        self._parts: dict[str, tuple[tuple, dict[tuple, tuple[RepoGraph, dict[str, Any]]]]] = {}
        self._forgotten: dict[str, int] = {}  # per repository: how often its cached graph was dropped
        self._lock = threading.Lock()

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            assert self._opener is not None
            self._store = self._opener()
        return self._store

    def _where(self) -> str:
        return f"the store {self.label}" if self.label else "the store"

    def repository(self, name: str | None = None) -> RepositorySummary:
        """The repository a request is about (see the module docstring)."""
        known = self.store.repositories()
        names = sorted(r.repo for r in known)
        name = name or self.default_repo
        if name:
            for r in known:
                if r.repo == name:
                    return r
            raise UnknownRepository(
                f"repository {name!r} is not in {self._where()}"
                + (f" (it holds: {', '.join(names)})" if names else " (it is empty: run `cairn ingest PATH` first)"),
                repository=name, known=names,
            )
        if not known:
            raise UnknownRepository(f"{self._where()} holds no repository yet: run `cairn ingest PATH` first")
        if len(known) == 1:
            return known[0]
        if self.cwd is not None:
            here = self.cwd.resolve()
            for r in known:
                root = r.props.get("path")
                if root and (here == Path(root) or Path(root) in here.parents):
                    return r
        raise RepositoryRequired(f"{self._where()} holds several repositories ({', '.join(names)}): {self.naming_hint}",
                                 known=names)

    def graph(self, name: str | None = None) -> RepoGraph:
        """The stored graph of the repository, loaded once per ingest."""
        summary = self.repository(name)
        return self.graph_of(summary)

    def graph_of(self, summary: RepositorySummary) -> RepoGraph:
        version = (summary.props.get("ingested_at"), summary.props.get("head"))
        with self._lock:
            cached = self._graphs.get(summary.repo)
            generation = self._forgotten.get(summary.repo, 0)
        if cached and cached[0] == version:
            return cached[1]
        graph = self.store.load(summary.repo)
        with self._lock:
            if self._forgotten.get(summary.repo, 0) == generation:  # not a graph a writer replaced while it loaded
                self._graphs[summary.repo] = (version, graph, {})
        return graph

    def part(self, summary: RepositorySummary, labels: Iterable[Label], rels: Iterable[Rel] = ()) -> RepoGraph:
        """The nodes of ``labels`` and relationships of ``rels`` of the stored graph (``GraphStore.load_part``).

        The whole graph when it is cached (an analysis reading only those finds the same there);
        else read once per ingest, as ``graph_of`` does.
        """
        version = (summary.props.get("ingested_at"), summary.props.get("head"))
        shape = (frozenset(Label(label) for label in labels), frozenset(Rel(rel) for rel in rels))
        with self._lock:
            cached = self._graphs.get(summary.repo)
            if cached and cached[0] == version:
                return cached[1]
            parts = self._parts.get(summary.repo)
            if parts and parts[0] == version and shape in parts[1]:
                return parts[1][shape][0]
            generation = self._forgotten.get(summary.repo, 0)
        part = self.store.load_part(summary.repo, sorted(shape[0]), sorted(shape[1]))
        with self._lock:
            if self._forgotten.get(summary.repo, 0) == generation:  # not a graph a writer replaced while it loaded
                parts = self._parts.get(summary.repo)
                if not parts or parts[0] != version:
                    parts = self._parts[summary.repo] = (version, {})
                parts[1][shape] = (part, {})
        return part

    def derived(self, graph: RepoGraph, what: str, build: Callable[[RepoGraph], T]) -> T:
        """``build(graph)``, computed once per cached graph (or part) and kept as long as it is cached.

        ``what`` names the derived value; a graph that is not (or no longer) a cached one is built from anew.
        """
        with self._lock:
            cached = self._graphs.get(graph.repo)
            store = cached[2] if cached is not None and cached[1] is graph else None
            if store is None:
                parts = self._parts.get(graph.repo)
                store = next((kept for part, kept in parts[1].values() if part is graph), None) if parts else None
            if store is not None and what in store:
                return store[what]
        value = build(graph)
        if store is not None:
            with self._lock:
                store.setdefault(what, value)
        return value

    def forget(self, repo: str) -> None:
        """Drop a repository's cached graph (after a write), and any load of it that was under way."""
        with self._lock:
            self._graphs.pop(repo, None)
            self._parts.pop(repo, None)
            self._forgotten[repo] = self._forgotten.get(repo, 0) + 1

    @property
    def cache_dir(self) -> Path:
        return cache_dir_for(self.store)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cache_dir_for(store: GraphStore) -> Path:
    """The parse cache: ``$CAIRN_CACHE_DIR``, else inside an embedded store, else the user cache."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    if not is_neo4j_uri(store.location):
        return Path(store.location) / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cairn"

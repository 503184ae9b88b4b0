"""The port: the ``GraphStore`` interface, and how a store is chosen from a location.

Analyses never know which adapter they run on. They ask a store for a
repository's whole graph (``load``) or only the labels and relationship types
they read (``load_part``) and compute on it in Python; ingest hands a store a
freshly built graph (``save``), which replaces that repository's previous graph
as a whole and leaves every other repository untouched.

Derived answers (truck factors, knowledge holders, findings, component lists…)
can be computed once, at ingest, and kept beside the graph they were computed
from (``save_answers``); a query then reads one answer (``load_answer``) instead
of the graph. An answer belongs to one saved version of the graph: a later
``save`` of that repository makes it unreadable, so a stale answer is never read.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from cairn.graph.model import Label, Rel, RepoGraph

DEFAULT_STORE = ".cairn"
STORE_ENV = "CAIRN_STORE"

#: ``progress(done, total)`` callbacks let long writes drive a progress bar.
Progress = Callable[[int, int], None]


class StoreError(Exception):
    """A store cannot be opened, read or written; the message is for a person."""


class UnknownRepository(StoreError):
    pass


class CypherNotSupported(StoreError):
    pass


@dataclass(frozen=True)
class RepositorySummary:
    repo: str
    props: dict[str, Any]


class GraphStore(ABC):
    """Where graphs live. One instance may hold many repositories."""

    location: str

    @abstractmethod
    def save(self, graph: RepoGraph, progress: Progress | None = None) -> None:
        """Replace everything stored for ``graph.repo`` with ``graph``.

        Either the new graph is stored whole, or the previous one is still
        there: readers never see a half-written repository.
        """

    @abstractmethod
    def load(self, repo: str) -> RepoGraph:
        """The stored graph of ``repo``; ``UnknownRepository`` if there is none."""

    @abstractmethod
    def repositories(self) -> list[RepositorySummary]:
        """Every repository in the store, with its Repository node's properties."""

    @abstractmethod
    def delete(self, repo: str) -> None:
        """Remove a repository and everything of it."""

    @abstractmethod
    def save_reviews(self, repo: str, records: list[dict[str, Any]]) -> None:
        """Replace the review records kept for ``repo`` (see ``ingest.reviews``).

        They live beside the graph, not in it, so a re-ingest (which replaces
        the graph) applies them again instead of losing them.
        """

    @abstractmethod
    def load_reviews(self, repo: str) -> list[dict[str, Any]]:
        """The review records kept for ``repo``; empty when there are none."""

    # Partial reads and derived answers ------------------------------------------
    # The defaults work from ``load`` (and keep no answers), so an adapter that
    # does not implement them natively still gives the right results.
    def load_part(self, repo: str, labels: Iterable[Label | str] = (), rels: Iterable[Rel | str] = ()) -> RepoGraph:
        """Only the nodes with one of ``labels`` and the relationships of one of the types ``rels``.

        A relationship whose end is not among the nodes read is still returned:
        its ``source``/``target`` ids name the end's label and key. Readers see
        one saved version, as with ``load``; ``UnknownRepository`` if there is none.
        """
        wanted_labels = {Label(label) for label in labels}
        wanted_rels = {Rel(rel) for rel in rels}
        whole = self.load(repo)
        part = RepoGraph(whole.repo)
        part.nodes = {nid: node for nid, node in whole.nodes.items() if node.label in wanted_labels}
        part.edges = {key: edge for key, edge in whole.edges.items() if edge.type in wanted_rels}
        return part

    def save_answers(self, repo: str, answers: Mapping[str, Any]) -> None:
        """Keep derived ``answers`` (name -> JSON-able value) for the stored graph of ``repo``.

        They describe the version of the graph this store instance last saved or
        loaded for ``repo`` (else the stored one): if another save replaced it
        meanwhile, they are never read. Names not given keep their answers.
        This default keeps nothing, so ``load_answer`` says None and callers
        compute from the graph.
        """

    def load_answer(self, repo: str, name: str) -> Any | None:
        """The answer ``name`` kept for the stored graph of ``repo``; None when there is none (compute it)."""
        return None

    def cypher(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only Cypher query. Only the Neo4j store can."""
        raise CypherNotSupported(
            f"Cypher queries need a Neo4j store (bolt:// or neo4j:// URI); {self.location} is an embedded store"
        )

    def close(self) -> None:
        pass

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Convenience shared by both adapters --------------------------------------
    def resolve_repo(self, repo: str | None, cwd: Path | None = None) -> str:
        """Pick the repository a command is about.

        An explicit name wins; else the only repository in the store; else the
        repository whose checkout contains ``cwd``.
        """
        known = self.repositories()
        names = [r.repo for r in known]
        if repo:
            if repo in names:
                return repo
            raise UnknownRepository(
                f"repository {repo!r} is not in store {self.location}"
                + (f" (it holds: {', '.join(sorted(names))})" if names else " (it is empty: run `cairn ingest PATH` first)")
            )
        if not names:
            raise UnknownRepository(f"store {self.location} holds no repository yet: run `cairn ingest PATH` first")
        if len(names) == 1:
            return names[0]
        here = (cwd or Path.cwd()).resolve()
        for r in known:
            root = r.props.get("path")
            if root and (here == Path(root) or Path(root) in here.parents):
                return r.repo
        raise UnknownRepository(
            f"store {self.location} holds several repositories ({', '.join(sorted(names))}): choose one with --repo"
        )


def is_neo4j_uri(location: str) -> bool:
    return location.split("://", 1)[0] in {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"} and "://" in location


def store_location(explicit: str | None = None) -> str:
    """``--store`` if given, else ``$CAIRN_STORE``, else ``.cairn`` in the current directory."""
    return explicit or os.environ.get(STORE_ENV) or DEFAULT_STORE


def open_store(location: str | None = None) -> GraphStore:
    """Open the store at ``location``: a Neo4j URI or an embedded (SQLite) store directory."""
    location = store_location(location)
    if is_neo4j_uri(location):
        from cairn.graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_uri(location)
    from cairn.graph.sqlite_store import SqliteStore

    return SqliteStore(Path(location))

"""The port: the ``GraphStore`` interface, and how a store is chosen from a location.

Analyses never know which adapter they run on. They ask a store for a
repository's whole graph (``load``) and compute on it in Python; ingest hands a
store a freshly built graph (``save``), which replaces that repository's previous
graph as a whole and leaves every other repository untouched.

Whoever loads a repository, changes it and saves it back holds the repository's
``writer_lock`` across all three, so two writers never undo each other (a review
saving the graph it loaded before an ingest finished would revert that ingest).
The lock is process-wide (every store object on the same location shares it) and
re-entrant; the embedded store adds a file lock so other processes wait too.
"""

from __future__ import annotations

import contextlib
import os
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Iterator

from cairn.graph.model import RepoGraph

if TYPE_CHECKING:
    from cairn.graph.cypher_policy import CypherLimits

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

    def cypher(self, query: str, params: dict[str, Any] | None = None, limits: "CypherLimits | None" = None) -> list[dict[str, Any]]:
        """Run a read-only Cypher query within ``limits`` (see ``graph.cypher_policy``). Only the Neo4j store can."""
        raise CypherNotSupported(
            f"Cypher queries need a Neo4j store (bolt:// or neo4j:// URI); {self.location} is an embedded store"
        )

    def close(self) -> None:
        pass

    @contextlib.contextmanager
    def writer_lock(self, repo: str) -> Iterator[None]:
        """Hold ``repo``'s one writer lock: every load-modify-save of the repository runs inside it (re-entrant)."""
        entry = _writer_lock(self._lock_location(), repo)
        with entry.lock:
            entry.depth += 1
            try:
                if entry.depth == 1:
                    with self._other_processes_lock(repo):
                        yield
                else:
                    yield
            finally:
                entry.depth -= 1

    def _lock_location(self) -> str:
        return self.location if is_neo4j_uri(self.location) else os.path.abspath(self.location)

    def _other_processes_lock(self, repo: str) -> ContextManager[None]:
        """What makes other processes wait for ``repo``'s writer lock; nothing unless the adapter can."""
        return contextlib.nullcontext()

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


class _WriterLockEntry:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.depth = 0  # changed only by the thread holding ``lock``


_WRITER_LOCKS: dict[tuple[str, str], _WriterLockEntry] = {}
_WRITER_LOCKS_GUARD = threading.Lock()


def _writer_lock(location: str, repo: str) -> _WriterLockEntry:
    with _WRITER_LOCKS_GUARD:
        return _WRITER_LOCKS.setdefault((location, repo), _WriterLockEntry())


def is_neo4j_uri(location: str) -> bool:
    return location.split("://", 1)[0] in {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"} and "://" in location


def store_location(explicit: str | None = None) -> str:
    """``--store`` if given, else ``$CAIRN_STORE``, else ``.cairn`` in the current directory."""
    return explicit or os.environ.get(STORE_ENV) or DEFAULT_STORE


def open_store(location: str | None = None) -> GraphStore:
    """Open the store at ``location``: a Neo4j URI or an embedded store directory."""
    location = store_location(location)
    if is_neo4j_uri(location):
        from cairn.graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_uri(location)
    from cairn.graph.embedded import EmbeddedStore

    return EmbeddedStore(Path(location))

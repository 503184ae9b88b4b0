"""The embedded adapter: graphs persisted as files under a store directory.

Layout of a store directory (default ``.cairn/``)::

    store.json            index: repository name -> graph file, summary properties
    graphs/<slug>.json    one repository's whole graph
    reviews/<slug>.json   review records kept for a repository across ingests
    locks/<slug>.lock     the repository's writer lock, across processes (``GraphStore.writer_lock``)
    cache/                ingest's parse cache (owned by ingest, not by this module)
    .gitignore            ``*``: a store inside a checkout never shows in its ``git status``

The ``.gitignore`` is written when the store directory is created, as pytest
does for ``.pytest_cache``, and added to an existing store that lacks one
when it is opened or written (a read-only store is left as it is).

Every write goes through ``graph.atomic.write_atomic`` (a temporary file in the
same directory, fsynced, renamed over the old file; temporaries a killed writer
left are removed by the next write), and the index is replaced the same way
afterwards: a crash at any point leaves the previous version readable, and
readers never see a half-written graph. Writers take an exclusive ``flock`` on
``.lock`` for the moment of a write, and the repository's writer lock for a
whole load-modify-save.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import re
from pathlib import Path
from typing import Any, Iterator

from cairn.graph.atomic import write_atomic
from cairn.graph.errors import StoreError, UnknownRepository
from cairn.graph.model import Edge, Label, Node, Rel, RepoGraph
from cairn.graph.store import GraphStore, Progress, RepositorySummary
from cairn.graph.values import json_default

FORMAT_VERSION = 1
GITIGNORE = b"# Created by Cairn automatically: the store is not part of the repository.\n*\n"


def _slug(repo: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", repo)[:60].strip("._") or "repo"
    return f"{readable}-{hashlib.sha1(repo.encode()).hexdigest()[:10]}"


class EmbeddedStore(GraphStore):
    def __init__(self, root: Path):
        self.root = Path(root)
        self.location = str(self.root)
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"store {self.root} is a file, not a directory")
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

    # -- internals ------------------------------------------------------------
    @property
    def _index_path(self) -> Path:
        return self.root / "store.json"

    def _read_index(self) -> dict[str, Any]:
        try:
            raw = self._index_path.read_bytes()
        except FileNotFoundError:
            return {"format": FORMAT_VERSION, "repositories": {}}
        try:
            index = json.loads(raw)
        except ValueError as exc:
            raise StoreError(f"store index {self._index_path} is unreadable ({exc}); re-ingest to rebuild it") from exc
        if index.get("format") != FORMAT_VERSION:
            raise StoreError(
                f"store {self.root} was written by an incompatible Cairn (format {index.get('format')}); re-ingest into a new store"
            )
        return index

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        self._ignore_in_git()
        with open(self.root / ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _lock_location(self) -> str:
        return str(self.root.resolve())

    @contextlib.contextmanager
    def _other_processes_lock(self, repo: str) -> Iterator[None]:
        path = self.root / "locks" / f"{_slug(repo)}.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # -- GraphStore -----------------------------------------------------------
    def save(self, graph: RepoGraph, progress: Progress | None = None) -> None:
        total = len(graph)
        payload = {
            "format": FORMAT_VERSION,
            "repo": graph.repo,
            "nodes": [[n.label.value, n.key, n.props] for n in graph.nodes.values()],
            "edges": [[e.type.value, e.source, e.target, e.props] for e in graph.edges.values()],
        }
        try:
            data = json.dumps(payload, separators=(",", ":"), default=json_default).encode()
        except (TypeError, ValueError) as exc:  # a programming error, but say what failed
            raise StoreError(f"cannot serialise the graph of {graph.repo}: {exc}") from exc
        with self._locked():
            index = self._read_index()
            filename = f"graphs/{_slug(graph.repo)}.json"
            write_atomic(self.root / filename, data)
            repo_node = graph.repository
            index["repositories"][graph.repo] = {
                "file": filename,
                "props": dict(repo_node.props) if repo_node else {"repo": graph.repo},
            }
            write_atomic(self._index_path, json.dumps(index, indent=1, default=json_default).encode())
        if progress:
            progress(total, total)

    def load(self, repo: str) -> RepoGraph:
        entry = self._read_index()["repositories"].get(repo)
        if entry is None:
            raise UnknownRepository(f"repository {repo!r} is not in store {self.root}", repository=repo)
        path = self.root / entry["file"]
        try:
            payload = json.loads(path.read_bytes())
        except FileNotFoundError as exc:
            raise StoreError(f"graph file {path} is missing; re-ingest {repo}") from exc
        except ValueError as exc:
            raise StoreError(f"graph file {path} is unreadable ({exc}); re-ingest {repo}") from exc
        graph = RepoGraph(payload["repo"])
        for label, key, props in payload["nodes"]:
            node = Node(Label(label), repo, key, props)
            graph.nodes[node.id] = node
        for type_, source, target, props in payload["edges"]:
            edge = Edge(Rel(type_), source, target, props)
            graph.edges[edge.key] = edge
        return graph

    def repositories(self) -> list[RepositorySummary]:
        index = self._read_index()
        return [RepositorySummary(name, dict(entry.get("props", {}))) for name, entry in sorted(index["repositories"].items())]

    def save_reviews(self, repo: str, records: list[dict[str, Any]]) -> None:
        with self._locked():
            write_atomic(self.root / "reviews" / f"{_slug(repo)}.json",
                               json.dumps({"format": FORMAT_VERSION, "repo": repo, "records": records}, default=json_default).encode())

    def load_reviews(self, repo: str) -> list[dict[str, Any]]:
        path = self.root / "reviews" / f"{_slug(repo)}.json"
        try:
            payload = json.loads(path.read_bytes())
        except FileNotFoundError:
            return []
        except ValueError as exc:
            raise StoreError(f"review records {path} are unreadable ({exc})") from exc
        return list(payload.get("records") or [])

    def delete(self, repo: str) -> None:
        with self._locked():
            index = self._read_index()
            entry = index["repositories"].pop(repo, None)
            if entry is None:
                raise UnknownRepository(f"repository {repo!r} is not in store {self.root}", repository=repo)
            write_atomic(self._index_path, json.dumps(index, indent=1).encode())
            with contextlib.suppress(FileNotFoundError):
                (self.root / entry["file"]).unlink()
            with contextlib.suppress(FileNotFoundError):
                (self.root / "reviews" / f"{_slug(repo)}.json").unlink()

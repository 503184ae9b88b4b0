"""Reading a store directory written by the JSON store of earlier Cairn versions, to migrate it.

That store (format 1) kept, under the store directory::

    store.json            index: repository name -> graph file, summary properties
    graphs/<slug>.json    one repository's whole graph: {"nodes": [[label, key, props]…],
                          "edges": [[type, source id, target id, props]…]}
    reviews/<slug>.json   review records kept for a repository: {"repo": …, "records": […]}
    .lock                 its writers' lock file

``graph.sqlite_store`` reads it once, in the transaction that creates the
database, and then removes these files (``remove_legacy_files``). Anything it
cannot read is a ``StoreError`` telling to re-ingest.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any, Iterator

from cairn.graph.model import Edge, Label, Node, Rel, RepoGraph
from cairn.graph.errors import StoreError

INDEX = "store.json"
FORMAT_VERSION = 1


def has_legacy_store(root: Path) -> bool:
    return (Path(root) / INDEX).is_file()


def _refuse(root: Path, what: str) -> StoreError:
    return StoreError(
        f"cannot migrate the JSON store in {root} to SQLite: {what}; "
        f"move {root} away and re-ingest with `cairn ingest PATH`"
    )


def _read_json(root: Path, path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        raise _refuse(root, f"{path} is missing") from None
    except (OSError, ValueError) as exc:
        raise _refuse(root, f"{path} is unreadable ({exc})") from None


def legacy_index(root: Path) -> dict[str, Any]:
    """The index: repository name -> {"file": …, "props": …}."""
    root = Path(root)
    index = _read_json(root, root / INDEX)
    if not isinstance(index, dict) or index.get("format") != FORMAT_VERSION:
        raise _refuse(root, f"{root / INDEX} has an unknown format ({index.get('format') if isinstance(index, dict) else 'not an object'})")
    return dict(index.get("repositories") or {})


def legacy_graphs(root: Path) -> Iterator[RepoGraph]:
    """Every repository's graph, one at a time."""
    root = Path(root)
    for repo, entry in sorted(legacy_index(root).items()):
        payload = _read_json(root, root / entry["file"])
        try:
            graph = RepoGraph(payload["repo"])
            for label, key, props in payload["nodes"]:
                node = Node(Label(label), graph.repo, key, props)
                graph.nodes[node.id] = node
            for type_, source, target, props in payload["edges"]:
                edge = Edge(Rel(type_), source, target, props)
                graph.edges[edge.key] = edge
        except (KeyError, TypeError, ValueError) as exc:
            raise _refuse(root, f"the graph of {repo!r} in {entry['file']} is malformed ({exc!r})") from None
        yield graph


def legacy_reviews(root: Path) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(repository, review records) for every review file."""
    root = Path(root)
    folder = root / "reviews"
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.json")):
        payload = _read_json(root, path)
        if not isinstance(payload, dict) or not isinstance(payload.get("repo"), str):
            raise _refuse(root, f"{path} is malformed")
        yield payload["repo"], list(payload.get("records") or [])


def remove_legacy_files(root: Path) -> None:
    """Delete what the JSON store left (the index last, so an interrupted removal is finished next time)."""
    import shutil  # here, not above: only a migration removes files, and every command that opens a store imports this module

    root = Path(root)
    for folder in ("graphs", "reviews"):
        shutil.rmtree(root / folder, ignore_errors=True)
    for name in (".lock", INDEX):
        with contextlib.suppress(FileNotFoundError):
            (root / name).unlink()

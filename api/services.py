"""Use cases shared by the CLI, the HTTP API and the agent tools.

``ingest_into_store`` is the one way a repository gets into a store: ingest it,
compute the derived results the analyses store as properties, save it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from graph.model import RepoGraph
from graph.store import GraphStore, is_neo4j_uri
from ingest.config import CairnConfig
from ingest.pipeline import IngestResult, ingest_repository


def cache_dir_for(store: GraphStore) -> Path:
    """The parse cache: ``$CAIRN_CACHE_DIR``, else inside an embedded store, else the user cache."""
    explicit = os.environ.get("CAIRN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if not is_neo4j_uri(store.location):
        return Path(store.location) / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cairn"


def annotate_derived(result: IngestResult) -> None:
    """Store derived results (bus factor per component) on the graph before it is saved."""
    try:
        from queries.ownership import annotate_bus_factor
    except ImportError:
        return
    annotate_bus_factor(result.graph)


def ingest_into_store(
    store: GraphStore,
    root: Path,
    *,
    config: CairnConfig | None = None,
    config_file: Path | None = None,
    repo_name: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> IngestResult:
    result = ingest_repository(
        root, config, repo_name=repo_name, cache_dir=cache_dir_for(store), progress=progress, config_file=config_file
    )
    annotate_derived(result)
    if progress:
        progress("saving", 0, 1)
    store.save(result.graph, progress=(lambda d, t: progress("saving", d, t)) if progress else None)
    return result


def graph_for_checkout(store: GraphStore, root: Path) -> "RepoGraph":
    """The stored graph of the repository checked out at ``root``.

    When the store does not know that checkout yet, it is ingested first (and
    saved), so a CI job can run ``cairn pr-check`` without a separate ingest step.
    """
    root = Path(root).resolve()
    for summary in store.repositories():
        if summary.props.get("path") and Path(summary.props["path"]) == root:
            return store.load(summary.repo)
    return ingest_into_store(store, root).graph

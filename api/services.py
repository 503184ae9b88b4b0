"""Use cases shared by the CLI, the HTTP API and the agent tools.

``ingest_into_store`` is the one way a repository gets into a store: ingest it,
compute the derived results the analyses store as properties, save it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from cairn.graph.model import RepoGraph
from cairn.graph.store import GraphStore, is_neo4j_uri
from cairn.ingest.config import CairnConfig
from cairn.ingest.gcpause import gc_paused
from cairn.ingest.pipeline import IngestResult, ingest_repository
from cairn.ingest.reviews import add_review_records, record_key
from cairn.queries.ownership import annotate_bus_factor
from cairn.queries.trends import annotate_trends


def cache_dir_for(store: GraphStore) -> Path:
    """The parse cache: ``$CAIRN_CACHE_DIR``, else inside an embedded store, else the user cache."""
    explicit = os.environ.get("CAIRN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if not is_neo4j_uri(store.location):
        return Path(store.location) / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cairn"


def annotate_derived(result: IngestResult) -> None:
    """Store derived results (bus factor per component, trends) on the graph before it is saved."""
    annotate_bus_factor(result.graph)
    if result.trends is not None:
        with gc_paused():  # the knowledge replay allocates much and frees nothing cyclic (ingest.gcpause)
            annotate_trends(result.graph, result.trends)


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
    reviews = store.load_reviews(result.graph.repo)
    if reviews:
        result.summary.notes.extend(add_review_records(result.graph, reviews))
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


def add_reviews(store: GraphStore, repo: str, records: list[dict]) -> dict:
    """Keep new review records for ``repo`` and apply them to its stored graph at once.

    Records already kept (same reviewer, pull request, files and time) are not
    counted twice, so a forge may resend them.
    """
    kept = store.load_reviews(repo)
    known = {record_key(r) for r in kept}
    new = [r for r in records if record_key(r) not in known and not known.add(record_key(r))]
    if new:
        graph = store.load(repo)
        notes = add_review_records(graph, new)
        annotate_bus_factor(graph)
        store.save_reviews(repo, kept + new)
        store.save(graph)
    else:
        notes = []
    return {"repository": repo, "accepted": len(new), "duplicates": len(records) - len(new), "total": len(kept) + len(new), "notes": notes}

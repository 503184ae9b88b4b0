"""Getting repositories into a store: ingest a checkout, and keep review records from the forge.

``ingest_into_store`` is the one way a repository gets into a store: ingest
it, apply the review records kept for it, compute the derived results the
analyses store as properties (bus factor, the trend periods), save it.

Every load-modify-save of a repository holds its ``GraphStore.writer_lock``:
the ingest reads the kept review records, applies them and saves under it (the
long reading of the checkout happens before, unlocked), and ``add_reviews``
loads, applies and saves under it, so neither undoes the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from cairn.api.services.answers import store_answers
from cairn.api.services.changes_over_time import annotate_trends
from cairn.api.services.workspace import Workspace, cache_dir_for
from cairn.graph.model import RepoGraph
from cairn.graph.store import GraphStore
from cairn.ingest.config import CairnConfig
from cairn.ingest.pipeline import IngestResult, ingest_repository
from cairn.ingest.reviews import add_review_records, record_key
from cairn.queries.ownership import annotate_bus_factor

#: ``progress(stage, done, total)``
StageProgress = Callable[[str, int, int], None]


def ingest_into_store(
    store: GraphStore,
    root: Path,
    *,
    config: CairnConfig | None = None,
    config_file: Path | None = None,
    repo_name: str | None = None,
    progress: StageProgress | None = None,
) -> IngestResult:
    result = ingest_repository(
        root, config, repo_name=repo_name, cache_dir=cache_dir_for(store), progress=progress, config_file=config_file
    )
    with store.writer_lock(result.graph.repo):
        reviews = store.load_reviews(result.graph.repo)
        if reviews:
            result.summary.notes.extend(add_review_records(result.graph, reviews))
        annotate_bus_factor(result.graph)
        annotate_trends(result.graph, result.trends)
        if progress:
            progress("saving", 0, 1)
        store.save(result.graph, progress=(lambda d, t: progress("saving", d, t)) if progress else None)
        store_answers(store, result.graph)
    return result


def ingest(ws: Workspace, root: Path, *, config_file: Path | None = None, repo_name: str | None = None,
           progress: StageProgress | None = None) -> IngestResult:
    result = ingest_into_store(ws.store, root, config_file=config_file, repo_name=repo_name, progress=progress)
    ws.forget(result.graph.repo)
    return result


def graph_for_checkout(ws: Workspace, root: Path) -> RepoGraph:
    """The stored graph of the repository checked out at ``root``.

    When the store does not know that checkout yet, it is ingested first (and
    saved), so a CI job can run ``cairn pr-check`` without a separate ingest step.
    """
    root = Path(root).resolve()
    for summary in ws.store.repositories():
        if summary.props.get("path") and Path(summary.props["path"]) == root:
            return ws.graph_of(summary)
    return ingest(ws, root).graph


def add_reviews(ws: Workspace, repo: str | None, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Keep new review records for ``repo`` and apply them to its stored graph at once.

    Records already kept (same reviewer, pull request, files and time) are not
    counted twice, so a forge may resend them.
    """
    name = ws.repository(repo).repo
    store = ws.store
    notes: list[str] = []
    with store.writer_lock(name):
        kept = store.load_reviews(name)
        known = {record_key(r) for r in kept}
        new = [r for r in records if record_key(r) not in known and not known.add(record_key(r))]
        if new:
            graph = store.load(name)
            notes = add_review_records(graph, new)
            annotate_bus_factor(graph)
            store.save_reviews(name, kept + new)
            store.save(graph)
            store_answers(store, graph)
            ws.forget(name)
    return {"repository": name, "accepted": len(new), "duplicates": len(records) - len(new), "total": len(kept) + len(new), "notes": notes}

"""``POST /pr-checks``: the PR check on refs of a registered checkout, or on a diff with post-change files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter

from cairn.api.deps import ProblemError, State, lazy_import, resolve_repository
from cairn.api.routers._problems import problems
from cairn.api.schemas import PRCheckReport, PRCheckRequest
from cairn.graph.model import RepoGraph
from cairn.graph.store import RepositorySummary

router = APIRouter(tags=["pull requests"])


def checkout_of(summary: RepositorySummary) -> Path:
    root = summary.props.get("path")
    if not root or not Path(root).is_dir():
        raise ProblemError(422, "Checkout missing",
                           f"the checkout of {summary.repo} recorded at ingest ({root or 'no path'}) is not a directory any more; re-ingest it",
                           slug="checkout-missing")
    return Path(root)


def run_check_refs(state: State, summary: RepositorySummary, graph: RepoGraph, base: str, head: str, description: str | None,
                   author: str | None = None) -> dict[str, Any]:
    from cairn.api.services import cache_dir_for

    pr_check = lazy_import("cairn.queries.pr_check", "the PR check")
    try:
        return pr_check.check_refs(graph, checkout_of(summary), base, head, description=description,
                                   cache_dir=cache_dir_for(state.store), author=author)
    except pr_check.PRCheckError as exc:
        raise ProblemError(422, "Invalid change", str(exc), slug="invalid-change") from None


@router.post("/pr-checks", response_model=PRCheckReport, responses=problems(400, 404, 422, 501, 503))
def pr_check(state: State, request: PRCheckRequest) -> dict[str, Any]:
    """What a change introduces (new edges, new violations, new couplings and cycles), the knowledge risk it touches,
    whether an agent wrote it, and who should review it. The same JSON as `cairn pr-check --format json`.

    Refs are resolved in the checkout registered for the repository at ingest; a diff is applied to the commit
    the repository was ingested at, with `files` giving the post-change contents of each added or modified file.
    """
    from cairn.api.services import cache_dir_for

    summary = resolve_repository(state.store, request.repository)
    graph = state.graph(summary)
    if request.diff is None:
        return run_check_refs(state, summary, graph, request.base, request.head, request.description, request.author)
    pr = lazy_import("cairn.queries.pr_check", "the PR check")
    try:
        return pr.check_diff(graph, request.diff, request.files, author=request.author, description=request.description,
                             cache_dir=cache_dir_for(state.store))
    except pr.PRCheckError as exc:
        raise ProblemError(422, "Invalid change", str(exc), slug="invalid-change") from None

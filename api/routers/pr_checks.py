"""``POST /pr-checks``: the PR check on refs of a registered checkout, or on a diff with post-change files."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from cairn.api.deps import WorkspaceDep
from cairn.api.routers._problems import problems
from cairn.api.schemas import PRCheckReport, PRCheckRequest
from cairn.api.services.changes import pr_check_diff, pr_check_refs

router = APIRouter(tags=["pull requests"])


@router.post("/pr-checks", response_model=PRCheckReport, responses=problems(400, 404, 422, 503))
def pr_check(ws: WorkspaceDep, request: PRCheckRequest) -> dict[str, Any]:
    """What a change introduces (new edges, new violations, new couplings and cycles) and the component dependencies and
    cycles it removes, the knowledge risk it touches,
    whether an agent wrote it, and who should review it. The same JSON as `cairn pr-check --format json`.

    Refs are resolved in the checkout registered for the repository at ingest; a diff is applied to the commit
    the repository was ingested at, with `files` giving the post-change contents of each added or modified file.
    """
    if request.diff is None:
        assert request.base is not None and request.head is not None  # the request model requires both
        report = pr_check_refs(ws, request.repository, request.base, request.head, description=request.description,
                               author=request.author)
    else:
        report = pr_check_diff(ws, request.repository, request.diff, request.files, description=request.description,
                               author=request.author)
    return report.to_json()

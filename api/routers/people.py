"""People: everyone Cairn resolved in a repository's history, the identities merged into each, likely duplicates."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path as PathParam

from cairn.api.deps import WorkspaceDep
from cairn.api.routers._problems import READ
from cairn.api.services import reads

router = APIRouter(tags=["people"])


@router.get("/repositories/{name}/people", response_model=dict[str, Any], responses=READ)
def list_people(ws: WorkspaceDep, name: Annotated[str, PathParam(max_length=300)]) -> dict[str, Any]:
    """Every person with kind (human, bot, agent), names, e-mails, logins, commits and last activity, and the
    pairs that look like one person but were not merged. The same JSON as `cairn people --format json`."""
    return reads.people(ws, name)

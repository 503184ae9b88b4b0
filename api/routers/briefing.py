"""Before a change: who knows a path, and the briefing on some paths or a component."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path as PathParam, Query

from cairn.api.deps import WorkspaceDep
from cairn.api.routers._problems import READ
from cairn.api.schemas import Briefing, WhoKnows
from cairn.api.services import reads

router = APIRouter(tags=["briefing"])

RepositoryPath = Annotated[str, PathParam(max_length=300, description="A repository in the store")]
Paths = Annotated[list[str], Query(alias="path", max_length=20,
                                   description="A file or directory, repository-relative (`.` is the whole repository); repeatable")]
Limit = Annotated[int, Query(ge=1, le=200, description="Rows per list")]


@router.get("/repositories/{repository}/who-knows", response_model=WhoKnows, responses=READ)
def who_knows(ws: WorkspaceDep, repository: RepositoryPath, paths: Paths = [], limit: Limit = 5) -> dict[str, Any]:
    """Per path: the people who know it (active or gone, with their share of its files), its CODEOWNERS, its component."""
    return reads.who_knows(ws, repository, paths, limit=limit)


@router.get("/repositories/{repository}/briefing", response_model=Briefing, responses=READ)
def briefing(ws: WorkspaceDep, repository: RepositoryPath, paths: Paths = [],
             component: Annotated[str | None, Query(max_length=300, description="A component, instead of paths")] = None,
             limit: Limit = 5,
             full_text: Annotated[bool, Query(description="The whole text of the repository's agent instructions, not an excerpt")] = False,
             ) -> dict[str, Any]:
    """What to know before changing some files or a component: components, rules and their decisions, whom to ask,
    what usually changes with them, recent agent activity, and the repository's own instructions to agents."""
    return reads.briefing(ws, repository, paths=paths, component=component, limit=limit, full_text=full_text)

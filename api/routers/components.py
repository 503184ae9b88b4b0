"""Components: the list with their knowledge risk, every component at a glance, the component card, and the bus
factor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path as PathParam, Query

from cairn.api.deps import RepositoryParam, WorkspaceDep
from cairn.api.routers._problems import READ
from cairn.api.schemas import ComponentCard, ComponentOverview, ComponentSummary
from cairn.api.services import reads

router = APIRouter(tags=["components"])


@router.get("/components", response_model=list[ComponentSummary], responses=READ)
def list_components(ws: WorkspaceDep, repository: RepositoryParam = None) -> list[dict[str, Any]]:
    """Every component with its module count, truck factor and whether its knowledge is at risk."""
    return reads.components(ws, repository)["components"]


@router.get("/overview", response_model=ComponentOverview, responses=READ)
def components_at_a_glance(ws: WorkspaceDep, repository: RepositoryParam = None) -> dict[str, Any]:
    """Every component at a glance, for a newcomer (as `cairn explore` without a component): what its card says it is
    for, its truck factor and risk, and the components it depends on and that use it."""
    return reads.component_overview(ws, repository)


@router.get("/components/{name:path}", response_model=ComponentCard, responses=READ)
def get_component(ws: WorkspaceDep, name: Annotated[str, PathParam(max_length=300)], repository: RepositoryParam = None) -> dict[str, Any]:
    """The component card: purpose, modules, dependencies in and out, decisions, knowledge holders, bus factor, activity."""
    return reads.component_card(ws, repository, name)


@router.get("/bus-factor", response_model=dict[str, Any], responses=READ)
def bus_factor(
    ws: WorkspaceDep,
    repository: RepositoryParam = None,
    component: Annotated[str | None, Query(max_length=300, description="One component instead of the whole repository")] = None,
    leaving: Annotated[list[str], Query(max_length=50, description="People assumed gone (name, e-mail, @login or id); repeatable")] = [],
    path: Annotated[str | None, Query(max_length=500, description="Drill down: truck factor and holders of the files under this directory")] = None,
) -> dict[str, Any]:
    """Truck factor of the repository and of each component, knowledge holders, and "what if these people leave".

    A component (or the `path` drilled into) where more than `thresholds.orphaned_share` of the files have no author
    left has `ask_first`: the people still here to ask about it now, as who-knows ranks them (`person`, `id`, `why`;
    three at most, an empty list when nobody is left); the others have no such key.
    The same JSON as `cairn bus-factor --format json`.
    """
    return reads.bus_factor(ws, repository, component=component, leaving=leaving, path=path)

"""Components: the list with their knowledge risk, the component card, and the bus factor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path as PathParam, Query

from cairn.api.deps import Graph, lazy_import
from cairn.api.routers._problems import READ, problems
from cairn.api.schemas import ComponentCard, ComponentSummary
from cairn.queries.explore import component_card, component_summaries

router = APIRouter(tags=["components"])


@router.get("/components", response_model=list[ComponentSummary], responses=READ)
def list_components(graph: Graph) -> list[dict[str, Any]]:
    """Every component with its module count, truck factor and whether its knowledge is at risk."""
    return component_summaries(graph)


@router.get("/components/{name:path}", response_model=ComponentCard, responses=READ)
def get_component(graph: Graph, name: Annotated[str, PathParam(max_length=300)]) -> dict[str, Any]:
    """The component card: purpose, modules, dependencies in and out, decisions, knowledge holders, bus factor, activity."""
    return component_card(graph, name)


@router.get("/bus-factor", response_model=dict[str, Any], responses=problems(400, 404, 422, 501, 503))
def bus_factor(
    graph: Graph,
    component: Annotated[str | None, Query(max_length=300, description="One component instead of the whole repository")] = None,
    leaving: Annotated[list[str], Query(max_length=50, description="People assumed gone (name, e-mail, @login or id); repeatable")] = [],
    path: Annotated[str | None, Query(max_length=500, description="Drill down: truck factor and holders of the files under this directory")] = None,
) -> dict[str, Any]:
    """Truck factor of the repository and of each component, knowledge holders, and "what if these people leave".

    The same JSON as `cairn bus-factor --format json`.
    """
    ownership = lazy_import("cairn.queries.ownership", "the bus factor analysis")
    return ownership.bus_factor(graph, component=component, leaving=list(leaving), path=path)

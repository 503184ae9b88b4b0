"""Exploration: shortest dependency paths, search, the dependency graph, central modules, the reading list."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Query

from cairn.api.deps import RepositoryParam, WorkspaceDep
from cairn.api.routers._problems import READ
from cairn.api.schemas import CentralModule, ComponentDependencies, DependencyPath, ModuleDependencies, ReadingList, SearchResults
from cairn.api.services import reads

router = APIRouter(tags=["exploration"])


class Level(str, Enum):
    module = "module"
    component = "component"


@router.get("/paths", response_model=DependencyPath, response_model_by_alias=True, responses=READ)
def dependency_path(ws: WorkspaceDep,
                    from_: Annotated[str, Query(alias="from", min_length=1, max_length=300,
                                                description="Component or module that depends (prefix component: or module: to disambiguate)")],
                    to: Annotated[str, Query(min_length=1, max_length=300, description="Component or module depended upon")],
                    repository: RepositoryParam = None) -> dict[str, Any]:
    """The shortest chain by which FROM depends on TO; when there is none, says so (and gives the reverse path if any)."""
    return reads.shortest_path(ws, repository, from_, to)


@router.get("/search", response_model=SearchResults, responses=READ)
def search_names(ws: WorkspaceDep, q: Annotated[str, Query(min_length=1, max_length=200, description="Part of a name or title")],
                 limit: Annotated[int, Query(ge=1, le=500)] = 50, repository: RepositoryParam = None) -> dict[str, Any]:
    """Components, modules, people and decisions by name or title (case-insensitive), best matches first."""
    return reads.search(ws, repository, q, limit=limit)


@router.get("/deps", response_model=ModuleDependencies | ComponentDependencies, responses=READ)
def dependencies(ws: WorkspaceDep, level: Level = Level.module, repository: RepositoryParam = None) -> dict[str, Any]:
    """The dependency graph: modules and their imports, or components and their dependencies (same JSON as `cairn deps`)."""
    return reads.dependency_graph(ws, repository, level.value)


@router.get("/central-modules", response_model=list[CentralModule], responses=READ)
def most_central_modules(ws: WorkspaceDep, limit: Annotated[int, Query(ge=1, le=500)] = 10,
                         component: Annotated[str | None, Query(max_length=300)] = None,
                         repository: RepositoryParam = None) -> list[dict[str, Any]]:
    """The most central modules by PageRank over the import graph (what the rest of the code rests on)."""
    return reads.central_modules(ws, repository, limit=limit, component=component)


@router.get("/reading-list", response_model=ReadingList, responses=READ)
def newcomer_reading_list(ws: WorkspaceDep, component: Annotated[str | None, Query(max_length=300)] = None,
                          repository: RepositoryParam = None) -> dict[str, Any]:
    """What a newcomer should read first: decisions in force, then central modules, then the people to ask."""
    return reads.reading_list(ws, repository, component)

"""``GET /repositories/{name}/knowledge-map``: the file tree with its size and who knows it, one bounded slice at a time."""

from __future__ import annotations

import threading
from typing import Annotated, Any, Literal
from weakref import WeakKeyDictionary

from fastapi import APIRouter, Depends, Path as PathParam, Query
from pydantic import BaseModel, Field

from cairn.api.deps import ProblemError, State, resolve_repository
from cairn.api.routers._problems import READ
from cairn.graph.model import RepoGraph
from cairn.queries import knowledge_map as km
from cairn.queries.ownership import UnknownPerson

router = APIRouter(tags=["knowledge"])


class Person(BaseModel):
    person: str = Field(description="Display name")
    id: str = Field(description="Person id (usable in leaving=)")


class Holder(Person):
    files: int = Field(description="Files of the node this person authors (Avelino et al.'s DOA authorship)")
    active: bool = Field(description="False when departed, inactive or assumed leaving")


class Author(Person):
    active: bool


class HumanChange(Person):
    date: str = Field(description="ISO time of the newest change by a person")
    path: str = Field(description="The file changed")


class KnowledgeNode(BaseModel):
    kind: Literal["repository", "component", "directory", "file", "more"]
    name: str = Field(description="Component name, directory path below its parent, file name, or 'N more'")
    component: str | None = Field(description="Component the node belongs to (null: files of no component)")
    path: str | None = Field(description="Directory or file path (null for the repository and components)")
    files: int
    lines: int = Field(description="Lines of the files below the node")
    truck_factor: int
    truck_factor_people: list[str] | None = Field(None, description="Only on the node asked for: who the greedy algorithm removes")
    orphaned_files: int = Field(description="Files with no author left (departed, inactive or leaving people removed)")
    orphaned_share: float
    at_risk: bool
    holders: list[Holder] = Field(description="Top holders by files authored (all of them, up to 100, on the node asked for)")
    holder_count: int
    last_human_change: HumanChange | None
    agent_share: float | None = Field(description="Share of changes by agents, when the history records it")
    language: str | None = Field(None, description="Files only")
    authors: list[Author] | None = Field(None, description="Files only: the file's authors")
    count: int | None = Field(None, description="'more' nodes only: how many nodes they sum up")
    child_count: int = Field(description="Children the node has (listed in children only down to the requested depth)")
    children: list[KnowledgeNode] | None = None


class Breadcrumb(BaseModel):
    kind: Literal["repository", "component", "directory", "file"]
    name: str
    component: str | None
    path: str | None


class KnowledgeMap(BaseModel):
    repository: str
    component: str | None
    path: str | None
    depth: int
    size_measure: Literal["lines", "files"] = Field(description="What lines stands for: lines, or files when the ingest predates line counts")
    agent_share_known: bool
    leaving: list[str] = Field(description="People assumed gone for this answer")
    thresholds: dict[str, float]
    breadcrumbs: list[Breadcrumb] = Field(description="The nodes above this one (not itself), from the repository down")
    root: KnowledgeNode


# One index per loaded graph: the app keeps a graph until the repository is ingested again, so the index
# lives exactly as long as the graph it was read from.
_indexes: WeakKeyDictionary[RepoGraph, km.KnowledgeIndex] = WeakKeyDictionary()
_indexes_lock = threading.Lock()


def knowledge_index(graph: RepoGraph) -> km.KnowledgeIndex:
    with _indexes_lock:
        index = _indexes.get(graph)
    if index is None:
        index = km.index_knowledge(graph)
        with _indexes_lock:
            _indexes[graph] = index
    return index


def repository_graph(state: State, name: Annotated[str, PathParam(max_length=300, description="A repository in the store")]) -> RepoGraph:
    return state.graph(resolve_repository(state.store, name))


@router.get("/repositories/{name}/knowledge-map", response_model=KnowledgeMap, response_model_exclude_none=False, responses=READ)
def knowledge_map(
    graph: Annotated[RepoGraph, Depends(repository_graph)],
    component: Annotated[str | None, Query(max_length=300, description="A component; without path: the component itself")] = None,
    path: Annotated[str | None, Query(max_length=1000, description="A directory or file: of component, or of no component when component is omitted")] = None,
    depth: Annotated[int, Query(ge=0, le=km.MAX_DEPTH, description="Levels of children to list below the node")] = 2,
    limit: Annotated[int, Query(ge=1, le=1000, description="Children listed per node, largest first; the rest are summed into one 'more' node")] = km.DEFAULT_LIMIT,
    leaving: Annotated[list[str], Query(max_length=50, description="People assumed gone (id, name or e-mail); repeatable")] = [],
) -> dict[str, Any]:
    """The knowledge map: from the repository down to components, directories and files, each with its lines,
    truck factor, orphaned files, top knowledge holders and last human change, as if `leaving` had left.

    One node and `depth` levels below it per answer (at most 800 nodes), so drilling down a large repository
    asks for the next slice.
    """
    try:
        return km.knowledge_map(graph, component=component, path=path, depth=depth, limit=limit, leaving=list(leaving),
                                index=knowledge_index(graph))
    except UnknownPerson as exc:
        raise ProblemError(422, "Unknown person", str(exc), slug="unknown-person") from None
    except km.UnknownNode as exc:
        raise ProblemError(404, "Not found", str(exc), slug="not-found") from None

"""``GET /repositories/{name}/knowledge-map``: the file tree with its size and who knows it, one bounded slice at a time."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path as PathParam, Query
from pydantic import BaseModel, Field

from cairn.api.deps import WorkspaceDep
from cairn.api.routers._problems import READ
from cairn.api.services import reads

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


@router.get("/repositories/{name}/knowledge-map", response_model=KnowledgeMap, response_model_exclude_none=False, responses=READ)
def knowledge_map(
    ws: WorkspaceDep,
    name: Annotated[str, PathParam(max_length=300, description="A repository in the store")],
    component: Annotated[str | None, Query(max_length=300, description="A component; without path: the component itself")] = None,
    path: Annotated[str | None, Query(max_length=1000, description="A directory or file: of component, or of no component when component is omitted")] = None,
    depth: Annotated[int, Query(ge=0, le=reads.KNOWLEDGE_MAP_MAX_DEPTH, description="Levels of children to list below the node")] = 2,
    limit: Annotated[int, Query(ge=1, le=1000, description="Children listed per node, largest first; the rest are summed into one 'more' node")] = reads.KNOWLEDGE_MAP_LIMIT,
    leaving: Annotated[list[str], Query(max_length=50, description="People assumed gone (id, name or e-mail); repeatable")] = [],
) -> dict[str, Any]:
    """The knowledge map: from the repository down to components, directories and files, each with its lines,
    truck factor, orphaned files, top knowledge holders and last human change, as if `leaving` had left.

    One node and `depth` levels below it per answer (at most 800 nodes), so drilling down a large repository
    asks for the next slice. An unknown component, path or person is a 404, a name matching several people a 422.
    """
    return reads.knowledge_map(ws, name, component=component, path=path, depth=depth, limit=limit, leaving=leaving)

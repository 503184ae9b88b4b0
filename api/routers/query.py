"""``POST /query``: read-only Cypher against a Neo4j store (parameterised; the store runs it in READ mode)."""

from __future__ import annotations

from fastapi import APIRouter

from cairn.api.deps import WorkspaceDep
from cairn.api.routers._problems import problems
from cairn.api.schemas import CypherRequest, CypherResult
from cairn.api.services import reads

router = APIRouter(tags=["query"])


@router.post("/query", response_model=CypherResult, responses=problems(400, 422, 503))
def cypher(ws: WorkspaceDep, request: CypherRequest) -> CypherResult:
    """Run a read-only Cypher query with parameters. Needs a Neo4j store; the server refuses writes (a 400)."""
    return CypherResult(rows=reads.cypher(ws, request.cypher, request.params))

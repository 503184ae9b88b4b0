"""``POST /query``: read-only Cypher against a Neo4j store (parameterised; the store runs it in READ mode)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ProblemError, Store
from api.routers._problems import problems
from api.schemas import CypherRequest, CypherResult

router = APIRouter(tags=["query"])


@router.post("/query", response_model=CypherResult, responses=problems(400, 422, 503))
def cypher(store: Store, request: CypherRequest) -> CypherResult:
    """Run a read-only Cypher query with parameters. Needs a Neo4j store; writes are refused by the server."""
    try:
        rows = store.cypher(request.cypher, request.params)
    except Exception as exc:
        neo4j_error = _neo4j_client_error(exc)
        if neo4j_error is None:
            raise
        raise ProblemError(400, "Query refused", f"Neo4j refused the query: {neo4j_error}", slug="cypher-error") from None
    return CypherResult(rows=rows)


def _neo4j_client_error(exc: Exception) -> str | None:
    """The message of a Neo4j client-side error (syntax, write in a read transaction), else None."""
    try:
        from neo4j.exceptions import ClientError
    except ImportError:
        return None
    if isinstance(exc, ClientError):
        return exc.message or str(exc)
    cause = exc.__cause__
    if isinstance(cause, ClientError):
        return cause.message or str(cause)
    return None

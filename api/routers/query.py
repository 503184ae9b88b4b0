"""``POST /query``: read-only Cypher against a Neo4j store (parameterised; the store runs it in READ mode)."""

from __future__ import annotations

from fastapi import APIRouter

from cairn.api.deps import ProblemError, Store
from cairn.api.routers._problems import problems
from cairn.api.schemas import CypherRequest, CypherResult
from cairn.graph.store import CypherNotSupported, StoreError

router = APIRouter(tags=["query"])


@router.post("/query", response_model=CypherResult, responses=problems(400, 422, 503))
def cypher(store: Store, request: CypherRequest) -> CypherResult:
    """Run a read-only Cypher query with parameters. Needs a Neo4j store; the server refuses writes."""
    try:
        rows = store.cypher(request.cypher, request.params)
    except CypherNotSupported:
        raise
    except StoreError as exc:
        if not _is_query_error(exc):
            raise  # the store itself is unreachable: a 503
        raise ProblemError(400, "Query refused", str(exc), slug="cypher-error") from None
    return CypherResult(rows=rows)


def _is_query_error(exc: StoreError) -> bool:
    """A syntax error or a write in the query: the client's to fix, not the server's."""
    try:
        from cairn.graph.neo4j_store import CypherQueryError
    except ImportError:
        return False
    return isinstance(exc, CypherQueryError)

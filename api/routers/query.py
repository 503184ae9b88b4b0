"""``POST /query``: read-only Cypher against a Neo4j store, within the server's limits.

The store vets the query (``graph.cypher_policy``: read clauses only; the server's
plan; READ access mode), runs it with a transaction timeout and stops the answer at
a row and a byte cap (``cairn serve --cypher-timeout/--cypher-max-rows/--cypher-max-bytes``).
At most ``CYPHER_CONCURRENCY`` queries run at once; more get a 429.
"""

from __future__ import annotations

from fastapi import APIRouter

from cairn.api.deps import ProblemError, State
from cairn.api.routers._problems import problems
from cairn.api.schemas import CypherRequest, CypherResult
from cairn.graph.store import CypherNotSupported, StoreError

router = APIRouter(tags=["query"])


@router.post("/query", response_model=CypherResult, responses=problems(400, 422, 429, 503))
def cypher(state: State, request: CypherRequest) -> CypherResult:
    """Run a read-only Cypher query with parameters. Needs a Neo4j store. Only reads of the graph are accepted
    (MATCH, OPTIONAL MATCH, WITH, WHERE, RETURN, ORDER BY, SKIP, LIMIT, UNWIND, UNION, CALL { subquery },
    schema procedures such as db.labels); a query that runs too long or answers too much is stopped with a 400.
    Temporal values come back as ISO 8601 text, NaN and infinities as null."""
    if not state.cypher_slots.acquire(blocking=False):
        raise ProblemError(429, "Too many queries", "this server is running as many Cypher queries as it allows at once; retry shortly",
                           slug="too-many-queries", headers={"Retry-After": "5"})
    try:
        rows = state.store.cypher(request.cypher, request.params, limits=state.cypher_limits)
    except CypherNotSupported:
        raise
    except StoreError as exc:
        kind = _query_error_kind(exc)
        if kind is None:
            raise  # the store itself is unreachable: a 503
        raise ProblemError(400, kind.title, str(exc), slug=kind.slug) from None
    finally:
        state.cypher_slots.release()
    return CypherResult(rows=rows)


def _query_error_kind(exc: StoreError) -> type | None:
    """The kind of a query's own failure (refused, stopped at a limit, invalid): the client's to fix, not the server's."""
    try:
        from cairn.graph.neo4j_cypher import CypherQueryError
    except ImportError:
        return None
    return type(exc) if isinstance(exc, CypherQueryError) else None

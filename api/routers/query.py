"""``POST /query``: read-only Cypher against a Neo4j store, within the server's limits.

The store vets the query (``graph.cypher_policy``: read clauses only; the server's
plan; READ access mode), runs it with a transaction timeout and stops the answer at
a row and a byte cap (``cairn serve --cypher-timeout/--cypher-max-rows/--cypher-max-bytes``).
Refused, stopped and failed queries are 400s (``PROBLEMS`` in ``api.app``). At most
``CYPHER_CONCURRENCY`` queries run at once; more get a 429.
"""

from __future__ import annotations

from fastapi import APIRouter

from cairn.api.deps import ProblemError, State
from cairn.api.routers._problems import problems
from cairn.api.schemas import CypherRequest, CypherResult
from cairn.api.services import reads

router = APIRouter(tags=["query"])


@router.post("/query", response_model=CypherResult, responses=problems(400, 422, 429, 503))
def cypher(state: State, request: CypherRequest) -> CypherResult:
    """Run a read-only Cypher query with parameters. Needs a Neo4j store. Only reads of the graph are accepted
    (MATCH, OPTIONAL MATCH, WITH, WHERE, RETURN, ORDER BY, SKIP, LIMIT, UNWIND, UNION, CALL { subquery },
    schema procedures such as db.labels); a query that writes, runs too long or answers too much is a 400.
    Temporal values come back as ISO 8601 text, NaN and infinities as null."""
    if not state.cypher_slots.acquire(blocking=False):
        raise ProblemError(429, "Too many queries", "this server is running as many Cypher queries as it allows at once; retry shortly",
                           slug="too-many-queries", headers={"Retry-After": "5"})
    try:
        return CypherResult(rows=reads.cypher(state.workspace, request.cypher, request.params, limits=state.cypher_limits))
    finally:
        state.cypher_slots.release()

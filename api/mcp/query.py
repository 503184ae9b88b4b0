"""The query tool: a client's read-only Cypher on a Neo4j store, under the limits every interface applies.

It runs through the same service as ``POST /api/v1/query`` and ``cairn query``
(``graph.cypher_policy``: read clauses only, a time limit, a row and a byte
cap; ``cairn mcp --cypher-timeout …`` or ``$CAIRN_CYPHER_*``); the agent then
sees the first ``limit`` rows, with ``omitted`` counting the rest.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from cairn.api.mcp.params import Limit
from cairn.api.mcp.registry import Tools
from cairn.api.mcp.shape import more_hint, trim
from cairn.api.services import reads


def register(tool: Tools) -> None:
    ws = tool.ws

    @tool
    def cypher(query: Annotated[str, Field(description="A read-only Cypher query; pass values as $params")],
               params: Annotated[dict[str, Any] | None, Field(description="Values for the query's $parameters")] = None,
               limit: Limit = 20) -> dict[str, Any]:
        """Read-only Cypher on a Neo4j store (the graph's labels: Repository, Component, Module, Person, Decision,
        Rule…; every node has _repo). Only reads: MATCH, OPTIONAL MATCH, WITH, WHERE, RETURN, ORDER BY, SKIP, LIMIT,
        UNWIND, UNION, CALL { subquery }, db.labels(); use $params for values. The query has a time limit and the
        server a row and size cap; the answer shows `limit` rows (`omitted` counts the rest: return fewer columns,
        aggregate, or raise `limit`)."""
        rows = reads.cypher(ws, query, params or {}, limits=tool.cypher_limits)
        return more_hint(trim({"rows": rows, "total": len(rows)}, ["rows"], limit))

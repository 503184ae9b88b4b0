"""Clients' Cypher on Neo4j: the server's plan vetted, the answer streamed within limits, values made JSON.

``run_client_query`` is what ``Neo4jStore.cypher`` runs. A client's query is vetted
three times before it reads anything: ``graph.cypher_policy`` refuses every clause
but reads (LOAD CSV, SHOW, TERMINATE, writes, procedures off its allow-list …); the
server's plan of the query (``EXPLAIN``) must be a read with no file or URL access;
and it runs in READ access mode, where the server refuses any write. It runs with a
transaction timeout and its answer is streamed until the row or byte cap of its
``CypherLimits``.

``check_plan`` asks the server for the plan (``EXPLAIN``, nothing
runs) and refuses a plan that is not a read of the graph: a query type other
than read, a ``LoadCSV``, ``Show…`` or ``Terminate…`` step, a procedure off the
allow-list. ``bounded_reader`` is a read transaction function with the
transaction timeout of the ``CypherLimits`` that streams records and stops at
the row or byte cap with ``CypherLimitExceeded``. ``json_value`` turns what the
driver returns into JSON values: temporal values as ISO 8601 text, points as
``{srid, coordinates}``, bytes as base64, NaN and infinities as null.
"""

from __future__ import annotations

import base64
import json
import math
import re
from typing import Any, Callable

import neo4j
import neo4j.spatial
import neo4j.time
from neo4j import exceptions as neo4j_errors

from cairn.graph.cypher_policy import ALLOWED_PROCEDURES, CypherLimits, CypherRefused, check_parameters, check_read_only
from cairn.graph.errors import ConfigError, CypherLimitExceeded, CypherNotAllowed, CypherQueryError, CypherWriteRefused
from cairn.graph.neo4j.connection import Connection, reason

TIMEOUT_CODES = ("Neo.ClientError.Transaction.TransactionTimedOut", "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")


_EXPLAIN = "EXPLAIN "


def run_client_query(
    connection: Connection, query: str, params: dict[str, Any] | None, limits: CypherLimits | None
) -> list[dict[str, Any]]:
    """The rows of a client's read-only ``query`` within ``limits`` (default: ``CypherLimits.from_env()``)."""
    try:
        limits = limits or CypherLimits.from_env()
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    try:
        check_read_only(query)
        check_parameters(params)
    except CypherRefused as exc:
        raise (CypherWriteRefused if exc.writes else CypherNotAllowed)(str(exc)) from None
    with connection.errors("query"):
        try:
            with connection.session(read=True) as session:
                check_plan(session, query, params or {}, limits, connection.location)
                return session.execute_read(bounded_reader(limits), query, params or {})
        except neo4j_errors.AuthError:
            raise
        except neo4j_errors.Neo4jError as exc:
            if exc.code in ("Neo.ClientError.Statement.AccessMode", "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase"):
                raise CypherWriteRefused(
                    f"Neo4j at {connection.location} refused the query: it writes, and Cypher queries here are read-only"
                ) from exc
            if exc.code in TIMEOUT_CODES:
                raise CypherLimitExceeded(
                    f"the query ran longer than {limits.timeout_seconds:g} s, the time limit, and was stopped: narrow it "
                    "(or raise the limit: --cypher-timeout / $CAIRN_CYPHER_TIMEOUT)"
                ) from exc
            raise CypherQueryError(f"Cypher query failed on {connection.location}: {reason(exc)}") from exc
_POSITION = re.compile(r"line 1, column (\d+) \(offset: (\d+)\)")


def check_plan(session: neo4j.Session, query: str, params: dict[str, Any], limits: CypherLimits, location: str) -> None:
    """Refuse what the server's own plan (``EXPLAIN``: nothing runs) shows is more than a read of the graph."""
    try:
        summary = session.run(neo4j.Query(_EXPLAIN + query, timeout=limits.timeout_seconds), params).consume()
    except neo4j_errors.ClientError as exc:
        if not str(exc.code or "").startswith("Neo.ClientError.Statement."):
            raise
        raise CypherQueryError(f"Cypher query failed on {location}: {_without_explain(exc)}") from exc
    if summary.query_type not in (None, "r"):
        raise CypherWriteRefused(f"Neo4j plans the query as a write (query type {summary.query_type!r}); Cypher queries here are read-only")
    stack = [summary.plan] if summary.plan else []
    while stack:
        step = stack.pop()
        operator = str(step.get("operatorType") or "").split("@", 1)[0]
        if operator == "LoadCSV" or operator.startswith(("Show", "Terminate")):
            raise CypherNotAllowed(f"the query's plan has a {operator} step, which is not a read of the graph")
        if operator == "ProcedureCall":
            details = str((step.get("args") or {}).get("Details") or "")
            name = details.split("(", 1)[0].strip()
            if name not in ALLOWED_PROCEDURES:
                raise CypherNotAllowed(f"the query calls procedure {name or '?'}, which is not allowed")
        stack.extend(step.get("children") or ())


def _without_explain(exc: neo4j_errors.Neo4jError) -> str:
    """The server's message about the query, with positions as in the client's text (without our EXPLAIN)."""
    message = " ".join(str(getattr(exc, "message", None) or exc).split())
    message = message.replace('"' + _EXPLAIN, '"', 1)
    message = _POSITION.sub(lambda m: f"line 1, column {max(1, int(m[1]) - len(_EXPLAIN))} (offset: {max(0, int(m[2]) - len(_EXPLAIN))})", message)
    return message[:300]


def bounded_reader(limits: CypherLimits) -> Callable[..., list[dict[str, Any]]]:
    """A read transaction function with ``limits``' timeout that streams rows until the row or byte cap."""

    @neo4j.unit_of_work(timeout=limits.timeout_seconds)
    def read(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        size = 2  # the brackets of the JSON list
        for record in tx.run(query, params):
            if len(rows) >= limits.max_rows:
                raise CypherLimitExceeded(
                    f"the answer has more than {limits.max_rows:,} rows, the row cap, so the query was stopped: add LIMIT "
                    "(or raise the cap: --cypher-max-rows / $CAIRN_CYPHER_MAX_ROWS)"
                )
            row = {str(key): json_value(value) for key, value in record.data().items()}
            size += len(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode()) + 1
            if size > limits.max_bytes:
                raise CypherLimitExceeded(
                    f"the answer is larger than {limits.max_bytes:,} bytes of JSON, the size cap, so the query was stopped: "
                    "return fewer or smaller values (or raise the cap: --cypher-max-bytes / $CAIRN_CYPHER_MAX_BYTES)"
                )
            rows.append(row)
        return rows

    return read


def json_value(value: Any) -> Any:
    """A value of a Cypher answer as JSON can carry it: temporal values as ISO 8601 text, NaN and infinities as null."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    # Durations and points are tuples to the driver: tell them apart before lists.
    if isinstance(value, (neo4j.time.Date, neo4j.time.Time, neo4j.time.DateTime, neo4j.time.Duration)):
        return value.iso_format()
    if isinstance(value, neo4j.spatial.Point):
        return {"srid": value.srid, "coordinates": [json_value(c) for c in value]}
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)

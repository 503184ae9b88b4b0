"""``cairn query``: read-only Cypher against a Neo4j store, with the same policy and limits as the HTTP API.

Only read clauses run (``graph.cypher_policy``); the query has a time limit and
its answer a row and a byte cap (``--cypher-timeout``, ``--cypher-max-rows``,
``--cypher-max-bytes``, or ``$CAIRN_CYPHER_*``). With ``--format json`` temporal
values are ISO 8601 text and NaN or infinities are null, so the output is always
valid JSON.
"""

from __future__ import annotations

import json
from typing import Optional

from cairn.api.common import (
    CairnError, CypherBytesOption, CypherRowsOption, CypherTimeoutOption, StoreOption, console, cypher_limits,
    opened_workspace, print_json,
)
from cairn.api.formats import JSON, TABLE, formats
from cairn.api.params import App, Argument, Option
from cairn.api.render.terminal import count, table

QueryFormat = formats("query", JSON, TABLE)


def register(app: App) -> None:
    app.command("query")(query)


def parse_params(pairs: list[str]) -> dict:
    """``k=v`` pairs; a value that reads as JSON (numbers, true, lists…) is taken as such, else as text."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CairnError(f"--param {pair!r}: expected NAME=VALUE")
        try:
            params[key.strip()] = json.loads(value)
        except ValueError:
            params[key.strip()] = value
    return params


def query(
    cypher: str = Argument(..., help="A read-only Cypher query; use $name for parameters"),
    param: list[str] = Option([], "--param", help="A query parameter NAME=VALUE (repeatable)"),
    store: Optional[str] = StoreOption,
    format: QueryFormat = TABLE,
    timeout: Optional[float] = CypherTimeoutOption,
    max_rows: Optional[int] = CypherRowsOption,
    max_bytes: Optional[int] = CypherBytesOption,
) -> None:
    """Run read-only Cypher on a Neo4j store: reads of the graph only, within a time limit and a size cap.
    Parameters are passed, never pasted."""
    from cairn.api.services import reads

    params = parse_params(param)
    limits = cypher_limits(timeout, max_rows, max_bytes)
    with opened_workspace(store) as ws:
        rows = reads.cypher(ws, cypher, params, limits=limits)
    if format is JSON:
        print_json(rows)
        return
    columns = list(rows[0]) if rows else []
    cells = [[row[c] if isinstance(row[c], str) else json.dumps(row[c], ensure_ascii=False, default=str) for c in columns] for row in rows]
    console.print(table(count(len(rows), "row"), columns, cells, keep_empty=True))

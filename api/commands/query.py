"""``cairn query``: read-only Cypher against a Neo4j store."""

from __future__ import annotations

import json
from typing import Optional

import typer
from cairn.api.common import CairnError, StoreOption, console, opened_workspace, print_json
from cairn.api.formats import JSON, TABLE, formats
from cairn.api.render.terminal import count, table
from cairn.api.services import reads

QueryFormat = formats("query", JSON, TABLE)


def register(app: typer.Typer) -> None:
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
    cypher: str = typer.Argument(..., help="A read-only Cypher query; use $name for parameters"),
    param: list[str] = typer.Option([], "--param", help="A query parameter NAME=VALUE (repeatable)"),
    store: Optional[str] = StoreOption,
    format: QueryFormat = TABLE,
) -> None:
    """Run read-only Cypher on a Neo4j store (the server refuses writes). Parameters are passed, never pasted."""
    params = parse_params(param)
    with opened_workspace(store) as ws:
        rows = reads.cypher(ws, cypher, params)
    if format is JSON:
        print_json(rows)
        return
    columns = list(rows[0]) if rows else []
    cells = [[row[c] if isinstance(row[c], str) else json.dumps(row[c], ensure_ascii=False, default=str) for c in columns] for row in rows]
    console.print(table(count(len(rows), "row"), columns, cells, keep_empty=True))

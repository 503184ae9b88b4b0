"""Answers that fit in an agent's context: compact JSON, top-N lists, pages with a cursor.

The services answer in full (the HTTP API and the CLI print that); an agent
with a small context gets the same data cut to size here, and is told how to
get the rest:

* ``encode`` — JSON without indentation or ``null`` fields (one copy, as text);
* ``trim`` — cuts named lists to ``limit`` rows and records in ``omitted``
  how many rows each lost (``{"modules": 8}``: pass a larger ``limit``);
* ``page`` — one page of a long list: ``limit`` rows from ``cursor``, with
  ``next_cursor`` when there are more and ``total``;
* ``finding`` — a finding as one line of evidence (``where`` is ``file:line``).
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from cairn.graph.errors import InvalidQuery
from cairn.graph.values import json_default

MAX_LIMIT = 200


def drop_nulls(value: Any) -> Any:
    """``value`` without ``None`` fields in its mappings (list items are kept as they are, nulls included)."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [drop_nulls(v) for v in value]
    return value


def encode(data: Any) -> str:
    """Compact JSON text: no indentation, no null fields, UTF-8 characters as they are."""
    return json.dumps(drop_nulls(data), ensure_ascii=False, separators=(",", ":"), default=json_default)


def check_limit(limit: int, name: str = "limit") -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidQuery(f"{name} is a number from 1 to {MAX_LIMIT}, not {limit!r}")
    return limit


def offset_of(cursor: str | None) -> int:
    """The position a cursor from an earlier page stands for."""
    if cursor in (None, ""):
        return 0
    text = str(cursor)
    if not text.isdigit():
        raise InvalidQuery(f"cursor {cursor!r} is not one this tool gave out: pass the next_cursor of the previous answer")
    return int(text)


def page(rows: list[Any], limit: int, cursor: str | None) -> dict[str, Any]:
    """``{"items": rows[cursor:cursor+limit], "total": n, "next_cursor": "…"}`` (no next_cursor on the last page)."""
    check_limit(limit)
    start = offset_of(cursor)
    items = rows[start:start + limit]
    out: dict[str, Any] = {"items": items, "total": len(rows)}
    if start + limit < len(rows):
        out["next_cursor"] = str(start + limit)
    return out


def paged(data: dict[str, Any], key: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """``data`` with its list ``key`` replaced by one page, and ``total`` / ``next_cursor`` beside it."""
    one = page(list(data.get(key) or []), limit, cursor)
    out = {k: v for k, v in data.items() if k != key}
    out[key] = one["items"]
    out["total"] = one["total"]
    if "next_cursor" in one:
        out["next_cursor"] = one["next_cursor"]
    return out


def trim(data: dict[str, Any], lists: Iterable[str], limit: int) -> dict[str, Any]:
    """Cut each named list (``a.b`` reaches into a nested mapping) to ``limit`` rows; count the cuts in ``omitted``."""
    check_limit(limit)
    omitted: dict[str, int] = dict(data.get("omitted") or {})
    for dotted in lists:
        *parents, name = dotted.split(".")
        holder: Any = data
        for part in parents:
            holder = holder.get(part) if isinstance(holder, dict) else None
        if not isinstance(holder, dict) or not isinstance(holder.get(name), list):
            continue
        rows = holder[name]
        if len(rows) > limit:
            omitted[dotted] = len(rows) - limit
            holder[name] = rows[:limit]
    if omitted:
        data["omitted"] = omitted
    return data


def more_hint(data: dict[str, Any], how: str = "pass a larger limit") -> dict[str, Any]:
    """Say how to get what ``omitted`` counts."""
    if data.get("omitted"):
        data["more"] = how
    return data


def where(file: str | None, line: int | None) -> str | None:
    if not file:
        return None
    return f"{file}:{line}" if line else file


def finding(f: dict[str, Any]) -> dict[str, Any]:
    """A finding as an agent reads it: severity, rule, where, what, and the decision behind the rule."""
    row = {"severity": f.get("severity"), "rule": f.get("rule"), "kind": f.get("kind"),
           "where": where(f.get("file"), f.get("line")), "message": f.get("message"), "decision": f.get("decision")}
    if f.get("new") is not None:
        row["new"] = f.get("new")
    return row


def short(text: Any, chars: int = 200) -> str | None:
    if not text:
        return None
    text = " ".join(str(text).split())
    return text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + " …"

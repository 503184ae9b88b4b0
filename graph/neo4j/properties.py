"""Model property values as Neo4j properties, and back.

Property values Neo4j cannot hold (maps, lists of maps or of mixed types, empty
lists, integers beyond 64 bits) are stored as JSON text and their names listed in
``_json``; None values are listed in ``_null`` (Neo4j has no null properties; to
Cypher they read as null, as absent properties do). Values are first normalised as
the embedded store's JSON does (tuples and sets become lists, dates ISO strings),
so a load returns exactly what the embedded store returns for the same graph
(``graph.values.json_default`` is that normalisation, shared by both). A model
property whose name starts with ``_`` is stored with one more ``_`` in front, so it
never collides with the internal ones.

A save writes the properties of one label or relationship type as the columns of
positional rows (``columns``, ``encode_row``): one column per stored name any of
them has, ``_json`` and ``_null`` included; ``None`` where a row has no such
property (Neo4j sets no property from a null). ``RowEncoder`` makes the same rows
for one label or type, placing the values Neo4j holds as they are (nearly all of
them) straight into their columns: the rows of a save's 336k relationships cost
the client 14% less CPU than through ``encode_row``'s dict (bench/neo4j_ingest.py's graph).
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from cairn.graph.errors import StoreError
from cairn.graph.values import json_default

_INT64 = (-(2**63), 2**63 - 1)


def _native_list(value: list[Any]) -> bool:
    """Whether Neo4j stores ``value`` as a list property unchanged: non-empty, one primitive type."""
    if not value:
        return False
    kind = type(value[0])
    if kind not in (str, bool, int, float):
        return False
    if kind is int and not all(type(v) is int and _INT64[0] <= v <= _INT64[1] for v in value):
        return False
    return all(type(v) is kind for v in value)


def stored_name(name: str) -> str:
    """The Neo4j property that holds the model property ``name``."""
    return "_" + name if name.startswith("_") else name


def columns(names: Iterable[str]) -> list[str]:
    """The stored names of the model properties ``names`` with ``_json`` and ``_null``, sorted: a row's columns."""
    return sorted({stored_name(name) for name in names} | {"_json", "_null"})


def encode_row(props: dict[str, Any], names: list[str]) -> list[Any]:
    """The Neo4j properties that hold ``props`` as values in the order of ``names`` (``columns``), None if absent."""
    stored = encode_props(props)
    row = [stored.pop(name, None) for name in names]
    if stored:
        raise StoreError(f"no column for properties {sorted(stored)}")  # ``names`` was made from other properties
    return row


class RowEncoder:
    """The rows of the properties of one label or relationship type whose model property names are ``names``."""

    def __init__(self, names: Iterable[str]):
        names = set(names)
        #: The stored names, in the order of a row's values (``columns``).
        self.columns = columns(names)
        at = {stored: i for i, stored in enumerate(self.columns)}
        self._at = {name: at[stored_name(name)] for name in names}

    def row(self, props: dict[str, Any]) -> list[Any]:
        """``encode_row(props, self.columns)``."""
        out: list[Any] = [None] * len(self.columns)
        at = self._at
        for name, value in props.items():
            kind = type(value)
            if not (kind is str or kind is float or kind is bool or (kind is int and _INT64[0] <= value <= _INT64[1])
                    or (kind is list and _native_list(value))) or name not in at:
                return encode_row(props, self.columns)  # JSON text, nulls, a name without a column
            out[at[name]] = value
        return out


def encode_props(props: dict[str, Any]) -> dict[str, Any]:
    """The Neo4j properties that hold ``props`` (without the internal ones but ``_json``/``_null``)."""
    out: dict[str, Any] = {}
    as_json: list[str] = []
    nulls: list[str] = []
    for name, value in props.items():
        stored = stored_name(name)
        kind = type(value)
        if kind is str or kind is bool or kind is float:
            out[stored] = value
            continue
        if kind is int and _INT64[0] <= value <= _INT64[1]:
            out[stored] = value
            continue
        if value is None:
            nulls.append(stored)
            continue
        if kind is list and _native_list(value):
            out[stored] = value
            continue
        try:
            text = json.dumps(value, separators=(",", ":"), default=json_default)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"cannot store property {name!r}: {exc}") from exc
        normal = json.loads(text)
        if isinstance(normal, str) or (isinstance(normal, list) and _native_list(normal)):
            out[stored] = normal
        elif normal is None:
            nulls.append(stored)
        else:
            out[stored] = text
            as_json.append(stored)
    if as_json:
        out["_json"] = as_json
    if nulls:
        out["_null"] = nulls
    return out


def decode_props(stored: dict[str, Any]) -> dict[str, Any]:
    """The model properties held by the Neo4j properties ``stored`` (internal ones dropped)."""
    as_json = set(stored.get("_json") or ())
    out: dict[str, Any] = {}
    for name, value in stored.items():
        if name.startswith("_") and not name.startswith("__"):
            continue
        if name in as_json:
            value = json.loads(value)
        out[name[1:] if name.startswith("__") else name] = value
    for name in stored.get("_null") or ():
        out[name[1:] if name.startswith("__") else name] = None
    return out

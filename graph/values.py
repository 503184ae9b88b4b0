"""How property values become JSON: the one normalisation every store applies.

Both adapters give back what JSON gives back for a property value: tuples and
sets become lists (sets sorted), dates and datetimes ISO text. ``dumps`` is the
compact serialisation the embedded store keeps (``loads`` reads it back); the Neo4j store uses
``json_default`` so its values read back exactly the same.
"""

from __future__ import annotations

import json
from typing import Any


def json_default(value: Any) -> Any:
    """``json.dumps``'s ``default``: the JSON form of values JSON has no type for."""
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not storable")


#: One encoder for every call: ``json.dumps`` with options builds a new one each time,
#: which costs more than encoding a small property map.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=json_default)


def dumps(value: Any) -> str:
    """Compact JSON text of ``value`` (non-ASCII kept as it is)."""
    return _ENCODER.encode(value)


_RAW_DECODE = json.JSONDecoder().raw_decode


def loads(text: str) -> Any:
    """The value of JSON text written by ``dumps``.

    ``json.loads`` matches a whitespace pattern before and after the value, a
    quarter of its time on the small texts a store holds; ``dumps`` writes none,
    so this reads the value alone (and still refuses anything after it).
    """
    value, end = _RAW_DECODE(text)
    if end != len(text):
        raise ValueError(f"extra data after the JSON value at {end}")
    return value

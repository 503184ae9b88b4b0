"""How property values are normalised and stored as JSON, the same way by every store adapter.

The model's properties are JSON-like. A few Python values are accepted and
normalised on the way in: tuples become lists, sets and frozensets sorted
lists, dates and datetimes ISO strings. ``dumps`` is the compact serialisation
the embedded (SQLite) store keeps (``loads`` reads it back); the Neo4j store uses
``json_default`` before it encodes a property, so ``load`` returns exactly the
same graph from either store.
"""

from __future__ import annotations

import json
import json.encoder
from typing import Any


def json_default(value: Any) -> Any:
    """The JSON-storable form of a value ``json.dumps`` does not know; ``TypeError`` when there is none."""
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not storable")


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=json_default, check_circular=False)
#: ``JSONEncoder.encode`` builds a C encoder on every call, which costs more than encoding
#: the small property map it is given: build it once (when the C accelerator is there).
_C_ENCODE = (
    json.encoder.c_make_encoder(None, json_default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    if json.encoder.c_make_encoder is not None
    else None
)


def dumps(value: Any) -> str:
    """Compact JSON text of ``value`` (non-ASCII kept as it is).

    A value that contains itself raises ``ValueError`` (not a recursion error).
    """
    try:
        if _C_ENCODE is not None:
            return "".join(_C_ENCODE(value, 0))
        return _ENCODER.encode(value)
    except RecursionError:
        raise ValueError("the value contains itself") from None


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

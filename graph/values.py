"""How property values are normalised for storage, the same way by every store adapter.

The model's properties are JSON-like. A few Python values are accepted and
normalised on the way in: tuples become lists, sets and frozensets sorted
lists, dates and datetimes ISO strings. Both adapters use ``json_default``
(the embedded store as ``json.dumps``' ``default``, Neo4j before it encodes a
property), so ``load`` returns exactly the same graph from either store.
"""

from __future__ import annotations

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

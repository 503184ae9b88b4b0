"""The composition root: which store adapter a location names, and opening it.

The one module that knows the adapters (grimp's ``main.py`` is the model):
a ``bolt://`` / ``neo4j://`` URI (and their ``+s`` / ``+ssc`` variants) is
Neo4j, anything else an embedded store directory (SQLite, ``graph.sqlite_store``). The location is
``--store`` if given, else ``$CAIRN_STORE``, else ``.cairn`` in the current
directory. The Neo4j driver is imported only when a Neo4j store is opened.
"""

from __future__ import annotations

import os
from pathlib import Path

from cairn.graph.sqlite_store import SqliteStore
from cairn.graph.store import GraphStore

DEFAULT_STORE = ".cairn"
STORE_ENV = "CAIRN_STORE"
NEO4J_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})


def is_neo4j_uri(location: str) -> bool:
    return "://" in location and location.split("://", 1)[0] in NEO4J_SCHEMES


def store_location(explicit: str | None = None) -> str:
    """``--store`` if given, else ``$CAIRN_STORE``, else ``.cairn`` in the current directory."""
    return explicit or os.environ.get(STORE_ENV) or DEFAULT_STORE


def open_store(location: str | None = None) -> GraphStore:
    """Open the store at ``location``: a Neo4j URI or an embedded (SQLite) store directory."""
    location = store_location(location)
    if is_neo4j_uri(location):
        from cairn.graph.neo4j_store import Neo4jStore  # the driver is heavy: only for a Neo4j store

        return Neo4jStore.from_uri(location)
    return SqliteStore(Path(location))

"""What the service is: Cairn's version, and whether its store answers."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from cairn.api.bootstrap import is_neo4j_uri
from cairn.api.services.workspace import Workspace

try:
    CAIRN_VERSION = version("cairn")
except PackageNotFoundError:  # running from a checkout without installing
    CAIRN_VERSION = "0.0.0"


def health(ws: Workspace) -> dict[str, Any]:
    """The version, the kind of store and how many repositories it holds (reading it proves it answers)."""
    store = ws.store
    return {"status": "ok", "version": CAIRN_VERSION, "store": "neo4j" if is_neo4j_uri(store.location) else "embedded",
            "repositories": len(store.repositories())}

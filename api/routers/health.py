"""``GET /health``: is the service up, and what store does it serve."""

from __future__ import annotations

from fastapi import APIRouter

from cairn.api.deps import Store
from cairn.api.schemas import Health
from cairn.api.routers._problems import problems
from cairn.graph.store import is_neo4j_uri

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, responses=problems(503))
def health(store: Store) -> Health:
    from cairn.api.app import CAIRN_VERSION

    return Health(version=CAIRN_VERSION, store="neo4j" if is_neo4j_uri(store.location) else "embedded",
                  repositories=len(store.repositories()))

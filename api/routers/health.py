"""``GET /health``: is the service up, and what store does it serve.

It answers on threads of its own (``HEALTH_THREADS``), not the pool the other
routes share, so long queries or checks that fill that pool do not make a
healthy server look dead. No token is needed.
"""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request

from cairn.api.schemas import Health
from cairn.api.routers._problems import problems
from cairn.graph.store import is_neo4j_uri

router = APIRouter(tags=["service"])

HEALTH_THREADS = 2


@router.get("/health", response_model=Health, responses=problems(503))
async def health(request: Request) -> Health:
    from cairn.api.app import CAIRN_VERSION

    state = request.app.state
    limiter = getattr(state, "health_threads", None)
    if limiter is None:
        limiter = state.health_threads = anyio.CapacityLimiter(HEALTH_THREADS)
    store = state.cairn.store
    count = await anyio.to_thread.run_sync(lambda: len(store.repositories()), limiter=limiter)
    return Health(version=CAIRN_VERSION, store="neo4j" if is_neo4j_uri(store.location) else "embedded", repositories=count)

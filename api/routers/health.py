"""``GET /health``: is the service up, and what store does it serve.

It answers on threads of its own (``HEALTH_THREADS``), not the pool the other
routes share (nor through a dependency, which would run on that pool), so long
queries or checks that fill that pool do not make a healthy server look dead.
No token is needed.
"""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request

from cairn.api.routers._problems import problems
from cairn.api.schemas import Health
from cairn.api.services import about

router = APIRouter(tags=["service"])

HEALTH_THREADS = 2


@router.get("/health", response_model=Health, responses=problems(503))
async def health(request: Request) -> Health:
    state = request.app.state
    limiter = getattr(state, "health_threads", None)
    if limiter is None:  # made here: a limiter belongs to the running event loop
        limiter = state.health_threads = anyio.CapacityLimiter(HEALTH_THREADS)
    ws = state.cairn.workspace
    return Health(**await anyio.to_thread.run_sync(about.health, ws, limiter=limiter))

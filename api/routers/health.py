"""``GET /health``: is the service up, and what store does it serve."""

from __future__ import annotations

from fastapi import APIRouter

from cairn.api.deps import WorkspaceDep
from cairn.api.routers._problems import problems
from cairn.api.schemas import Health
from cairn.api.services import about

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, responses=problems(503))
def health(ws: WorkspaceDep) -> Health:
    return Health(**about.health(ws))

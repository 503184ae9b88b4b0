"""Decisions (ADRs) and the boundary-rule check: the same JSON as ``cairn adrs`` and ``cairn check``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from cairn.api.deps import RepositoryParam, WorkspaceDep
from cairn.api.routers._problems import READ
from cairn.api.services import reads
from cairn.api.services.checks import check_boundaries

router = APIRouter(tags=["decisions and rules"])


@router.get("/decisions", response_model=dict[str, Any], responses=READ)
def list_decisions(ws: WorkspaceDep, repository: RepositoryParam = None) -> dict[str, Any]:
    """Every decision record: status, date, deciders, supersession, governed components, the rules it declares,
    and the problems met reading the records. The same JSON as `cairn adrs --format json`."""
    return reads.decisions(ws, repository)


@router.get("/check", response_model=dict[str, Any], responses=READ)
def check_rules(ws: WorkspaceDep, repository: RepositoryParam = None) -> dict[str, Any]:
    """Check the repository's boundary rules on its stored graph, with the baseline of its registered checkout: the
    same JSON as `cairn check --format json`. A baseline that is broken or outside the checkout is a 422."""
    return check_boundaries(ws, repository).report.to_json()

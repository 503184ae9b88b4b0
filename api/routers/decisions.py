"""Decisions (ADRs) and the boundary-rule check: the same JSON as ``cairn adrs`` and ``cairn check``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter

from cairn.api.deps import Graph, lazy_import
from cairn.api.routers._problems import problems
from cairn.graph.model import RepoGraph

router = APIRouter(tags=["decisions and rules"])


@router.get("/decisions", response_model=dict[str, Any], responses=problems(400, 404, 422, 501, 503))
def list_decisions(graph: Graph) -> dict[str, Any]:
    """Every decision record: status, date, deciders, supersession, governed components, the rules it declares,
    and the problems met reading the records. The same JSON as `cairn adrs --format json`."""
    decisions = lazy_import("cairn.api.commands.decisions", "the decision listing")
    return decisions.decisions_data(graph)


def read_baseline(graph: RepoGraph, boundaries: Any) -> Any:
    """The configured baseline of known violations, from the registered checkout (never from a request).

    Raises ``ValueError`` (a 422 through the API) when the file exists but is not a baseline: a broken
    baseline would hide or invent findings.
    """
    repo = graph.repository
    root = repo.get("path") if repo is not None else None
    if not root:
        return None
    name = repo.get("baseline") or ".cairn-baseline.json"
    path = Path(root) / name
    try:
        if not path.resolve().is_relative_to(Path(root).resolve()) or not path.is_file():
            return None
    except OSError:
        return None
    try:
        return boundaries.load_baseline(path)
    except boundaries.BaselineError as exc:
        raise ValueError(str(exc)) from None


@router.get("/check", response_model=dict[str, Any], responses=problems(400, 404, 422, 501, 503))
def check_rules(graph: Graph) -> dict[str, Any]:
    """Check the repository's boundary rules on its stored graph, with its baseline: the same JSON as
    `cairn check --format json`."""
    boundaries = lazy_import("cairn.queries.boundaries", "the boundary rule check")
    return boundaries.check(graph, baseline=read_baseline(graph, boundaries)).to_dict()

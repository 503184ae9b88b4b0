"""The boundary check of a stored repository, with its baseline of known violations.

The baseline is the checkout's configured file (``graph.baseline``), or one
given explicitly by the person running the check. Updating it records today's
violations when there is no file yet, and afterwards only removes fixed ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cairn.api.services.workspace import Workspace
from cairn.graph.baseline import Baseline, BaselineUpdate, baseline_path, load_baseline, update_baseline
from cairn.graph.errors import BaselineError
from cairn.graph.model import RepoGraph
from cairn.queries.contracts import CheckReport, check


@dataclass(frozen=True)
class BoundaryCheck:
    """A check report, the repository it is about, and what a baseline update did (None: no update)."""

    repository: str
    report: CheckReport
    baseline_update: BaselineUpdate | None = None


def configured_baseline(graph: RepoGraph) -> Path | None:
    """The baseline file configured for the repository's registered checkout; None when it has no checkout path."""
    repo = graph.repository
    root = repo.get("path") if repo is not None else None
    if not root:
        return None
    return baseline_path(Path(root), repo.get("baseline"))


def check_boundaries(ws: Workspace, repo: str | None, *, baseline: Path | None = None, update: bool = False) -> BoundaryCheck:
    """Check the repository's rules on its stored graph, against its baseline; optionally update the baseline first."""
    graph = ws.graph(repo)
    path = baseline
    if path is None:
        path = configured_baseline(graph)
        if path is None and update:
            raise BaselineError("the stored repository has no checkout path; pass --baseline FILE")
    elif not update and not path.is_file():
        raise BaselineError("baseline file not found", path=str(path))
    known: Baseline | None = load_baseline(path) if path is not None and path.is_file() else None
    report = check(graph, baseline=known)
    if not update:
        return BoundaryCheck(graph.repo, report)
    assert path is not None
    change = update_baseline(path, report.current_keys)
    return BoundaryCheck(graph.repo, check(graph, baseline=load_baseline(path)), change)
